"""dialogueReopen: the chef reopens a HELD or AGREED dialogue with a reason."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.dialogue.mutations.payloads import DialoguePayload
from catalogue.graphql.dialogue.types import DialogueType
from catalogue.services.dialogue import agreement


@strawberry.input
class DialogueReopenInput:
    dialogue_id: GlobalID
    reason: str


def dialogue_reopen(info: Info, input: DialogueReopenInput) -> DialoguePayload:
    result = agreement.reopen(
        info.context.session,
        actor=actor(info),
        dialogue_id=decode_id(input.dialogue_id, DialogueType, field="dialogueId"),
        reason=input.reason,
    )
    return DialoguePayload(dialogue=DialogueType.from_model(result))
