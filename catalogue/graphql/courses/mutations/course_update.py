"""courseUpdate: HR edits a course; only the given fields change."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.mutations.course_fields import CourseFieldsInput
from catalogue.graphql.courses.mutations.payloads import CoursePayload
from catalogue.graphql.courses.types import CourseType
from catalogue.services import course_admin


@strawberry.input
class CourseUpdateInput(CourseFieldsInput):
    id: GlobalID
    expected_updated_at: datetime | None = strawberry.field(
        default=None,
        description=(
            "Kursets updatedAt, da du hentede det; afvises med CONFLICT, hvis andre har gemt siden."
        ),
    )


def course_update(info: Info, input: CourseUpdateInput) -> CoursePayload:
    course = course_admin.update_course(
        info.context.session,
        actor=actor(info),
        course_id=decode_id(input.id, CourseType, field="id"),
        data=input.to_domain(),
        expected_updated_at=input.expected_updated_at,
    )
    return CoursePayload(course=CourseType.from_model(course))
