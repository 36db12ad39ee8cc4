"""updateEvaluationRound: change settings as far as the round's state allows."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.evaluation.mutations.payloads import EvaluationRoundPayload
from catalogue.graphql.evaluation.mutations.round_inputs import EvaluationRoundFieldsInput
from catalogue.graphql.evaluation.types import EvaluationRoundType
from catalogue.models.base import utcnow
from catalogue.services import evaluation_rounds


@strawberry.input
class UpdateEvaluationRoundInput:
    round_id: GlobalID
    round: EvaluationRoundFieldsInput


def update_evaluation_round(
    info: Info, input: UpdateEvaluationRoundInput
) -> EvaluationRoundPayload:
    round_ = evaluation_rounds.update_round(
        info.context.session,
        actor=actor(info),
        round_id=decode_id(input.round_id, EvaluationRoundType, field="roundId"),
        given=input.round.to_fields(),
        now=utcnow(),
    )
    return EvaluationRoundPayload(round=EvaluationRoundType.from_model(round_))
