"""Payloads of the evaluation mutations: the object, and the expected errors."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.errors import UserError
from catalogue.graphql.evaluation.types import (
    EvaluateeType,
    EvaluationInvitationType,
    EvaluationRoundType,
    QuestionnaireType,
)


@strawberry.type
class EvaluationRoundPayload:
    round: EvaluationRoundType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EvaluateePayload:
    evaluatee: EvaluateeType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EvaluationInvitationPayload:
    invitation: EvaluationInvitationType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SubmitEvaluationAnswersPayload:
    questionnaire: QuestionnaireType | None = strawberry.field(
        default=None, description="Spørgeskemaet med dine svar, som de nu er gemt."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)
