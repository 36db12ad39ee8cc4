"""createEvaluationRound: HR sets up a DRAFT round on the current profile."""

from __future__ import annotations

import strawberry

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.evaluation.mutations.payloads import EvaluationRoundPayload
from catalogue.graphql.evaluation.mutations.round_inputs import EvaluationRoundFieldsInput
from catalogue.graphql.evaluation.types import EvaluationRoundType
from catalogue.models.base import utcnow
from catalogue.services import evaluation_rounds


@strawberry.input
class CreateEvaluationRoundInput:
    round: EvaluationRoundFieldsInput


def create_evaluation_round(
    info: Info, input: CreateEvaluationRoundInput
) -> EvaluationRoundPayload:
    round_ = evaluation_rounds.create_round(
        info.context.session, actor=actor(info), given=input.round.to_fields(), now=utcnow()
    )
    return EvaluationRoundPayload(round=EvaluationRoundType.from_model(round_))
