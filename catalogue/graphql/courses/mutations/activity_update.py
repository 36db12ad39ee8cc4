"""activityUpdate: HR edits an activity."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.mutations.activity_fields import ActivityFieldsInput
from catalogue.graphql.courses.mutations.payloads import ActivityPayload
from catalogue.graphql.courses.types import ActivityType
from catalogue.services import activity_admin


@strawberry.input
class ActivityUpdateInput(ActivityFieldsInput):
    id: GlobalID


def activity_update(info: Info, input: ActivityUpdateInput) -> ActivityPayload:
    activity = activity_admin.update_activity(
        info.context.session,
        actor=actor(info),
        activity_id=decode_id(input.id, ActivityType, field="id"),
        data=input.to_domain(),
    )
    return ActivityPayload(activity=ActivityType.from_model(activity))
