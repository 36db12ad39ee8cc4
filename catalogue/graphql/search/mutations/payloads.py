"""Mutation payloads of search: the synonym, and the expected errors."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.errors import UserError
from catalogue.graphql.search.types import SearchSynonymType


@strawberry.type
class SearchSynonymPayload:
    search_synonym: SearchSynonymType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
