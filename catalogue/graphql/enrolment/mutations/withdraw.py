"""withdraw: the leader until the run starts, HR always; the seat goes to the waiting list."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.enrolment.mutations.payloads import EnrolmentPayload
from catalogue.graphql.enrolment.types import EnrolmentType
from catalogue.services import enrolments


@strawberry.input
class WithdrawInput:
    enrolment_id: GlobalID
    reason: str | None = None


def withdraw(info: Info, input: WithdrawInput) -> EnrolmentPayload:
    enrolment = enrolments.withdraw(
        info.context.session,
        actor=actor(info),
        enrolment_id=decode_id(input.enrolment_id, EnrolmentType, field="enrolmentId"),
        reason=input.reason,
    )
    return EnrolmentPayload(enrolment=EnrolmentType.from_model(enrolment))
