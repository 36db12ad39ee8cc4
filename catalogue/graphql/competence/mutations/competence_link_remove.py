"""competenceLinkRemove: HR removes a link; it stays as a tombstone."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.competence.mutations.payloads import CompetenceLinkPayload
from catalogue.graphql.competence.types import CompetenceLinkType
from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.services import competence_links


@strawberry.input
class CompetenceLinkRemoveInput:
    id: GlobalID


def competence_link_remove(info: Info, input: CompetenceLinkRemoveInput) -> CompetenceLinkPayload:
    link = competence_links.remove_link(
        info.context.session,
        actor=actor(info),
        link_id=decode_id(input.id, CompetenceLinkType, field="id"),
    )
    return CompetenceLinkPayload(competence_link=CompetenceLinkType.from_model(link))
