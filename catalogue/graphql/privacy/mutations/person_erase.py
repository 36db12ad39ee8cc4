"""personErase: remove or anonymise a person's data, refused while they have open obligations."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.errors import UserError
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.people.types import PersonType
from catalogue.services.privacy.erasure import erase_person


@strawberry.input(description="Hvis data der skal slettes, og om åbne forpligtelser tilsidesættes.")
class PersonEraseInput:
    person_id: GlobalID
    force: bool = strawberry.field(
        default=False,
        description=(
            "Slet trods åbne pladser på hold, der ikke er afsluttet (de afmeldes, og pladsen "
            "går til ventelisten), og trods medarbejdere med personen som leder."
        ),
    )
    reason: str | None = strawberry.field(
        default=None,
        description="Hvorfor (fx sagsnummer); skriv ingen oplysninger om personen her.",
    )


@strawberry.type(description="Hvad en sletning gjorde; det samme står i revisionsloggen.")
class PersonErasure:
    erased_at: datetime
    forced: bool
    withdrawn_enrolments: int
    anonymised_enrolments: int
    anonymised_completions: int
    anonymised_audit_entries: int


@strawberry.type
class PersonErasePayload:
    user_errors: list[UserError]
    person: PersonType | None = strawberry.field(
        default=None, description="Personen, anonymiseret."
    )
    erasure: PersonErasure | None = None


def person_erase(info: Info, input: PersonEraseInput) -> PersonErasePayload:
    done = erase_person(
        info.context.session,
        actor=actor(info),
        person_id=decode_id(input.person_id, PersonType, field="personId"),
        force=input.force,
        reason=input.reason,
    )
    return PersonErasePayload(
        user_errors=[],
        person=PersonType.from_model(done.person),
        erasure=PersonErasure(
            erased_at=done.erased_at,
            forced=done.forced,
            withdrawn_enrolments=done.withdrawn_enrolments,
            anonymised_enrolments=done.counts["enrolments"],
            anonymised_completions=done.counts["activityCompletions"],
            anonymised_audit_entries=done.counts["auditEntriesAboutPerson"],
        ),
    )
