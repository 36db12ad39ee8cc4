"""The privacy mutations, one module each; ADMIN's capabilities declared here."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.mutations import mutation
from catalogue.graphql.privacy.mutations.person_data_export import person_data_export
from catalogue.graphql.privacy.mutations.person_erase import person_erase
from catalogue.services.capabilities import Capability


@strawberry.type
class PrivacyMutation:
    person_data_export = strawberry.mutation(
        resolver=person_data_export,
        extensions=mutation(Capability.PEOPLE_EXPORT_DATA),
        description=(
            "Udlever alt, kataloget har om en person, som JSON (indsigtsret). Udleveringen "
            "står i revisionsloggen (PERSON_DATA_EXPORTED), uden en kopi af data."
        ),
    )
    person_erase = strawberry.mutation(
        resolver=person_erase,
        extensions=mutation(Capability.PEOPLE_ERASE),
        description=(
            "Slet eller anonymiser en persons data (retten til sletning). Tal for hold og "
            "kurser og andres data bevares. Afvises med OPEN_OBLIGATIONS, mens personen har "
            "en åben plads på et hold, der ikke er afsluttet, eller medarbejdere under sig, "
            "medmindre force er sat; to gange giver ALREADY_ERASED."
        ),
    )
