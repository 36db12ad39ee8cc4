"""Mutation payloads for competence links."""

from __future__ import annotations

import strawberry

from catalogue.graphql.competence.types import CompetenceLinkType
from catalogue.graphql.core.errors import UserError
from catalogue.graphql.courses.types import CourseType


@strawberry.type
class CompetenceLinkPayload:
    competence_link: CompetenceLinkType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CourseLinksPayload:
    course: CourseType | None = None
    competence_links: list[CompetenceLinkType] | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
