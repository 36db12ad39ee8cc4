"""enrol: a leader enrols themself, a chef a report, HR anyone."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.types import CourseRunType
from catalogue.graphql.enrolment.mutations.payloads import EnrolmentPayload
from catalogue.graphql.enrolment.types import EnrolmentType
from catalogue.graphql.people.types import PersonType
from catalogue.services import enrolments


@strawberry.input
class EnrolInput:
    course_run_id: GlobalID
    person_id: GlobalID | None = strawberry.field(
        default=None, description="Hvem der tilmeldes; udeladt: dig selv."
    )
    motivation: str | None = None
    focus_statement_keys: list[str] | None = strawberry.field(
        default=None, description='Udsagn (fx "K3.2"), lederen vil arbejde med.'
    )


def enrol(info: Info, input: EnrolInput) -> EnrolmentPayload:
    enrolment = enrolments.enrol(
        info.context.session,
        actor=actor(info),
        course_run_id=decode_id(input.course_run_id, CourseRunType, field="courseRunId"),
        person_id=(
            decode_id(input.person_id, PersonType, field="personId") if input.person_id else None
        ),
        motivation=input.motivation,
        focus_statement_keys=input.focus_statement_keys,
    )
    return EnrolmentPayload(enrolment=EnrolmentType.from_model(enrolment))
