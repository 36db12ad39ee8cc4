"""Queries of the dialogue: the viewer's dialogues, one dialogue, HR's cycles and role profiles."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.core.pagination import Connection, paginate_query
from catalogue.graphql.core.permissions import requires
from catalogue.graphql.dialogue.aggregate import DialogueOverviewType, dialogue_overview
from catalogue.graphql.dialogue.types import DialogueCycleType, DialogueType, RoleProfileType
from catalogue.services.capabilities import Capability
from catalogue.services.dialogue import reading

READERS = (
    Capability.DIALOGUE_TAKE_PART,
    Capability.DIALOGUE_OVERSEE,
    Capability.DIALOGUE_READ_SINGLE,
)


@strawberry.type
class DialogueQuery:
    @strawberry.field(
        description=(
            "Samtaler, du er leder eller chef i (og, med dialogue.oversee, dem hvor du er "
            "chefens chef; med dialogue.read_single dem i runder, der tillader HR at læse), "
            "nyeste runde først."
        ),
        extensions=requires(*READERS),
    )
    def dialogues(
        self,
        info: Info,
        cycle: GlobalID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[DialogueType]:
        assert info.context.viewer is not None
        cycle_id = decode_id(cycle, DialogueCycleType, field="cycle") if cycle else None
        return paginate_query(
            info,
            reading.dialogues_statement(info.context.viewer, cycle_id=cycle_id),
            first=first,
            after=after,
            to_node=DialogueType.from_model,
        )

    @strawberry.field(
        description="Samtalerunderne, nyeste først.",
        extensions=requires(Capability.DIALOGUE_ADMINISTER, *READERS),
    )
    def dialogue_cycles(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[DialogueCycleType]:
        return paginate_query(
            info,
            reading.cycles_statement(),
            first=first,
            after=after,
            to_node=DialogueCycleType.from_model,
        )

    @strawberry.field(
        description="Rolleprofilerne (lederfunktioner med standardvigtigheder).",
        extensions=requires(Capability.DIALOGUE_ADMINISTER, Capability.DIALOGUE_TAKE_PART),
    )
    def role_profiles(self, info: Info) -> list[RoleProfileType]:
        return [
            RoleProfileType.from_model(row)
            for row in info.context.session.scalars(reading.role_profiles_statement())
        ]

    @strawberry.field(
        description=(
            "HR's overblik over en runde: samtaler pr. status, fokusudsagn pr. felt, enhed og "
            "år, handlinger gennemført/ikke gennemført, mest valgte kurser. Celler med under 5 "
            "ledere vises ikke."
        ),
        extensions=requires(Capability.DIALOGUE_ADMINISTER),
    )
    def dialogue_overview(self, info: Info, cycle: GlobalID) -> DialogueOverviewType:
        return dialogue_overview(info, decode_id(cycle, DialogueCycleType, field="cycle"))
