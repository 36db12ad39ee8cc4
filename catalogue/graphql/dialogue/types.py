"""GraphQL types of the dialogue (LUS). Everything here but the cycle is personal data.

A Dialogue resolves (directly, through ``node(id:)`` or nested) only for its leader,
its chef, the chef's own chef and, where the cycle allows it, HR; for anyone else it
is absent, as if it did not exist. What each of them sees of the other side's
preparation is decided by the service (``services/dialogue/access.py``): the rows of
``statements`` hold only the sides the viewer may see. A read by the chef's chef or
HR is written to the audit log, once per request and dialogue.
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.relay import NodeID
from strawberry.scalars import JSON

from catalogue.graphql.competence.types import LinkStrengthEnum
from catalogue.graphql.context import Info
from catalogue.graphql.core.nodes import ModelNode, related, related_visible, visible_nodes
from catalogue.graphql.courses.types import CourseRunType, CourseType
from catalogue.graphql.dialogue.enums import (
    ActionKindEnum,
    ActionStatusEnum,
    CycleStatusEnum,
    DialogueStatusEnum,
    PreparationVisibilityEnum,
    StandingEnum,
)
from catalogue.graphql.enrolment.types import EnrolmentType
from catalogue.graphql.people.types import PersonType
from catalogue.graphql.profile.types import CompetenceStatementType
from catalogue.models import Dialogue, DialogueCycle
from catalogue.services.dialogue import access
from catalogue.services.dialogue.access import Standing
from catalogue.services.dialogue.recommendations import (
    Recommendation,
    dialogue_recommendations,
    latest_focus_dialogue,
)
from catalogue.services.dialogue.side_by_side import SideScore, StatementRow, side_by_side

DONT_KNOW_LABEL = "ved ikke"


async def dialogue_standing(info: Info, model: Dialogue) -> Standing | None:
    """The viewer's standing to ``model``, through the loaders; audited for third parties."""
    known = info.context.dialogue_standings
    if model.id in known:
        return known[model.id]
    cycle = await info.context.loaders.cycle_by_id.load(model.cycle_id)
    chef = await info.context.loaders.person_by_id.load(model.chef_id)
    assert cycle is not None
    assert chef is not None
    where = access.standing(
        info.context.viewer, model, chef_manager_id=chef.manager_id, cycle=cycle
    )
    known[model.id] = where
    if where is not None and where not in access.PARTIES and info.context.viewer is not None:
        access.record_read(info.context.session, info.context.viewer, model, where)
        info.context.session.commit()
    return where


@strawberry.type(name="ScaleStep", description="Et trin på samtalerundens skala.")
class ScaleStepType:
    value: int
    label: str


@strawberry.type(name="DialogueCycle", description="En årlig samtalerunde (LUS), sat op af HR.")
class DialogueCycleType(ModelNode):
    loader_name = "cycle_by_id"
    id: NodeID[int]
    year: int
    title: str
    status: CycleStatusEnum  # type: ignore[valid-type]
    opens_on: date
    preparation_due: date
    meeting_from: date
    meeting_until: date
    closes_on: date
    visibility: PreparationVisibilityEnum  # type: ignore[valid-type]
    hr_may_read_dialogues: bool = strawberry.field(
        description="HR må åbne den enkelte samtale (hver læsning logges); ellers kun overblik."
    )
    model: strawberry.Private[DialogueCycle]

    @strawberry.field(description="Skalaens trin, laveste først; »ved ikke« er ingen score.")
    def scale(self) -> list[ScaleStepType]:
        return [
            ScaleStepType(value=self.model.scale_min + i, label=label)
            for i, label in enumerate(self.model.scale_labels)
        ]

    @strawberry.field(description="Betegnelsen for at svare uden score.")
    def dont_know_label(self) -> str:
        return DONT_KNOW_LABEL

    @strawberry.field(description="Profilversionen, runden bruger.")
    async def profile_version(self, info: Info) -> int:
        profile = await info.context.loaders.profile_by_id.load(self.model.profile_id)
        assert profile is not None
        return profile.version


