"""dialogueFollowUpRecord: the chef records the mid-year follow-up."""

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
class DialogueFollowUpRecordInput:
    dialogue_id: GlobalID
    note: str


def dialogue_follow_up_record(info: Info, input: DialogueFollowUpRecordInput) -> DialoguePayload:
    result = agreement.record_follow_up(
        info.context.session,
        actor=actor(info),
        dialogue_id=decode_id(input.dialogue_id, DialogueType, field="dialogueId"),
        note=input.note,
    )
    return DialoguePayload(dialogue=DialogueType.from_model(result))
