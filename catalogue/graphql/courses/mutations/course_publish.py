"""coursePublish: HR moves a draft course to PUBLISHED."""

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
class CoursePublishInput:
    id: GlobalID


def course_publish(info: Info, input: CoursePublishInput) -> CoursePayload:
    course = course_admin.publish_course(
        info.context.session,
        actor=actor(info),
        course_id=decode_id(input.id, CourseType, field="id"),
    )
    return CoursePayload(course=CourseType.from_model(course))
