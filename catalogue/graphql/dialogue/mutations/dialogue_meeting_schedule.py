"""dialogueMeetingSchedule: the chef sets time and place."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.dialogue.mutations.payloads import DialoguePayload
from catalogue.graphql.dialogue.types import DialogueType
from catalogue.services.dialogue import agreement


@strawberry.input
class DialogueMeetingScheduleInput:
    dialogue_id: GlobalID
    meeting_at: datetime
    place: str


def dialogue_meeting_schedule(info: Info, input: DialogueMeetingScheduleInput) -> DialoguePayload:
    result = agreement.schedule_meeting(
        info.context.session,
        actor=actor(info),
        dialogue_id=decode_id(input.dialogue_id, DialogueType, field="dialogueId"),
        meeting_at=input.meeting_at,
        place=input.place,
    )
    return DialoguePayload(dialogue=DialogueType.from_model(result))
