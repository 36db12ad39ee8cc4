"""recordCompletion: HR or the LMS records an activity or a whole course as completed."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.types import ActivityType
from catalogue.graphql.enrolment.enums import CompletionOutcomeEnum
from catalogue.graphql.enrolment.mutations.payloads import RecordCompletionPayload
from catalogue.graphql.enrolment.types import ActivityCompletionType, EnrolmentType
from catalogue.graphql.people.types import PersonType
from catalogue.services import completions
from catalogue.services.completions import CompletionOutcome


@strawberry.input(
    description=(
        "Enten enrolmentId (hele forløbet, eller med activityId en aktivitet) eller "
        "personId og activityId."
    )
)
class RecordCompletionInput:
    completed_at: datetime
    enrolment_id: GlobalID | None = None
    person_id: GlobalID | None = None
    activity_id: GlobalID | None = None
    result: str | None = None
    evidence_url: str | None = None
    outcome: CompletionOutcomeEnum = strawberry.field(  # type: ignore[valid-type]
        default=CompletionOutcome.COMPLETED,
        description="FAILED kun for et helt forløb (enrolmentId uden activityId).",
    )


def _decode(value: GlobalID | None, node_type: type, field: str) -> int | None:
    return decode_id(value, node_type, field=field) if value else None


def record_completion(info: Info, input: RecordCompletionInput) -> RecordCompletionPayload:
    recorded = completions.record_completion(
        info.context.session,
        actor=actor(info),
        completed_at=input.completed_at,
        enrolment_id=_decode(input.enrolment_id, EnrolmentType, "enrolmentId"),
        person_id=_decode(input.person_id, PersonType, "personId"),
        activity_id=_decode(input.activity_id, ActivityType, "activityId"),
        result=input.result,
        evidence_url=input.evidence_url,
        outcome=CompletionOutcome(input.outcome),
    )
    return RecordCompletionPayload(
        enrolment=EnrolmentType.from_model(recorded.enrolment) if recorded.enrolment else None,
        activity_completion=(
            ActivityCompletionType.from_model(recorded.activity_completion)
            if recorded.activity_completion
            else None
        ),
        changed=recorded.created,
    )
