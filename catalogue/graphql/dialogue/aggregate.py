"""HR's overview of a cycle as GraphQL: counted cells, small ones suppressed by the service."""

from __future__ import annotations

import strawberry
from strawberry.relay import to_base64

from catalogue.graphql.context import Info
from catalogue.services.dialogue.overview import SECTIONS, Cell, Overview, cycle_overview


@strawberry.type(
    name="OverviewCell",
    description="Et antal ledere; tomt (suppressed) når cellen beskriver færre end 5 ledere.",
)
class OverviewCellType:
    cell: strawberry.Private[Cell]

    @strawberry.field(description="status, field, unit_field, action eller course.")
    def section(self) -> str:
        return self.cell.section

    @strawberry.field(description="Afsnittets overskrift på dansk.")
    def section_title(self) -> str:
        return SECTIONS[self.cell.section]

    @strawberry.field
    def label(self) -> str:
        return self.cell.label

    @strawberry.field
    def leaders(self) -> int | None:
        return self.cell.leaders

    @strawberry.field
    def suppressed(self) -> bool:
        return self.cell.suppressed


@strawberry.type(name="DialogueOverview", description="HR's overblik over en samtalerunde.")
class DialogueOverviewType:
    overview: strawberry.Private[Overview]

    @strawberry.field
    def year(self) -> int:
        return self.overview.year

    @strawberry.field
    def title(self) -> str:
        return self.overview.title

    @strawberry.field
    def cells(self) -> list[OverviewCellType]:
        return [OverviewCellType(cell=cell) for cell in self.overview.cells]

    @strawberry.field(description="Sti til overblikket som CSV (samme Bearer-token).")
    def csv_url(self) -> str:
        return f"/dialogue-overview/{to_base64('DialogueCycle', self.overview.cycle_id)}.csv"

    @strawberry.field(description="Sti til overblikket som XLSX (samme Bearer-token).")
    def xlsx_url(self) -> str:
        return f"/dialogue-overview/{to_base64('DialogueCycle', self.overview.cycle_id)}.xlsx"


def dialogue_overview(info: Info, cycle_id: int) -> DialogueOverviewType:
    return DialogueOverviewType(overview=cycle_overview(info.context.session, cycle_id))
