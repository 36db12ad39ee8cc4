"""GraphQL types of evaluation: rounds and who is asked (HR), reports (after release).

No type here holds an answer: there is no node for an answer set, a rating or a comment,
so ``node(id:)`` has nothing to find, and a report gives only what the thresholds allow
(``services/evaluation_report.py``). Reports are not nodes either: they are read through
``evaluationReport(evaluatee:)``, which asks ``services/evaluation_access.py``.
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.relay import NodeID

from catalogue.graphql.context import Info
from catalogue.graphql.core.nodes import ModelNode, related, related_visible
from catalogue.graphql.core.permissions import requires
from catalogue.graphql.evaluation.enums import (
    AnswerChoiceEnum,
    InvitationStatusEnum,
    ReportGroupEnum,
    RespondentGroupEnum,
    RoundStatusEnum,
)
from catalogue.graphql.people.types import PersonType
from catalogue.graphql.profile.types import CompetenceStatementType
from catalogue.models import EvaluationInvitation, RespondentGroup
from catalogue.services import evaluation_answers, evaluation_report
from catalogue.services.capabilities import Capability
from catalogue.services.evaluation_aggregate import AggregateCell
from catalogue.services.evaluation_report import REPORT_GROUP_LABELS

C = Capability


@strawberry.type(
    name="EvaluationRound",
    description="En evalueringsrunde (HR): hvad der spørges om, hvornår, tærskler og læsere.",
)
class EvaluationRoundType(ModelNode):
    loader_name = "evaluation_round_by_id"
    id: NodeID[int]
    name: str
    status: RoundStatusEnum  # type: ignore[valid-type]
    opens_on: date
    closes_at: datetime
    reminder_days: list[int] = strawberry.field(
        description="Dage før lukning, hvor dem, der ikke har svaret, mindes om det."
    )
    scale_max: int = strawberry.field(description="Skalaen går fra 1 til scaleMax.")
    employee_threshold: int
    peer_threshold: int
    subordinate_leader_threshold: int
    peers_named: bool = strawberry.field(
        description="Sand: ledere på samme niveau svarer med navn (ingen tærskel)."
    )
    chef_levels: int = strawberry.field(
        description="Hvor mange chefer op ad linjen der læser rapporten (1: lederens chef)."
    )
    chef_delay_days: int = strawberry.field(
        description="Dage efter frigivelsen, før cheferne ser rapporten (lederen ser den først)."
    )
    released_at: datetime | None

    async def is_visible(self, info: Info) -> bool:
        viewer = info.context.viewer
        return viewer is not None and viewer.can(C.EVALUATION_MANAGE, C.EVALUATION_READ_ALL)

    @strawberry.field(description="Udsagnene, runden spørger om, i profilens rækkefølge.")
    async def statements(self, info: Info) -> list[CompetenceStatementType]:
        models = await info.context.loaders.statements_by_evaluation_round_id.load(self.id)
        return [CompetenceStatementType.from_model(model) for model in models]

    @strawberry.field(description="Lederne i runden.")
    async def evaluatees(self, info: Info) -> list[EvaluateeType]:
        models = await info.context.loaders.evaluatees_by_round_id.load(self.id)
        return [EvaluateeType.from_model(model) for model in models]


@strawberry.type(description="Svar modtaget i en gruppe: kun at der er svaret, aldrig hvad.")
class GroupResponseCount:
    group: RespondentGroupEnum  # type: ignore[valid-type]
    invited: int
    answered: int


async def _may_see_evaluatee(info: Info, person_id: int) -> bool:
    viewer = info.context.viewer
    if viewer is None:
        return False
    if viewer.can(C.EVALUATION_MANAGE, C.EVALUATION_READ_ALL):
        return True
    if viewer.person_id == person_id and viewer.can(C.EVALUATION_READ_OWN):
        return True
    person = await info.context.loaders.person_by_id.load(person_id)
    return (
        person is not None
        and person.manager_id == viewer.person_id
        and viewer.can(C.EVALUATION_APPROVE_PEERS)
    )


@strawberry.type(name="Evaluatee", description="En leder, der evalueres i en runde.")
class EvaluateeType(ModelNode):
    loader_name = "evaluatee_by_id"
    id: NodeID[int]
    person_id: strawberry.Private[int]
    round_id: strawberry.Private[int]

    async def is_visible(self, info: Info) -> bool:
        return await _may_see_evaluatee(info, self.person_id)

    @strawberry.field
    async def person(self, info: Info) -> PersonType:
        return await related(info.context.loaders.person_by_id, self.person_id, PersonType)

    @strawberry.field(description="Runden (kun for HR).")
    async def round(self, info: Info) -> EvaluationRoundType:
        return await related_visible(
            info, info.context.loaders.evaluation_round_by_id, self.round_id, EvaluationRoundType
        )

    @strawberry.field(description="Rundens navn.")
    async def round_name(self, info: Info) -> str:
        model = await info.context.loaders.evaluation_round_by_id.load(self.round_id)
        assert model is not None
        return model.name

    @strawberry.field(description="Rundens status.")
    async def round_status(self, info: Info) -> RoundStatusEnum:  # type: ignore[valid-type]
        model = await info.context.loaders.evaluation_round_by_id.load(self.round_id)
        assert model is not None
        return model.status

    @strawberry.field(
        description=(
            "Hvem der er bedt om at svare. HR ser alle; lederen og chefen kun ledere på samme "
            "niveau (forslag og godkendte)."
        )
    )
    async def invitations(self, info: Info) -> list[EvaluationInvitationType]:
        models = await info.context.loaders.invitations_by_evaluatee_id.load(self.id)
        viewer = info.context.viewer
        everyone = viewer is not None and viewer.can(C.EVALUATION_MANAGE)
        return [
            EvaluationInvitationType.from_model(m)
            for m in models
            if everyone or m.group is RespondentGroup.PEER
        ]

    @strawberry.field(
        description="Inviterede og svar pr. gruppe, til påmindelser.",
        extensions=requires(C.EVALUATION_MANAGE),
    )
    async def response_counts(self, info: Info) -> list[GroupResponseCount]:
        counts = await info.context.loaders.response_counts_by_evaluatee_id.load(self.id)
        return [
            GroupResponseCount(group=c.group, invited=c.invited, answered=c.answered)
            for c in counts
        ]


@strawberry.type(
    name="EvaluationInvitation",
    description="At en person er bedt om at svare om en leder; aldrig personens svar.",
)
class EvaluationInvitationType(ModelNode):
    loader_name = "evaluation_invitation_by_id"
    id: NodeID[int]
    group: RespondentGroupEnum  # type: ignore[valid-type]
    status: InvitationStatusEnum  # type: ignore[valid-type]
    email: str
    person_id: strawberry.Private[int | None]
    evaluatee_id: strawberry.Private[int]
    model: strawberry.Private[EvaluationInvitation]

    async def is_visible(self, info: Info) -> bool:
        viewer = info.context.viewer
        if viewer is None:
            return False
        if viewer.can(C.EVALUATION_MANAGE):
            return True
        evaluatee = await info.context.loaders.evaluatee_by_id.load(self.evaluatee_id)
        return (
            evaluatee is not None
            and self.model.group is RespondentGroup.PEER
            and await _may_see_evaluatee(info, evaluatee.person_id)
        )

    @strawberry.field(description="Personen, hvis svarpersonen findes i kataloget.")
    async def person(self, info: Info) -> PersonType | None:
        if self.person_id is None:
            return None
        return await related(info.context.loaders.person_by_id, self.person_id, PersonType)


# --- the report -----------------------------------------------------------------------


@strawberry.type(description="Én gruppes svar på ét udsagn; kun vist når gruppen har nok svar.")
class ReportCell:
    group: ReportGroupEnum  # type: ignore[valid-type]
    label: str
    average: float
    count: int
    distribution: list[int] = strawberry.field(
        description="Antal svar på 1, 2, … scaleMax (kun for celler over tærsklen)."
    )


@strawberry.type
class ReportStatement:
    key: str
    text: str
    self_score: int | None
    chef_score: float | None
    groups: list[ReportCell]
    suppressed_groups: list[str] = strawberry.field(
        description="Grupper med svar, der ikke vises: for få, også samlet som øvrige."
    )
    others_average: float | None = strawberry.field(
        description="Gennemsnit af de viste svar fra andre end lederen selv."
    )
    gap: float | None = strawberry.field(description="Selvevaluering minus othersAverage.")
    trend: float | None = strawberry.field(
        description="othersAverage nu minus i lederens forrige frigivne runde."
    )


@strawberry.type
class ReportComment:
    group: ReportGroupEnum  # type: ignore[valid-type]
    text: str


@strawberry.type
class ReportField:
    key: str
    name: str
    statements: list[ReportStatement]
    comments: list[ReportComment] = strawberry.field(
        description="Kommentarer fra grupper med nok svarpersoner, i tilfældig rækkefølge."
    )
    comments_withheld_from: list[str]


@strawberry.type
class ReportRespondents:
    group: ReportGroupEnum  # type: ignore[valid-type]
    count: int


@strawberry.type(
    name="EvaluationReport",
    description="En leders rapport efter frigivelse; tærsklerne håndhæves på serveren.",
)
class EvaluationReportType:
    evaluatee_id: strawberry.Private[int]
    person_name: str
    round_name: str
    scale_max: int
    fields: list[ReportField]
    respondents: list[ReportRespondents] = strawberry.field(
        description="Svarpersoner pr. gruppe, kun for grupper med nok svar."
    )
    notes: list[str] = strawberry.field(description="Hvad rapporten ikke viser, og hvorfor.")
    pdf_url: str = strawberry.field(description="Rapporten som PDF (samme Bearer-token).")

    @classmethod
    def from_report(cls, report: evaluation_report.Report, pdf_url: str) -> EvaluationReportType:
        return cls(
            evaluatee_id=report.evaluatee_id,
            person_name=report.person_name,
            round_name=report.round_name,
            scale_max=report.scale_max,
            fields=[
                ReportField(
                    key=f.key,
                    name=f.name,
                    statements=[
                        ReportStatement(
                            key=s.key,
                            text=s.text,
                            self_score=s.self_score,
                            chef_score=s.chef_score,
                            groups=[
                                ReportCell(
                                    group=c.group,
                                    label=REPORT_GROUP_LABELS[c.group],
                                    average=c.average,
                                    count=c.count,
                                    distribution=list(c.distribution),
                                )
                                for c in s.groups
                            ],
                            suppressed_groups=s.suppressed,
                            others_average=s.others_average,
                            gap=s.gap,
                            trend=s.trend,
                        )
                        for s in f.statements
                    ],
                    comments=[ReportComment(group=g, text=t) for g, t in f.comments],
                    comments_withheld_from=f.comments_withheld,
                )
                for f in report.fields
            ],
            respondents=[
                ReportRespondents(group=g, count=n) for g, n in report.respondents.items()
            ],
            notes=report.notes,
            pdf_url=pdf_url,
        )


@strawberry.type(description="HR's tværgående celle; skjult ved under 5 svar eller 3 ledere.")
class EvaluationAggregateCell:
    org_unit_name: str
    field_key: str
    average: float | None
    hidden: bool

    @classmethod
    def from_cell(cls, cell: AggregateCell) -> EvaluationAggregateCell:
        return cls(
            org_unit_name=cell.org_unit_name,
            field_key=cell.field_key,
            average=cell.average,
            hidden=cell.hidden,
        )


# --- the respondent's questionnaire (no login: the link token) --------------------------


@strawberry.type
class QuestionnaireStatement:
    key: str
    text: str
    choice: AnswerChoiceEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="Dit nuværende svar, hvis du har svaret."
    )
    score: int | None


@strawberry.type
class QuestionnaireField:
    key: str
    name: str
    statements: list[QuestionnaireStatement]
    comment: str = strawberry.field(description="Din kommentar til feltet (tom: ingen).")


@strawberry.type(
    name="EvaluationQuestionnaire",
    description="Det, svarpersonen ser via sit link: om hvem, hvad der spørges om, egne svar.",
)
class QuestionnaireType:
    round_name: str
    evaluatee_name: str
    group: RespondentGroupEnum  # type: ignore[valid-type]
    closes_at: datetime
    scale_max: int
    fields: list[QuestionnaireField]

    @classmethod
    def from_questionnaire(cls, q: evaluation_answers.Questionnaire) -> QuestionnaireType:
        return cls(
            round_name=q.round.name,
            evaluatee_name=q.evaluatee_name,
            group=q.group,
            closes_at=q.round.closes_at,
            scale_max=q.round.scale_max,
            fields=[
                QuestionnaireField(
                    key=f.key,
                    name=f.name,
                    statements=[
                        QuestionnaireStatement(
                            key=s.key,
                            text=s.text,
                            choice=q.ratings[s.key].choice if s.key in q.ratings else None,
                            score=q.ratings[s.key].score if s.key in q.ratings else None,
                        )
                        for s in statements
                    ],
                    comment=q.comments.get(f.key, ""),
                )
                for f, statements in q.fields
            ],
        )
