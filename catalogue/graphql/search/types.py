"""GraphQL types of search: a hit's explanation and HR's synonyms."""

from __future__ import annotations

import strawberry
from strawberry.relay import NodeID

from catalogue.graphql.context import Info
from catalogue.graphql.core.nodes import ModelNode
from catalogue.models import SearchField
from catalogue.services.capabilities import Capability
from catalogue.services.search_query import SearchMatch, SearchVia

SearchFieldEnum = strawberry.enum(
    SearchField,
    name="SearchField",
    description=(
        "Hvor et søgeord blev fundet: kursets titel, en aktivitets titel, resuméet, "
        "målgruppen, udbyderen, eller et udsagn i kompetenceprofilen, kurset er linket til."
    ),
)
SearchViaEnum = strawberry.enum(
    SearchVia,
    name="SearchVia",
    description=(
        "Hvordan søgeordet fandt det: WORD (ordet eller en bøjning af det), SPELLING (skrevet "
        "med ae/oe/aa), COMPOUND (alle dele af et sammensat ord), COMPOUND_PART (det sammensatte "
        "ords første del, emnet), SYNONYM (et synonym HR har oprettet), TYPO (et kendt ord ét "
        "bogstav fra)."
    ),
)


@strawberry.type(name="SearchMatch", description="Én grund til, at et kursus blev fundet.")
class SearchMatchType:
    word: str = strawberry.field(description="Søgeordet, som det blev skrevet.")
    field: SearchFieldEnum  # type: ignore[valid-type]
    via: SearchViaEnum  # type: ignore[valid-type]
    terms: list[str] = strawberry.field(
        description="De analyserede termer (stammer, uden æ/ø/å), der blev fundet."
    )
    statement_key: str | None = strawberry.field(
        description="Udsagnets nøgle (fx K3.3), når field er STATEMENT: kurset er linket til det."
    )
    activity_title: str | None = strawberry.field(
        description="Aktivitetens titel, når field er ACTIVITY."
    )
    synonym: str | None = strawberry.field(description="Synonymet, når via er SYNONYM.")

    @classmethod
    def of(cls, match: SearchMatch) -> SearchMatchType:
        return cls(
            word=match.word,
            field=match.field,
            via=match.via,
            terms=list(match.terms),
            statement_key=match.statement_key,
            activity_title=match.activity_title,
            synonym=match.synonym,
        )


@strawberry.type(
    name="SearchSynonym",
    description="To ord, der betyder det samme for søgningen; virker begge veje.",
)
class SearchSynonymType(ModelNode):
    loader_name = "search_synonym_by_id"
    id: NodeID[int]
    first: str
    second: str

    async def is_visible(self, info: Info) -> bool:
        viewer = info.context.viewer
        return viewer is not None and viewer.can(Capability.CATALOGUE_CURATE)
