"""addEvaluationRespondent: HR asks one more person (by e-mail) about a leader."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.evaluation.enums import RespondentGroupEnum
from catalogue.graphql.evaluation.mutations.payloads import EvaluationInvitationPayload
from catalogue.graphql.evaluation.types import EvaluateeType, EvaluationInvitationType
from catalogue.models.base import utcnow
from catalogue.services import evaluation_rounds


@strawberry.input
class AddEvaluationRespondentInput:
    evaluatee_id: GlobalID
    group: RespondentGroupEnum  # type: ignore[valid-type]
    email: str


def add_evaluation_respondent(
    info: Info, input: AddEvaluationRespondentInput
) -> EvaluationInvitationPayload:
    invitation = evaluation_rounds.add_respondent(
        info.context.session,
        actor=actor(info),
        evaluatee_id=decode_id(input.evaluatee_id, EvaluateeType, field="evaluateeId"),
        group=input.group,
        email=input.email,
        now=utcnow(),
    )
    return EvaluationInvitationPayload(invitation=EvaluationInvitationType.from_model(invitation))
