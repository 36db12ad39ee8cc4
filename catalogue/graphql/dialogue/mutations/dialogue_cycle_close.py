"""dialogueCycleClose: OPEN → CLOSED, closing every dialogue of the cycle."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.dialogue.mutations.payloads import DialogueCyclePayload
from catalogue.graphql.dialogue.types import DialogueCycleType
from catalogue.services.dialogue import cycles


@strawberry.input
class DialogueCycleCloseInput:
    cycle_id: GlobalID


def dialogue_cycle_close(info: Info, input: DialogueCycleCloseInput) -> DialogueCyclePayload:
    result = cycles.close_cycle(
        info.context.session,
        actor=actor(info),
        cycle_id=decode_id(input.cycle_id, DialogueCycleType, field="cycleId"),
    )
    return DialogueCyclePayload(cycle=DialogueCycleType.from_model(result))