@strawberry.type(name="RoleProfile", description="En lederfunktion med standardvigtigheder.")
class RoleProfileType(ModelNode):
    loader_name = "role_profile_by_id"
    id: NodeID[int]
    key: str
    name: str
    importances: JSON = strawberry.field(description="Udsagnsnøgle → vigtighed 0–3.")


@strawberry.type(name="Assessment", description="Én parts vurdering af ét udsagn.")
class AssessmentType:
    row: strawberry.Private[SideScore]
    labels: strawberry.Private[tuple[int, list[str]]]

    @strawberry.field(description="Tom ved »ved ikke«.")
    def score(self) -> int | None:
        return self.row.score

    @strawberry.field(description="Trinnets betegnelse, eller »ved ikke«.")
    def label(self) -> str:
        if self.row.score is None:
            return DONT_KNOW_LABEL
        low, labels = self.labels
        return labels[self.row.score - low]

    @strawberry.field
    def comment(self) -> str:
        return self.row.comment


@strawberry.type(
    name="DialogueStatementRow",
    description=(
        "Et udsagn side om side: aftalt vigtighed, lederens og chefens score, forskellen og "
        "prioriteten (vigtighed × afstand til skalaens top fra den laveste kendte score). Den "
        "anden parts forberedelse er kun med, når runden tillader det."
    ),
)
class DialogueStatementRowType:
    row: strawberry.Private[StatementRow]
    labels: strawberry.Private[tuple[int, list[str]]]

    @strawberry.field
    async def statement(self, info: Info) -> CompetenceStatementType:
        return await related(
            info.context.loaders.statement_by_id, self.row.statement_id, CompetenceStatementType
        )

    @strawberry.field(description="Aftalt vigtighed (ellers udgangspunktets), 0–3.")
    def importance(self) -> int | None:
        return self.row.importance

    @strawberry.field
    def importance_rationale(self) -> str:
        return self.row.importance_rationale

    @strawberry.field(description="Lederens forslag til vigtighed, hvis du må se det.")
    def leader_importance(self) -> int | None:
        return self.row.leader_importance

    @strawberry.field(description="Chefens forslag til vigtighed, hvis du må se det.")
    def chef_importance(self) -> int | None:
        return self.row.chef_importance

    @strawberry.field(description="Lederens selvvurdering, hvis den findes og du må se den.")
    def self_assessment(self) -> AssessmentType | None:
        row = self.row.self_assessment
        return AssessmentType(row=row, labels=self.labels) if row else None

    @strawberry.field(description="Chefens vurdering, hvis den findes og du må se den.")
    def chef_assessment(self) -> AssessmentType | None:
        row = self.row.chef_assessment
        return AssessmentType(row=row, labels=self.labels) if row else None

    @strawberry.field(description="Selvvurdering minus chefens vurdering.")
    def difference(self) -> int | None:
        return self.row.difference

    @strawberry.field
    def gap(self) -> int | None:
        return self.row.gap

    @strawberry.field(description="Vigtighed × afstand; rækkerne er sorteret efter den.")
    def priority(self) -> int | None:
        return self.row.priority

    @strawberry.field(description="Udsagnet var fokus i sidste års samtale.")
    def focus_last_year(self) -> bool:
        return self.row.focus_last_year

    @strawberry.field(description="Hvordan sidste års handlinger for udsagnet endte.")
    def last_year_outcomes(self) -> list[ActionStatusEnum]:  # type: ignore[valid-type]
        return list(self.row.last_year_outcomes)


@strawberry.type(
    name="Recommendation",
    description="Et kursus til et fokusudsagn, med den bedste hold og en forklaring på dansk.",
)
class RecommendationType:
    item: strawberry.Private[Recommendation]

    @strawberry.field
    def statement_key(self) -> str:
        return self.item.statement_key

    @strawberry.field
    def strength(self) -> LinkStrengthEnum:  # type: ignore[valid-type]
        return self.item.strength

    @strawberry.field(description="Fx »PRIMARY-link til K3.2; start 12. marts 2027; …«.")
    def explanation(self) -> str:
        return self.item.explanation

    @strawberry.field(description="Ledige pladser på holdet; tom uden pladsbegrænsning.")
    def seats_left(self) -> int | None:
        return self.item.seats_left

    @strawberry.field
    async def course(self, info: Info) -> CourseType:
        return await related(info.context.loaders.course_by_id, self.item.course_id, CourseType)

    @strawberry.field
    async def course_run(self, info: Info) -> CourseRunType:
        return await related(info.context.loaders.run_by_id, self.item.course_run_id, CourseRunType)


