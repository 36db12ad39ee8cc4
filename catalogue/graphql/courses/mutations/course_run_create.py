"""courseRunCreate: HR adds a run of a course."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.mutations.course_run_fields import CourseRunFieldsInput
from catalogue.graphql.courses.mutations.payloads import CourseRunPayload
from catalogue.graphql.courses.types import CourseRunType, CourseType
from catalogue.services import run_admin


@strawberry.input
class CourseRunCreateInput(CourseRunFieldsInput):
    course_id: GlobalID
    code: str | None = None


def course_run_create(info: Info, input: CourseRunCreateInput) -> CourseRunPayload:
    run = run_admin.create_run(
        info.context.session,
        actor=actor(info),
        course_id=decode_id(input.course_id, CourseType, field="courseId"),
        data=input.to_domain(),
        code=input.code,
    )
    return CourseRunPayload(course_run=CourseRunType.from_model(run))
