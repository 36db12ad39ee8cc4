"""Queries for the competence profile; public, no token needed."""

from __future__ import annotations

import strawberry

from catalogue.graphql.context import Info
from catalogue.graphql.profile.types import CompetenceProfileType, CompetenceStatementType
from catalogue.services import profiles


@strawberry.type
class ProfileQuery:
    @strawberry.field(
        description="Kompetenceprofilen; uden version den gældende publicerede version."
    )
    def competence_profile(
        self, info: Info, version: int | None = None
    ) -> CompetenceProfileType | None:
        model = profiles.profile_by_version(info.context.session, version)
        return CompetenceProfileType.from_model(model) if model else None

    @strawberry.field(description="Et udsagn i den gældende profil, fx K3.2.")
    def competence_statement(self, info: Info, key: str) -> CompetenceStatementType | None:
        model = profiles.statement_by_key(info.context.session, key)
        return CompetenceStatementType.from_model(model) if model else None
