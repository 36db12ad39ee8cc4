"""Mutations of search: HR adds and removes synonyms (catalogue.curate, audited)."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.mutations import mutation
from catalogue.graphql.search.mutations.search_synonym_add import search_synonym_add
from catalogue.graphql.search.mutations.search_synonym_remove import search_synonym_remove
from catalogue.services.capabilities import Capability


@strawberry.type
class SearchMutation:
    search_synonym_add = strawberry.mutation(
        resolver=search_synonym_add,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Gør to ord til synonymer i søgningen (begge veje).",
    )
    search_synonym_remove = strawberry.mutation(
        resolver=search_synonym_remove,
        extensions=mutation(Capability.CATALOGUE_CURATE),
        description="Fjern et synonym fra søgningen.",
    )
