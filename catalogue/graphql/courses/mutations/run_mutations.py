"""courseRunCreate, courseRunUpdate and courseRunCancel."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.mutations.payloads import CourseRunPayload
from catalogue.graphql.courses.types import CourseRunType, CourseType
from catalogue.services import run_admin
from catalogue.services.run_admin import RunData


@strawberry.input
class CourseRunFieldsInput:
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = None
    online: bool | None = None
    capacity: int | None = strawberry.field(default=None, description="Antal pladser (mindst 1).")
    unlimited: bool = strawberry.field(default=False, description="Ingen grænse for pladser.")
    enrolment_deadline: datetime | None = None
    approval_required: bool | None = None

    def to_domain(self) -> RunData:
        return RunData(
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            location=self.location,
            online=self.online,
            capacity=self.capacity,
            unlimited=self.unlimited,
            enrolment_deadline=self.enrolment_deadline,
            approval_required=self.approval_required,
        )


@strawberry.input
class CourseRunCreateInput(CourseRunFieldsInput):
    course_id: GlobalID
    code: str | None = None


@strawberry.input
class CourseRunUpdateInput(CourseRunFieldsInput):
    id: GlobalID


@strawberry.input
class CourseRunCancelInput:
    id: GlobalID
    reason: str | None = None


def course_run_create(info: Info, input: CourseRunCreateInput) -> CourseRunPayload:
    run = run_admin.create_run(
        info.context.session,
        actor=actor(info),
        course_id=decode_id(input.course_id, CourseType, field="courseId"),
        data=input.to_domain(),
        code=input.code,
    )
    return CourseRunPayload(course_run=CourseRunType.from_model(run))


def course_run_update(info: Info, input: CourseRunUpdateInput) -> CourseRunPayload:
    run = run_admin.update_run(
        info.context.session,
        actor=actor(info),
        run_id=decode_id(input.id, CourseRunType, field="id"),
        data=input.to_domain(),
    )
    return CourseRunPayload(course_run=CourseRunType.from_model(run))


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
