"""Queries of evaluation: rounds for HR, reports after release, the respondent's questionnaire."""

from __future__ import annotations

import strawberry
from sqlalchemy import select
from strawberry.relay import GlobalID, to_base64

from catalogue.graphql.context import Info
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.core.pagination import Connection, paginate_query
from catalogue.graphql.core.permissions import requires
from catalogue.graphql.evaluation.types import (
    EvaluateeType,
    EvaluationAggregateCell,
    EvaluationReportType,
    EvaluationRoundType,
    QuestionnaireType,
)
from catalogue.models import Evaluatee, EvaluationRound
from catalogue.models.base import utcnow
from catalogue.services import evaluation_access, evaluation_aggregate, evaluation_answers
from catalogue.services.capabilities import Capability
from catalogue.services.evaluation_report import build_report

C = Capability
REPORT_PDF_PATH = "/evaluation/reports/{id}.pdf"


@strawberry.type
class EvaluationQuery:
    @strawberry.field(
        description="Evalueringsrunder, nyeste først.",
        extensions=requires(C.EVALUATION_MANAGE, C.EVALUATION_READ_ALL),
    )
    def evaluation_rounds(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[EvaluationRoundType]:
        statement = select(EvaluationRound).order_by(
            EvaluationRound.closes_at.desc(), EvaluationRound.id.desc()
        )
        return paginate_query(
            info, statement, first=first, after=after, to_node=EvaluationRoundType.from_model
        )

    @strawberry.field(
        description=(
            "Dine egne evalueringer (som leder): til at foreslå ledere på samme niveau og "
            "finde rapporten, når den er frigivet."
        ),
        extensions=requires(C.EVALUATION_READ_OWN),
    )
    def my_evaluations(self, info: Info) -> list[EvaluateeType]:
        assert info.context.viewer is not None
        models = info.context.session.scalars(
            select(Evaluatee)
            .where(Evaluatee.person_id == info.context.viewer.person_id)
            .order_by(Evaluatee.id.desc())
        )
        return [EvaluateeType.from_model(model) for model in models]

    @strawberry.field(
        description=(
            "De rapporter, du må læse nu: din egen efter frigivelse, som chef dem under dig "
            "(så langt op og så snart runden siger), med evaluation.read_all alle frigivne."
        ),
        extensions=requires(C.EVALUATION_READ_OWN, C.EVALUATION_READ_ALL),
    )
    async def readable_evaluation_reports(self, info: Info) -> list[EvaluateeType]:
        ids = evaluation_access.readable_evaluatee_ids(
            info.context.session, info.context.viewer, now=utcnow()
        )
        models = await info.context.loaders.evaluatee_by_id.load_many(ids)
        return [EvaluateeType.from_model(model) for model in models if model is not None]

    @strawberry.field(
        description=(
            "En leders rapport. Kun efter frigivelse: lederen først, cheferne i linjen over "
            "lederen efter rundens ventetid, og HR. Andre får NOT_FOUND."
        ),
        extensions=requires(C.EVALUATION_READ_OWN, C.EVALUATION_READ_ALL),
    )
    def evaluation_report(self, info: Info, evaluatee: GlobalID) -> EvaluationReportType:
        evaluatee_id = decode_id(evaluatee, EvaluateeType, field="evaluatee")
        found = evaluation_access.readable_evaluatee(
            info.context.session, info.context.viewer, evaluatee_id, now=utcnow()
        )
        report = build_report(info.context.session, evaluatee_id=found.id)
        pdf_url = REPORT_PDF_PATH.format(id=to_base64("Evaluatee", found.id))
        return EvaluationReportType.from_report(report, pdf_url)

    @strawberry.field(
        description=(
            "HR's overblik på tværs af ledere pr. enhed og felt, kun af de viste celler; "
            "celler med under 5 svar eller 3 ledere er skjult."
        ),
        extensions=requires(C.EVALUATION_READ_ALL),
    )
    def evaluation_aggregate(self, info: Info, round: GlobalID) -> list[EvaluationAggregateCell]:
        round_id = decode_id(round, EvaluationRoundType, field="round")
        cells = evaluation_aggregate.aggregate(info.context.session, round_id=round_id)
        return [EvaluationAggregateCell.from_cell(cell) for cell in cells]

    @strawberry.field(
        description=(
            "Spørgeskemaet bag et personligt link (intet login: linkets token er adgangen), "
            "med dine egne svar, så du kan ændre dem, indtil runden lukker."
        )
    )
    def evaluation_questionnaire(self, info: Info, token: str) -> QuestionnaireType:
        questionnaire = evaluation_answers.questionnaire(
            info.context.session, token=token, now=utcnow()
        )
        return QuestionnaireType.from_questionnaire(questionnaire)
