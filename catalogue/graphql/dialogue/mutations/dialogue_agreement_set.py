"""dialogueAgreementSet: the agreement (focus, actions, summary) while HELD or REOPENED."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.dialogue.mutations import inputs
from catalogue.graphql.dialogue.mutations.inputs import DialogueFocusInput, DialogueImportanceInput
from catalogue.graphql.dialogue.mutations.payloads import DialoguePayload
from catalogue.graphql.dialogue.types import DialogueType
from catalogue.services.dialogue import agreement


@strawberry.input
class DialogueAgreementSetInput:
    dialogue_id: GlobalID
    summary: str
    focuses: list[DialogueFocusInput]
    importances: list[DialogueImportanceInput] = strawberry.field(default_factory=list)


def dialogue_agreement_set(info: Info, input: DialogueAgreementSetInput) -> DialoguePayload:
    result = agreement.set_agreement(
        info.context.session,
        actor=actor(info),
        dialogue_id=decode_id(input.dialogue_id, DialogueType, field="dialogueId"),
        summary=input.summary,
        focuses=inputs.focuses(input.focuses),
        importances=inputs.importances(input.importances),
    )
    return DialoguePayload(dialogue=DialogueType.from_model(result))
