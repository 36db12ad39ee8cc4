"""addEvaluatee: put a leader in a round, with the invitations the org structure gives."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.evaluation.mutations.payloads import EvaluateePayload
from catalogue.graphql.evaluation.types import EvaluateeType, EvaluationRoundType
from catalogue.graphql.people.types import PersonType
from catalogue.models.base import utcnow
from catalogue.services import evaluation_rounds


@strawberry.input
class AddEvaluateeInput:
    round_id: GlobalID
    person_id: GlobalID


def add_evaluatee(info: Info, input: AddEvaluateeInput) -> EvaluateePayload:
    evaluatee = evaluation_rounds.add_evaluatee(
        info.context.session,
        actor=actor(info),
        round_id=decode_id(input.round_id, EvaluationRoundType, field="roundId"),
        person_id=decode_id(input.person_id, PersonType, field="personId"),
        now=utcnow(),
    )
    return EvaluateePayload(evaluatee=EvaluateeType.from_model(evaluatee))
