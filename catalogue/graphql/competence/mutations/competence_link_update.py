"""competenceLinkUpdate: HR changes a link's strength or rationale."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.competence.mutations.payloads import CompetenceLinkPayload
from catalogue.graphql.competence.types import CompetenceLinkType, LinkStrengthEnum
from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.services import competence_links


@strawberry.input
class CompetenceLinkUpdateInput:
    id: GlobalID
    strength: LinkStrengthEnum | None = None  # type: ignore[valid-type]
    rationale: str | None = None
    expected_updated_at: datetime | None = strawberry.field(
        default=None,
        description=(
            "Koblingens updatedAt, da du hentede den; afvises med CONFLICT, hvis andre har gemt "
            "siden."
        ),
    )


def competence_link_update(info: Info, input: CompetenceLinkUpdateInput) -> CompetenceLinkPayload:
    link = competence_links.update_link(
        info.context.session,
        actor=actor(info),
        link_id=decode_id(input.id, CompetenceLinkType, field="id"),
        strength=input.strength,
        rationale=input.rationale,
        expected_updated_at=input.expected_updated_at,
    )
    return CompetenceLinkPayload(competence_link=CompetenceLinkType.from_model(link))
