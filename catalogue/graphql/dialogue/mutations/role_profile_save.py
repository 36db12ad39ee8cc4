"""roleProfileSave: HR creates or replaces a role profile's default importances."""

from __future__ import annotations

import strawberry

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.dialogue.mutations.payloads import RoleProfilePayload
from catalogue.graphql.dialogue.types import RoleProfileType
from catalogue.services.dialogue import cycles


@strawberry.input(description="Et udsagn (nøgle i den gældende profil) og dets standardvigtighed.")
class RoleProfileImportanceInput:
    statement_key: str
    importance: int


@strawberry.input
class RoleProfileSaveInput:
    key: str
    name: str
    importances: list[RoleProfileImportanceInput]


def role_profile_save(info: Info, input: RoleProfileSaveInput) -> RoleProfilePayload:
    result = cycles.save_role_profile(
        info.context.session,
        actor=actor(info),
        key=input.key,
        name=input.name,
        importances={row.statement_key: row.importance for row in input.importances},
    )
    return RoleProfilePayload(role_profile=RoleProfileType.from_model(result))
