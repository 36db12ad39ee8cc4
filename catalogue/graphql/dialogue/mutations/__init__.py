"""The dialogue mutations, one module per mutation; capabilities here, rules in services."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.mutations import mutation
from catalogue.graphql.dialogue.mutations.development_action_book import development_action_book
from catalogue.graphql.dialogue.mutations.development_action_status_set import (
    development_action_status_set,
)
from catalogue.graphql.dialogue.mutations.dialogue_agreement_set import dialogue_agreement_set
from catalogue.graphql.dialogue.mutations.dialogue_cycle_close import dialogue_cycle_close
from catalogue.graphql.dialogue.mutations.dialogue_cycle_create import dialogue_cycle_create
from catalogue.graphql.dialogue.mutations.dialogue_cycle_open import dialogue_cycle_open
from catalogue.graphql.dialogue.mutations.dialogue_follow_up_record import dialogue_follow_up_record
from catalogue.graphql.dialogue.mutations.dialogue_meeting_record import dialogue_meeting_record
from catalogue.graphql.dialogue.mutations.dialogue_meeting_schedule import dialogue_meeting_schedule
from catalogue.graphql.dialogue.mutations.dialogue_preparation_save import dialogue_preparation_save
from catalogue.graphql.dialogue.mutations.dialogue_preparation_submit import (
    dialogue_preparation_submit,
)
from catalogue.graphql.dialogue.mutations.dialogue_reopen import dialogue_reopen
from catalogue.graphql.dialogue.mutations.dialogue_role_profile_apply import (
    dialogue_role_profile_apply,
)
from catalogue.graphql.dialogue.mutations.dialogue_summary_confirm import dialogue_summary_confirm
from catalogue.graphql.dialogue.mutations.role_profile_save import role_profile_save
from catalogue.services.capabilities import Capability


@strawberry.type
class DialogueMutation:
    dialogue_cycle_create = strawberry.mutation(
        resolver=dialogue_cycle_create,
        extensions=mutation(Capability.DIALOGUE_ADMINISTER),
        description=(
            "Opret en samtalerunde som kladde (HR): datoer, skala (standard 1–5 med danske "
            "betegnelser og »ved ikke«), synlighed af forberedelsen og om HR må læse den "
            "enkelte samtale."
        ),
    )
    dialogue_cycle_open = strawberry.mutation(
        resolver=dialogue_cycle_open,
        extensions=mutation(Capability.DIALOGUE_ADMINISTER),
        description=(
            "Åbn runden: hver aktiv leder med en aktiv chef får en samtale med chefen, "
            "startende fra sidste års aftalte tilpasning eller rolleprofilen."
        ),
    )
    dialogue_cycle_close = strawberry.mutation(
        resolver=dialogue_cycle_close,
        extensions=mutation(Capability.DIALOGUE_ADMINISTER),
        description=("Luk runden; alle samtaler, der ikke er afsluttet, afsluttes."),
    )
    role_profile_save = strawberry.mutation(
        resolver=role_profile_save,
        extensions=mutation(Capability.DIALOGUE_ADMINISTER),
        description=(
            "Opret eller erstat en rolleprofil (lederfunktion) med standardvigtigheder 0–3 "
            "pr. udsagn."
        ),
    )
    dialogue_role_profile_apply = strawberry.mutation(
        resolver=dialogue_role_profile_apply,
        extensions=mutation(Capability.DIALOGUE_TAKE_PART),
        description=(
            "Chefen vælger lederens rolleprofil som udgangspunkt, før forberedelsen er slut."
        ),
    )
    dialogue_preparation_save = strawberry.mutation(
        resolver=dialogue_preparation_save,
        extensions=mutation(Capability.DIALOGUE_TAKE_PART),
        description=(
            "Gem din egen forberedelse (vigtigheder og vurderinger); den anden part ser den "
            "kun, når runden tillader det."
        ),
    )
    dialogue_preparation_submit = strawberry.mutation(
        resolver=dialogue_preparation_submit,
        extensions=mutation(Capability.DIALOGUE_TAKE_PART),
        description=("Indsend din forberedelse; når begge har indsendt, er samtalen klar (READY)."),
    )
    dialogue_meeting_schedule = strawberry.mutation(
        resolver=dialogue_meeting_schedule,
        extensions=mutation(Capability.DIALOGUE_TAKE_PART),
        description=(
            "Chefen fastsætter tid og sted for samtalen; lederen får en invitation med en "
            "kalenderfil."
        ),
    )
    dialogue_meeting_record = strawberry.mutation(
        resolver=dialogue_meeting_record,
        extensions=mutation(Capability.DIALOGUE_TAKE_PART),
        description=(
            "Chefen registrerer, at samtalen er holdt (READY → HELD), med de aftalte vigtigheder."
        ),
    )
    dialogue_agreement_set = strawberry.mutation(
        resolver=dialogue_agreement_set,
        extensions=mutation(Capability.DIALOGUE_TAKE_PART),
        description=(
            "Skriv aftalen: 1–3 fokusudsagn med mål, succeskriterier og handlinger, og "
            "referatet. Kun mens samtalen er holdt eller genåbnet; hver ændring nulstiller "
            "bekræftelserne."
        ),
    )
    dialogue_summary_confirm = strawberry.mutation(
        resolver=dialogue_summary_confirm,
        extensions=mutation(Capability.DIALOGUE_TAKE_PART),
        description=(
            "Bekræft referatet for din part; når begge har bekræftet, er samtalen aftalt og "
            "aftalen fastfrosset."
        ),
    )
    dialogue_reopen = strawberry.mutation(
        resolver=dialogue_reopen,
        extensions=mutation(Capability.DIALOGUE_TAKE_PART),
        description=(
            "Chefen genåbner en holdt eller aftalt samtale med en begrundelse; tidligere "
            "fastfrosne aftaler bevares."
        ),
    )
    dialogue_follow_up_record = strawberry.mutation(
        resolver=dialogue_follow_up_record,
        extensions=mutation(Capability.DIALOGUE_TAKE_PART),
        description=("Chefen registrerer midtvejsopfølgningen (AGREED → FOLLOWED_UP)."),
    )
    development_action_book = strawberry.mutation(
        resolver=development_action_book,
        extensions=mutation(Capability.DIALOGUE_TAKE_PART),
        description=(
            "Book et kursus-hold for lederen gennem tilmeldingen (godkendelse, pladser og "
            "venteliste gælder)."
        ),
    )
    development_action_status_set = strawberry.mutation(
        resolver=development_action_status_set,
        extensions=mutation(Capability.DIALOGUE_TAKE_PART),
        description=(
            "Sæt en handlings status (i gang, gennemført, aflyst eller ikke gennemført med "
            "begrundelse); et kursus bliver gennemført af sig selv."
        ),
    )
