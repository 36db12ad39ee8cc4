"""approveEnrolment: a chef above the leader, or HR, says yes to a request."""

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
class ApproveEnrolmentInput:
    enrolment_id: GlobalID
    comment: str | None = None


def approve_enrolment(info: Info, input: ApproveEnrolmentInput) -> EnrolmentPayload:
    enrolment = enrolments.approve(
        info.context.session,
        actor=actor(info),
        enrolment_id=decode_id(input.enrolment_id, EnrolmentType, field="enrolmentId"),
        comment=input.comment,
    )
    return EnrolmentPayload(enrolment=EnrolmentType.from_model(enrolment))
