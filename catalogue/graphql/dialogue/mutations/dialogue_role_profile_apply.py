"""dialogueRoleProfileApply: the chef picks the leader's role profile as the starting point."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.dialogue.mutations.payloads import DialoguePayload
from catalogue.graphql.dialogue.types import DialogueType, RoleProfileType
from catalogue.services.dialogue import preparation


@strawberry.input
class DialogueRoleProfileApplyInput:
    dialogue_id: GlobalID
    role_profile_id: GlobalID


def dialogue_role_profile_apply(
    info: Info, input: DialogueRoleProfileApplyInput
) -> DialoguePayload:
    result = preparation.apply_role_profile(
        info.context.session,
        actor=actor(info),
        dialogue_id=decode_id(input.dialogue_id, DialogueType, field="dialogueId"),
        role_profile_id=decode_id(input.role_profile_id, RoleProfileType, field="roleProfileId"),
    )
    return DialoguePayload(dialogue=DialogueType.from_model(result))
