"""Queries of search: HR's synonyms."""

from __future__ import annotations

import strawberry

from catalogue.graphql.context import Info
from catalogue.graphql.core.permissions import requires
from catalogue.graphql.search.types import SearchSynonymType
from catalogue.services import search_synonyms
from catalogue.services.capabilities import Capability


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description=(
            "HR's synonymer til søgningen, alfabetisk; et synonym virker begge veje "
            "(fx MUS ↔ medarbejderudviklingssamtale)."
        ),
        extensions=requires(Capability.CATALOGUE_CURATE),
    )
    def search_synonyms(self, info: Info) -> list[SearchSynonymType]:
        return [
            SearchSynonymType.from_model(row)
            for row in search_synonyms.list_synonyms(info.context.session)
        ]
