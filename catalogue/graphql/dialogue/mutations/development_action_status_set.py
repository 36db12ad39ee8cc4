"""developmentActionStatusSet: an action moved by hand (not a course's DONE)."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.dialogue.enums import ActionStatusEnum
from catalogue.graphql.dialogue.mutations.payloads import DevelopmentActionPayload
from catalogue.graphql.dialogue.types import DevelopmentActionType
from catalogue.models import ActionStatus
from catalogue.services.dialogue import actions


@strawberry.input
class DevelopmentActionStatusSetInput:
    action_id: GlobalID
    status: ActionStatusEnum  # type: ignore[valid-type]
    reason: str | None = None


def development_action_status_set(
    info: Info, input: DevelopmentActionStatusSetInput
) -> DevelopmentActionPayload:
    result = actions.set_action_status(
        info.context.session,
        actor=actor(info),
        action_id=decode_id(input.action_id, DevelopmentActionType, field="actionId"),
        status=ActionStatus(input.status),
        reason=input.reason,
    )
    return DevelopmentActionPayload(development_action=DevelopmentActionType.from_model(result))
