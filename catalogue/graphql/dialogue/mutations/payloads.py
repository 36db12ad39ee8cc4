"""Payloads of the dialogue mutations: the object, and the expected errors."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.errors import UserError
from catalogue.graphql.dialogue.types import (
    DevelopmentActionType,
    DialogueCycleType,
    DialogueType,
    RoleProfileType,
)


@strawberry.type
class DialoguePayload:
    dialogue: DialogueType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DialogueCyclePayload:
    cycle: DialogueCycleType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RoleProfilePayload:
    role_profile: RoleProfileType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DevelopmentActionPayload:
    development_action: DevelopmentActionType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
