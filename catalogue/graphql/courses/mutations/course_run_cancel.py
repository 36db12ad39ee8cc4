"""courseRunCancel: HR cancels a course run and its enrolments are withdrawn."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.mutations.payloads import CourseRunPayload
from catalogue.graphql.courses.types import CourseRunType
from catalogue.services import run_admin


@strawberry.input
class CourseRunCancelInput:
    id: GlobalID
    reason: str | None = None


def course_run_cancel(info: Info, input: CourseRunCancelInput) -> CourseRunPayload:
    cancelled = run_admin.cancel_run(
        info.context.session,
        actor=actor(info),
        run_id=decode_id(input.id, CourseRunType, field="id"),
        reason=input.reason,
    )
    return CourseRunPayload(
        course_run=CourseRunType.from_model(cancelled.run),
        withdrawn_enrolments=cancelled.withdrawn,
    )
