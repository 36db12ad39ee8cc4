"""courseArchive: HR archives a course; it stays readable with its links and history."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.mutations.payloads import CoursePayload
from catalogue.graphql.courses.types import CourseType
from catalogue.services import course_admin


@strawberry.input
class CourseArchiveInput:
    id: GlobalID
    reason: str | None = None


def course_archive(info: Info, input: CourseArchiveInput) -> CoursePayload:
    course = course_admin.archive_course(
        info.context.session,
        actor=actor(info),
        course_id=decode_id(input.id, CourseType, field="id"),
        reason=input.reason,
    )
    return CoursePayload(course=CourseType.from_model(course))
