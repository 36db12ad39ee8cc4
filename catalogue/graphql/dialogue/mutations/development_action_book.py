"""developmentActionBook: a course action's run booked through the enrolment service."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.dialogue.mutations.payloads import DevelopmentActionPayload
from catalogue.graphql.dialogue.types import DevelopmentActionType
from catalogue.services.dialogue import actions


@strawberry.input
class DevelopmentActionBookInput:
    action_id: GlobalID


def development_action_book(
    info: Info, input: DevelopmentActionBookInput
) -> DevelopmentActionPayload:
    result = actions.book_action(
        info.context.session,
        actor=actor(info),
        action_id=decode_id(input.action_id, DevelopmentActionType, field="actionId"),
    )
    return DevelopmentActionPayload(development_action=DevelopmentActionType.from_model(result))
