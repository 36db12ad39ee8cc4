"""courseCreate: HR adds a course as a draft."""

from __future__ import annotations

import strawberry

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.courses.mutations.course_fields import CourseFieldsInput
from catalogue.graphql.courses.mutations.payloads import CoursePayload
from catalogue.graphql.courses.types import CourseType
from catalogue.services import course_admin


@strawberry.input
class CourseCreateInput(CourseFieldsInput):
    code: str | None = strawberry.field(
        default=None, description="Kursuskode; dannes af titlen, hvis den udelades."
    )


def course_create(info: Info, input: CourseCreateInput) -> CoursePayload:
    course = course_admin.create_course(
        info.context.session, actor=actor(info), data=input.to_domain(), code=input.code
    )
    return CoursePayload(course=CourseType.from_model(course))
