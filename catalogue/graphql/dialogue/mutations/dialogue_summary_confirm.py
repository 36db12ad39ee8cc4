"""dialogueSummaryConfirm: one's own confirmation; the second one agrees the dialogue."""

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
class DialogueSummaryConfirmInput:
    dialogue_id: GlobalID


def dialogue_summary_confirm(info: Info, input: DialogueSummaryConfirmInput) -> DialoguePayload:
    result = agreement.confirm_summary(
        info.context.session,
        actor=actor(info),
        dialogue_id=decode_id(input.dialogue_id, DialogueType, field="dialogueId"),
    )
    return DialoguePayload(dialogue=DialogueType.from_model(result))
