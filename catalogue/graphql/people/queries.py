"""Queries about people: ``me``, ``person`` and ``people``."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.core.nodes import related
from catalogue.graphql.core.pagination import Connection, paginate_query
from catalogue.graphql.core.permissions import requires
from catalogue.graphql.people.types import OrgUnitType, PersonType
from catalogue.services import people
from catalogue.services.capabilities import Capability


@strawberry.type
class PeopleQuery:
    @strawberry.field(
        description="Den indloggede person.", extensions=requires(Capability.PEOPLE_READ_SELF)
    )
    async def me(self, info: Info) -> PersonType:
        assert info.context.viewer is not None
        return await related(
            info.context.loaders.person_by_id, info.context.viewer.person_id, PersonType
        )

    @strawberry.field(
        description="En person; tom hvis du ikke må se personen.",
        extensions=requires(*people.PERSONAL_DATA_READERS),
    )
    async def person(self, info: Info, id: GlobalID) -> PersonType | None:
        nodes = await PersonType.resolve_nodes(
            info=info, node_ids=[str(decode_id(id, PersonType, field="id"))]
        )
        return nodes[0]

    @strawberry.field(
        description=(
            "Personer, du må se: med people.read_all alle, med people.read_subtree dem i hele "
            "træet under dig."
        ),
        extensions=requires(Capability.PEOPLE_SEARCH),
    )
    def people(
        self,
        info: Info,
        search: str | None = None,
        org_unit: GlobalID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[PersonType]:
        org_unit_id = decode_id(org_unit, OrgUnitType, field="orgUnit") if org_unit else None
        statement = people.people_statement(
            info.context.session,
            visible=info.context.visible_people(),
            search=search,
            org_unit_id=org_unit_id,
        )
        return paginate_query(
            info, statement, first=first, after=after, to_node=PersonType.from_model
        )
