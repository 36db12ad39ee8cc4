"""dialoguePreparationSave: one's own proposals and assessments, a draft until submitted."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.dialogue.mutations import inputs
from catalogue.graphql.dialogue.mutations.inputs import (
    DialogueAssessmentInput,
    DialogueImportanceInput,
)
from catalogue.graphql.dialogue.mutations.payloads import DialoguePayload
from catalogue.graphql.dialogue.types import DialogueType
from catalogue.services.dialogue import preparation


@strawberry.input
class DialoguePreparationSaveInput:
    dialogue_id: GlobalID
    importances: list[DialogueImportanceInput] = strawberry.field(default_factory=list)
    assessments: list[DialogueAssessmentInput] = strawberry.field(default_factory=list)


def dialogue_preparation_save(info: Info, input: DialoguePreparationSaveInput) -> DialoguePayload:
    result = preparation.save_preparation(
        info.context.session,
        actor=actor(info),
        dialogue_id=decode_id(input.dialogue_id, DialogueType, field="dialogueId"),
        importances=inputs.importances(input.importances),
        assessments=inputs.assessments(input.assessments),
    )
    return DialoguePayload(dialogue=DialogueType.from_model(result))
