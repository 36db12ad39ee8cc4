"""The catalogue's mutations for HR and ADMIN, one module per entity."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.mutations import mutation
from catalogue.graphql.courses.mutations.activity_mutations import (
    activity_archive,
    activity_create,
    activity_update,
)
from catalogue.graphql.courses.mutations.course_create import course_create
from catalogue.graphql.courses.mutations.course_status import course_archive, course_publish
from catalogue.graphql.courses.mutations.course_update import course_update
from catalogue.graphql.courses.mutations.run_mutations import (
    course_run_cancel,
    course_run_create,
    course_run_update,
)
from catalogue.services.capabilities import Capability


@strawberry.type
class CoursesMutation:
    course_create = strawberry.mutation(
        resolver=course_create,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Opret et kursus som kladde.",
    )
    course_update = strawberry.mutation(
        resolver=course_update,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Ret et kursus.",
    )
    course_publish = strawberry.mutation(
        resolver=course_publish,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Udgiv et kursus.",
    )
    course_archive = strawberry.mutation(
        resolver=course_archive,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Arkivér et kursus; det kan stadig læses med links og historik.",
    )
    activity_create = strawberry.mutation(
        resolver=activity_create,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Tilføj en aktivitet.",
    )
    activity_update = strawberry.mutation(
        resolver=activity_update,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Ret en aktivitet.",
    )
    activity_archive = strawberry.mutation(
        resolver=activity_archive,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Arkivér en aktivitet.",
    )
    course_run_create = strawberry.mutation(
        resolver=course_run_create,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Opret et hold.",
    )
    course_run_update = strawberry.mutation(
        resolver=course_run_update,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Ret et hold.",
    )
    course_run_cancel = strawberry.mutation(
        resolver=course_run_cancel,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Aflys et hold.",
    )
