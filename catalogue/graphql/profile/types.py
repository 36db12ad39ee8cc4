"""GraphQL types of the competence profile."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.relay import NodeID

from catalogue.graphql.context import Info
from catalogue.graphql.core.nodes import ModelNode, related
from catalogue.graphql.core.pagination import Connection, paginate_list

if TYPE_CHECKING:
    from catalogue.graphql.competence.types import CompetenceLinkType
    from catalogue.graphql.courses.types import CourseType


@strawberry.type(name="Theme", description="Et tema i leder- og medarbejdergrundlaget.")
class ThemeType(ModelNode):
    loader_name = "theme_by_id"
    id: NodeID[int]
    key: str
    name: str
    position: int


@strawberry.type(
    name="CompetenceStatement",
    description='Et "Vi skal"-udsagn, ordret som i kompetenceprofilen.',
)
class CompetenceStatementType(ModelNode):
    loader_name = "statement_by_id"
    id: NodeID[int]
    key: str
    text: str
    position: int
    profile_version: int = strawberry.field(
        description=(
            "Versionen af kompetenceprofilen, udsagnet hører til; nøglen (K3.2) går igen "
            "fra version til version."
        )
    )
    field_id: strawberry.Private[int]
    profile_id: strawberry.Private[int]

    @strawberry.field(
        description=(
            "Levende links til kurser og aktiviteter, der bygger udsagnet. Kun den gældende "
            "versions udsagn har links; en ældre versions links er gravsten, afløst af den "
            "gældende versions."
        )
    )
    async def links(
        self, info: Info
    ) -> list[Annotated[CompetenceLinkType, strawberry.lazy("catalogue.graphql.competence.types")]]:
        from catalogue.graphql.competence.types import visible_links

        rows = await info.context.loaders.links_by_statement_id.load(self.id)
        return await visible_links(info, rows)

    @strawberry.field(description="Publicerede kurser, der bygger udsagnet, efter titel.")
    async def courses(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[CourseType, strawberry.lazy("catalogue.graphql.courses.types")]]:
        from catalogue.graphql.competence.dataloaders import course_title_order
        from catalogue.graphql.courses.types import CourseType

        rows = await info.context.loaders.published_courses_by_statement_id.load(self.id)
        return paginate_list(
            rows,
            key=course_title_order,
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
            to_node=CourseType.from_model,
        )

    @strawberry.field(description="Kompetencefeltet, udsagnet hører til.")
    async def field(self, info: Info) -> CompetenceFieldType:
        return await related(info.context.loaders.field_by_id, self.field_id, CompetenceFieldType)


@strawberry.type(name="CompetenceField", description="Et kompetencefelt (K1-K7).")
class CompetenceFieldType(ModelNode):
    loader_name = "field_by_id"
    id: NodeID[int]
    key: str
    name: str
    description: str = strawberry.field(
        description="Afsnittet der knytter feltet til grundlagets temaer."
    )
    position: int

    @strawberry.field(description="Temaerne, feltet knytter an til, som dokumentet angiver dem.")
    async def themes(self, info: Info) -> list[ThemeType]:
        rows = await info.context.loaders.themes_by_field_id.load(self.id)
        return [ThemeType.from_model(row) for row in rows]

    @strawberry.field(description="Feltets udsagn i dokumentets rækkefølge.")
    async def statements(self, info: Info) -> list[CompetenceStatementType]:
        rows = await info.context.loaders.statements_by_field_id.load(self.id)
        return [CompetenceStatementType.from_model(row) for row in rows]


@strawberry.type(
    name="CompetenceProfile", description="En version af kompetenceprofilen for ledere."
)
class CompetenceProfileType(ModelNode):
    loader_name = "profile_by_id"
    id: NodeID[int]
    version: int
    title: str
    intro: str
    work_environment_note: str = strawberry.field(
        description="Arbejdsmiljø og trivsel går på tværs af alle felter."
    )
    dialogue_note: str = strawberry.field(
        description="Profilen drøftes mellem chef og leder og tilpasses konteksten."
    )
    published_at: datetime | None

    @strawberry.field(description="Grundlagets fem temaer.")
    async def themes(self, info: Info) -> list[ThemeType]:
        rows = await info.context.loaders.themes_by_profile_id.load(self.id)
        return [ThemeType.from_model(row) for row in rows]

    @strawberry.field(description="De syv kompetencefelter i dokumentets rækkefølge.")
    async def fields(self, info: Info) -> list[CompetenceFieldType]:
        rows = await info.context.loaders.fields_by_profile_id.load(self.id)
        return [CompetenceFieldType.from_model(row) for row in rows]

    @strawberry.field(description="Alle udsagn i dokumentets rækkefølge.")
    async def statements(self, info: Info) -> list[CompetenceStatementType]:
        rows = await info.context.loaders.statements_by_profile_id.load(self.id)
        return [CompetenceStatementType.from_model(row) for row in rows]
