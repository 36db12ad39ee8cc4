"""activityCreate, activityUpdate and activityArchive."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.mutations.payloads import ActivityPayload
from catalogue.graphql.courses.types import ActivityKindEnum, ActivityType, CourseType
from catalogue.services import activity_admin
from catalogue.services.activity_admin import ActivityData


@strawberry.input
class ActivityFieldsInput:
    title: str | None = None
    kind: ActivityKindEnum | None = None  # type: ignore[valid-type]
    required: bool | None = None
    duration_hours: float | None = None
    position: int | None = None
    lms_module_id: str | None = None

    def to_domain(self) -> ActivityData:
        return ActivityData(
            title=self.title,
            kind=self.kind,
            required=self.required,
            duration_hours=self.duration_hours,
            position=self.position,
            lms_module_id=self.lms_module_id,
        )


@strawberry.input
class ActivityCreateInput(ActivityFieldsInput):
    course_id: GlobalID
    code: str | None = None


@strawberry.input
class ActivityUpdateInput(ActivityFieldsInput):
    id: GlobalID


@strawberry.input
class ActivityArchiveInput:
    id: GlobalID


def activity_create(info: Info, input: ActivityCreateInput) -> ActivityPayload:
    activity = activity_admin.create_activity(
        info.context.session,
        actor=actor(info),
        course_id=decode_id(input.course_id, CourseType, field="courseId"),
        data=input.to_domain(),
        code=input.code,
    )
    return ActivityPayload(activity=ActivityType.from_model(activity))


def activity_update(info: Info, input: ActivityUpdateInput) -> ActivityPayload:
    activity = activity_admin.update_activity(
        info.context.session,
        actor=actor(info),
        activity_id=decode_id(input.id, ActivityType, field="id"),
        data=input.to_domain(),
    )
    return ActivityPayload(activity=ActivityType.from_model(activity))


def activity_archive(info: Info, input: ActivityArchiveInput) -> ActivityPayload:
    activity = activity_admin.archive_activity(
        info.context.session,
        actor=actor(info),
        activity_id=decode_id(input.id, ActivityType, field="id"),
    )
    return ActivityPayload(activity=ActivityType.from_model(activity))
