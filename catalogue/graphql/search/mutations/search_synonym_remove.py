"""searchSynonymRemove: HR removes a synonym; searches stop using it at once."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.search.mutations.payloads import SearchSynonymPayload
from catalogue.graphql.search.types import SearchSynonymType
from catalogue.services import search_synonyms


@strawberry.input
class SearchSynonymRemoveInput:
    id: GlobalID


def search_synonym_remove(info: Info, input: SearchSynonymRemoveInput) -> SearchSynonymPayload:
    entry = search_synonyms.remove_synonym(
        info.context.session,
        actor=actor(info),
        synonym_id=decode_id(input.id, SearchSynonymType, field="id"),
    )
    return SearchSynonymPayload(search_synonym=SearchSynonymType.from_model(entry))
