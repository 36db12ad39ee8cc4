"""decideEvaluationPeer: the leader's chef (or HR) approves or rejects a proposed peer."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.evaluation.mutations.payloads import EvaluationInvitationPayload
from catalogue.graphql.evaluation.types import EvaluationInvitationType
from catalogue.models.base import utcnow
from catalogue.services import evaluation_rounds


@strawberry.input
class DecideEvaluationPeerInput:
    invitation_id: GlobalID
    approve: bool


def decide_evaluation_peer(
    info: Info, input: DecideEvaluationPeerInput
) -> EvaluationInvitationPayload:
    invitation = evaluation_rounds.decide_peer(
        info.context.session,
        actor=actor(info),
        invitation_id=decode_id(
            input.invitation_id, EvaluationInvitationType, field="invitationId"
        ),
        approve=input.approve,
        now=utcnow(),
    )
    return EvaluationInvitationPayload(invitation=EvaluationInvitationType.from_model(invitation))
