"""Mutations for HR's competence links."""

from __future__ import annotations

import strawberry

from catalogue.graphql.competence.mutations.competence_link_create import competence_link_create
from catalogue.graphql.competence.mutations.competence_link_remove import competence_link_remove
from catalogue.graphql.competence.mutations.competence_link_update import competence_link_update
from catalogue.graphql.competence.mutations.course_links_set import course_links_set
from catalogue.graphql.core.mutations import mutation
from catalogue.services.capabilities import Capability


@strawberry.type
class CompetenceMutation:
    competence_link_create = strawberry.mutation(
        resolver=competence_link_create,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Link et udsagn til et kursus eller en aktivitet, med begrundelse.",
    )
    competence_link_update = strawberry.mutation(
        resolver=competence_link_update,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Ret styrke eller begrundelse.",
    )
    competence_link_remove = strawberry.mutation(
        resolver=competence_link_remove,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Fjern et link (det bliver en gravsten).",
    )
    course_links_set = strawberry.mutation(
        resolver=course_links_set,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Sæt alle et kursus' links på én gang.",
    )
