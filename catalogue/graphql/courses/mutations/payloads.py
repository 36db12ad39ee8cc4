"""Mutation payloads of the catalogue: the object, and the expected errors."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.errors import UserError
from catalogue.graphql.courses.types import ActivityType, CourseRunType, CourseType


@strawberry.type
class CoursePayload:
    course: CourseType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ActivityPayload:
    activity: ActivityType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CourseRunPayload:
    course_run: CourseRunType | None = None
    withdrawn_enrolments: int | None = strawberry.field(
        default=None,
        description=(
            "Kun ved courseRunCancel: hvor mange tilmeldinger (også venteliste og anmodninger) "
            "aflysningen afmeldte."
        ),
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)
