"""The catalogue's mutations for HR and ADMIN, one module per mutation."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.mutations import mutation
from catalogue.graphql.courses.mutations.activity_archive import activity_archive
from catalogue.graphql.courses.mutations.activity_create import activity_create
from catalogue.graphql.courses.mutations.activity_update import activity_update
from catalogue.graphql.courses.mutations.course_archive import course_archive
from catalogue.graphql.courses.mutations.course_create import course_create
from catalogue.graphql.courses.mutations.course_publish import course_publish
from catalogue.graphql.courses.mutations.course_run_cancel import course_run_cancel
from catalogue.graphql.courses.mutations.course_run_create import course_run_create
from catalogue.graphql.courses.mutations.course_run_update import course_run_update
from catalogue.graphql.courses.mutations.course_update import course_update
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
