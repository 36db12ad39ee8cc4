"""searchSynonymAdd: HR makes two words mean the same to a searcher."""

from __future__ import annotations

import strawberry

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.search.mutations.payloads import SearchSynonymPayload
from catalogue.graphql.search.types import SearchSynonymType
from catalogue.services import search_synonyms


@strawberry.input
class SearchSynonymAddInput:
    word: str = strawberry.field(description="Fx MUS.")
    synonym: str = strawberry.field(description="Fx medarbejderudviklingssamtale.")


def search_synonym_add(info: Info, input: SearchSynonymAddInput) -> SearchSynonymPayload:
    entry = search_synonyms.add_synonym(
        info.context.session, actor=actor(info), word=input.word, synonym=input.synonym
    )
    return SearchSynonymPayload(search_synonym=SearchSynonymType.from_model(entry))