def recommendation_types(items: list[Recommendation]) -> list[RecommendationType]:
    return [RecommendationType(item=item) for item in items]


@strawberry.type(name="DevelopmentAction", description="En udviklingshandling under et fokus.")
class DevelopmentActionType(ModelNode):
    loader_name = "action_by_id"
    id: NodeID[int]
    kind: ActionKindEnum  # type: ignore[valid-type]
    description: str
    status: ActionStatusEnum  # type: ignore[valid-type]
    status_reason: str | None
    starts_on: date | None
    due_on: date | None
    updated_at: datetime
    focus_id: strawberry.Private[int]
    owner_id: strawberry.Private[int]
    course_run_id: strawberry.Private[int | None]
    enrolment_id: strawberry.Private[int | None]

    async def is_visible(self, info: Info) -> bool:
        focus = await info.context.loaders.focus_by_id.load(self.focus_id)
        return focus is not None and await _dialogue_visible(info, focus.dialogue_id)

    @strawberry.field
    async def owner(self, info: Info) -> PersonType:
        return await related(info.context.loaders.person_by_id, self.owner_id, PersonType)

    @strawberry.field
    async def course_run(self, info: Info) -> CourseRunType | None:
        if self.course_run_id is None:
            return None
        return await related_visible(
            info, info.context.loaders.run_by_id, self.course_run_id, CourseRunType
        )

    @strawberry.field(description="Tilmeldingen, bookingen gav.")
    async def enrolment(self, info: Info) -> EnrolmentType | None:
        if self.enrolment_id is None:
            return None
        model = await info.context.loaders.enrolment_by_id.load(self.enrolment_id)
        return EnrolmentType.from_model(model) if model else None


@strawberry.type(name="DialogueFocus", description="Et aftalt fokusudsagn med mål og handlinger.")
class DialogueFocusType(ModelNode):
    loader_name = "focus_by_id"
    id: NodeID[int]
    position: int
    goal: str = strawberry.field(description="Målet med lederens egne ord.")
    success_criteria: str = strawberry.field(description="Hvordan succes vil kunne ses.")
    dialogue_id: strawberry.Private[int]
    statement_id: strawberry.Private[int]

    async def is_visible(self, info: Info) -> bool:
        return await _dialogue_visible(info, self.dialogue_id)

    @strawberry.field
    async def statement(self, info: Info) -> CompetenceStatementType:
        return await related(
            info.context.loaders.statement_by_id, self.statement_id, CompetenceStatementType
        )

    @strawberry.field
    async def actions(self, info: Info) -> list[DevelopmentActionType]:
        rows = await info.context.loaders.actions_by_focus_id.load(self.id)
        return [DevelopmentActionType.from_model(row) for row in rows]


@strawberry.type(name="DialogueSnapshot", description="Aftalen, som den blev bekræftet af begge.")
class DialogueSnapshotType:
    number: int
    taken_at: datetime
    content: JSON


async def _dialogue_visible(info: Info, dialogue_id: int) -> bool:
    model = await info.context.loaders.dialogue_by_id.load(dialogue_id)
    return model is not None and await dialogue_standing(info, model) is not None


