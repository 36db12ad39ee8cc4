"""rejectEnrolment: a chef above the leader, or HR, says no, with a reason."""

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
class RejectEnrolmentInput:
    enrolment_id: GlobalID
    reason: str


def reject_enrolment(info: Info, input: RejectEnrolmentInput) -> EnrolmentPayload:
    enrolment = enrolments.reject(
        info.context.session,
        actor=actor(info),
        enrolment_id=decode_id(input.enrolment_id, EnrolmentType, field="enrolmentId"),
        reason=input.reason,
    )
    return EnrolmentPayload(enrolment=EnrolmentType.from_model(enrolment))
