"""proposeEvaluationPeer: the leader proposes a peer leader for their own evaluation."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.evaluation.mutations.payloads import EvaluationInvitationPayload
from catalogue.graphql.evaluation.types import EvaluateeType, EvaluationInvitationType
from catalogue.graphql.people.types import PersonType
from catalogue.models.base import utcnow
from catalogue.services import evaluation_rounds


@strawberry.input
class ProposeEvaluationPeerInput:
    evaluatee_id: GlobalID
    person_id: GlobalID


def propose_evaluation_peer(
    info: Info, input: ProposeEvaluationPeerInput
) -> EvaluationInvitationPayload:
    invitation = evaluation_rounds.propose_peer(
        info.context.session,
        actor=actor(info),
        evaluatee_id=decode_id(input.evaluatee_id, EvaluateeType, field="evaluateeId"),
        peer_person_id=decode_id(input.person_id, PersonType, field="personId"),
        now=utcnow(),
    )
    return EvaluationInvitationPayload(invitation=EvaluationInvitationType.from_model(invitation))
