"""DataLoaders of search: a page's explanations in one pair of bulk queries per search."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from catalogue.graphql.core.loading import load_by_ids
from catalogue.models import SearchSynonym
from catalogue.services.search_query import AnalysedQuery, SearchMatch, search_matches


def search_matches_by_course(
    session: Session,
) -> DataLoader[tuple[AnalysedQuery, int], list[SearchMatch]]:
    async def load(keys: Sequence[tuple[AnalysedQuery, int]]) -> list[list[SearchMatch]]:
        by_query: dict[AnalysedQuery, list[int]] = defaultdict(list)
        for query, course_id in keys:
            by_query[query].append(course_id)
        found = {
            query: search_matches(session, query, course_ids)
            for query, course_ids in by_query.items()
        }
        return [found[query][course_id] for query, course_id in keys]

    return DataLoader(load_fn=load)


def search_synonym_by_id(session: Session) -> DataLoader[int, SearchSynonym | None]:
    async def load(keys: Sequence[int]) -> list[SearchSynonym | None]:
        return load_by_ids(session, SearchSynonym, keys)

    return DataLoader(load_fn=load)