@strawberry.type(
    name="Dialogue",
    description=(
        "En leders udviklingssamtale (LUS) med sin chef i én runde. Kun lederen, chefen, "
        "chefens chef (læse) og HR, hvor runden tillader det, ser den."
    ),
)
class DialogueType(ModelNode):
    loader_name = "dialogue_by_id"
    id: NodeID[int]
    status: DialogueStatusEnum  # type: ignore[valid-type]
    meeting_at: datetime | None
    meeting_place: str
    leader_submitted_at: datetime | None
    chef_submitted_at: datetime | None
    held_at: datetime | None
    summary: str = strawberry.field(description="Referatet.")
    leader_confirmed_at: datetime | None
    chef_confirmed_at: datetime | None
    agreed_at: datetime | None
    follow_up_note: str
    followed_up_at: datetime | None
    reopen_reason: str | None
    updated_at: datetime
    model: strawberry.Private[Dialogue]

    async def is_visible(self, info: Info) -> bool:
        return await dialogue_standing(info, self.model) is not None

    async def _standing(self, info: Info) -> Standing:
        where = await dialogue_standing(info, self.model)
        assert where is not None, "only visible dialogues are resolved"
        return where

    @strawberry.field(description="Din rolle i samtalen.")
    async def viewer_standing(self, info: Info) -> StandingEnum:  # type: ignore[valid-type]
        return await self._standing(info)

    @strawberry.field
    async def leader(self, info: Info) -> PersonType:
        return await related(info.context.loaders.person_by_id, self.model.leader_id, PersonType)

    @strawberry.field
    async def chef(self, info: Info) -> PersonType:
        return await related(info.context.loaders.person_by_id, self.model.chef_id, PersonType)

    @strawberry.field
    async def cycle(self, info: Info) -> DialogueCycleType:
        return await related(
            info.context.loaders.cycle_by_id, self.model.cycle_id, DialogueCycleType
        )

    @strawberry.field(description="Sidste års samtale, hvis du må se den.")
    async def previous_dialogue(self, info: Info) -> DialogueType | None:
        if self.model.previous_dialogue_id is None:
            return None
        model = await info.context.loaders.dialogue_by_id.load(self.model.previous_dialogue_id)
        if model is None or await dialogue_standing(info, model) is None:
            return None
        return DialogueType.from_model(model)

    @strawberry.field(
        description=(
            "Alle profilens udsagn side om side, sorteret efter prioritet (vigtighed × "
            "afstand). Den anden parts forberedelse er kun med, når runden tillader det."
        )
    )
    async def statements(self, info: Info) -> list[DialogueStatementRowType]:
        where = await self._standing(info)
        cycle = await info.context.loaders.cycle_by_id.load(self.model.cycle_id)
        assert cycle is not None
        labels = (cycle.scale_min, list(cycle.scale_labels))
        rows = side_by_side(info.context.session, self.model, where)
        return [DialogueStatementRowType(row=row, labels=labels) for row in rows]

    @strawberry.field(description="De aftalte fokusudsagn (1–3) i rækkefølge.")
    async def focus(self, info: Info) -> list[DialogueFocusType]:
        rows = await info.context.loaders.focus_by_dialogue_id.load(self.model.id)
        return [DialogueFocusType.from_model(row) for row in rows]

    @strawberry.field(description="Aftalen fastfrosset ved hver aftale, ældste først.")
    async def snapshots(self, info: Info) -> list[DialogueSnapshotType]:
        rows = await info.context.loaders.snapshots_by_dialogue_id.load(self.model.id)
        return [
            DialogueSnapshotType(number=r.number, taken_at=r.taken_at, content=JSON(r.content))
            for r in rows
        ]

    @strawberry.field(description="Kurser til fokusudsagnene, rangeret og forklaret.")
    async def recommendations(self, info: Info) -> list[RecommendationType]:
        where = await self._standing(info)
        return recommendation_types(
            dialogue_recommendations(info.context.session, self.model, where)
        )


async def visible_dialogues(info: Info, models: list[Dialogue]) -> list[DialogueType]:
    return await visible_nodes(info, [DialogueType.from_model(model) for model in models])


async def person_recommendations(info: Info, person_id: int) -> list[RecommendationType]:
    """From the person's newest dialogue with a focus, if the viewer may see that dialogue."""
    dialogue = latest_focus_dialogue(info.context.session, person_id)
    if dialogue is None:
        return []
    where = await dialogue_standing(info, dialogue)
    if where is None:
        return []
    return recommendation_types(dialogue_recommendations(info.context.session, dialogue, where))
