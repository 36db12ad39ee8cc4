"""The enrolment mutations, one module per mutation; capabilities here, rules in services."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.mutations import mutation
from catalogue.graphql.enrolment.mutations.approve_enrolment import approve_enrolment
from catalogue.graphql.enrolment.mutations.enrol import enrol
from catalogue.graphql.enrolment.mutations.record_completion import record_completion
from catalogue.graphql.enrolment.mutations.reject_enrolment import reject_enrolment
from catalogue.graphql.enrolment.mutations.withdraw import withdraw
from catalogue.services.capabilities import Capability


@strawberry.type
class EnrolmentMutation:
    enrol = strawberry.mutation(
        resolver=enrol,
        extensions=mutation(
            Capability.ENROLMENT_ENROL_SELF,
            Capability.ENROLMENT_ENROL_SUBTREE,
            Capability.ENROLMENT_MANAGE_ALL,
        ),
        description=(
            "Tilmeld dig selv (eller, med enrolment.enrol_subtree, en medarbejder under dig; "
            "med enrolment.manage_all hvem som helst) et hold. Fuldt hold: venteliste. Hold "
            "med godkendelse: anmodning. Samme anmodning to gange giver samme svar og én "
            "tilmelding."
        ),
    )
    approve_enrolment = strawberry.mutation(
        resolver=approve_enrolment,
        extensions=mutation(Capability.ENROLMENT_APPROVE_SUBTREE, Capability.ENROLMENT_MANAGE_ALL),
        description=(
            "Godkend en anmodning (over lederen med enrolment.approve_subtree, eller med "
            "enrolment.manage_all); giver plads eller venteliste."
        ),
    )
    reject_enrolment = strawberry.mutation(
        resolver=reject_enrolment,
        extensions=mutation(Capability.ENROLMENT_APPROVE_SUBTREE, Capability.ENROLMENT_MANAGE_ALL),
        description=(
            "Afvis en anmodning med en begrundelse (over lederen med "
            "enrolment.approve_subtree, eller med enrolment.manage_all)."
        ),
    )
    withdraw = strawberry.mutation(
        resolver=withdraw,
        extensions=mutation(Capability.ENROLMENT_ENROL_SELF, Capability.ENROLMENT_MANAGE_ALL),
        description=(
            "Afmeld en tilmelding: lederen selv indtil holdet starter, med "
            "enrolment.manage_all altid. Pladsen går til den første på ventelisten."
        ),
    )
    record_completion = strawberry.mutation(
        resolver=record_completion,
        extensions=mutation(Capability.COMPLETION_RECORD),
        description=(
            "Registrér en gennemført aktivitet eller et helt forløb. Samme "
            "gennemførelse to gange ændrer intet."
        ),
    )
