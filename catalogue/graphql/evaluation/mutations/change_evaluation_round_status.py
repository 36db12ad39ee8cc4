"""changeEvaluationRoundStatus: open, close, release or archive a round."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.evaluation.enums import RoundStatusEnum
from catalogue.graphql.evaluation.mutations.payloads import EvaluationRoundPayload
from catalogue.graphql.evaluation.types import EvaluationRoundType
from catalogue.models.base import utcnow
from catalogue.services import evaluation_rounds


@strawberry.input
class ChangeEvaluationRoundStatusInput:
    round_id: GlobalID
    status: RoundStatusEnum  # type: ignore[valid-type]


def change_evaluation_round_status(
    info: Info, input: ChangeEvaluationRoundStatusInput
) -> EvaluationRoundPayload:
    round_ = evaluation_rounds.move_round(
        info.context.session,
        actor=actor(info),
        round_id=decode_id(input.round_id, EvaluationRoundType, field="roundId"),
        to=input.status,
        now=utcnow(),
    )
    return EvaluationRoundPayload(round=EvaluationRoundType.from_model(round_))
