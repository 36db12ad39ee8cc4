"""activityCreate: HR adds an activity to a course."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.mutations.activity_fields import ActivityFieldsInput
from catalogue.graphql.courses.mutations.payloads import ActivityPayload
from catalogue.graphql.courses.types import ActivityType, CourseType
from catalogue.services import activity_admin


@strawberry.input
class ActivityCreateInput(ActivityFieldsInput):
    course_id: GlobalID
    code: str | None = None


def activity_create(info: Info, input: ActivityCreateInput) -> ActivityPayload:
    activity = activity_admin.create_activity(
        info.context.session,
        actor=actor(info),
        course_id=decode_id(input.course_id, CourseType, field="courseId"),
        data=input.to_domain(),
        code=input.code,
    )
    return ActivityPayload(activity=ActivityType.from_model(activity))
