"""courseRunUpdate: HR edits a course run."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.mutations.course_run_fields import CourseRunFieldsInput
from catalogue.graphql.courses.mutations.payloads import CourseRunPayload
from catalogue.graphql.courses.types import CourseRunType
from catalogue.services import run_admin


@strawberry.input
class CourseRunUpdateInput(CourseRunFieldsInput):
    id: GlobalID


def course_run_update(info: Info, input: CourseRunUpdateInput) -> CourseRunPayload:
    run = run_admin.update_run(
        info.context.session,
        actor=actor(info),
        run_id=decode_id(input.id, CourseRunType, field="id"),
        data=input.to_domain(),
    )
    return CourseRunPayload(course_run=CourseRunType.from_model(run))
