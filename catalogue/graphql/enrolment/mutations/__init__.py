"""The enrolment mutations, one module per mutation; roles declared here, rules in services."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.mutations import mutation
from catalogue.graphql.core.permissions import STAFF
from catalogue.graphql.enrolment.mutations.completion_record import record_completion_mutation
from catalogue.graphql.enrolment.mutations.enrolment_approve import approve_enrolment
from catalogue.graphql.enrolment.mutations.enrolment_create import enrol
from catalogue.graphql.enrolment.mutations.enrolment_reject import reject_enrolment
from catalogue.graphql.enrolment.mutations.enrolment_withdraw import withdraw
from catalogue.models import Role


@strawberry.type
class EnrolmentMutation:
    enrol = strawberry.mutation(
        resolver=enrol,
        extensions=mutation(Role.LEADER, Role.CHEF, *STAFF),
        description=(
            "Tilmeld dig selv (eller, som chef, en medarbejder under dig; som HR hvem som "
            "helst) et hold. Fuldt hold: venteliste. Hold med godkendelse: anmodning. Samme "
            "anmodning to gange giver samme svar og én tilmelding."
        ),
    )
    approve_enrolment = strawberry.mutation(
        resolver=approve_enrolment,
        extensions=mutation(Role.CHEF, *STAFF),
        description=(
            "Godkend en anmodning (chef over lederen eller HR); giver plads eller venteliste."
        ),
    )
    reject_enrolment = strawberry.mutation(
        resolver=reject_enrolment,
        extensions=mutation(Role.CHEF, *STAFF),
        description="Afvis en anmodning med en begrundelse (chef over lederen eller HR).",
    )
    withdraw = strawberry.mutation(
        resolver=withdraw,
        extensions=mutation(Role.LEADER, Role.CHEF, *STAFF),
        description=(
            "Afmeld en tilmelding: lederen selv indtil holdet starter, HR altid. Pladsen går "
            "til den første på ventelisten."
        ),
    )
    record_completion = strawberry.mutation(
        resolver=record_completion_mutation,
        extensions=mutation(Role.LMS, *STAFF),
        description=(
            "Registrér en gennemført aktivitet eller et helt forløb (HR og LMS). Samme "
            "gennemførelse to gange ændrer intet."
        ),
    )
