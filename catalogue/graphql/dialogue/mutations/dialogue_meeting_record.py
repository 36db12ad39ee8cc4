"""dialogueMeetingRecord: the chef records the meeting and the importances agreed there."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.dialogue.mutations import inputs
from catalogue.graphql.dialogue.mutations.inputs import DialogueImportanceInput
from catalogue.graphql.dialogue.mutations.payloads import DialoguePayload
from catalogue.graphql.dialogue.types import DialogueType
from catalogue.services.dialogue import agreement


@strawberry.input
class DialogueMeetingRecordInput:
    dialogue_id: GlobalID
    importances: list[DialogueImportanceInput] = strawberry.field(default_factory=list)


def dialogue_meeting_record(info: Info, input: DialogueMeetingRecordInput) -> DialoguePayload:
    result = agreement.record_meeting(
        info.context.session,
        actor=actor(info),
        dialogue_id=decode_id(input.dialogue_id, DialogueType, field="dialogueId"),
        importances=inputs.importances(input.importances),
    )
    return DialoguePayload(dialogue=DialogueType.from_model(result))
