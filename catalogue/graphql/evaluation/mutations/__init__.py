"""The evaluation mutations, one module per mutation; capabilities here, rules in services."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.mutations import mutation, public_mutation
from catalogue.graphql.evaluation.mutations.add_evaluatee import add_evaluatee
from catalogue.graphql.evaluation.mutations.add_evaluation_respondent import (
    add_evaluation_respondent,
)
from catalogue.graphql.evaluation.mutations.change_evaluation_round_status import (
    change_evaluation_round_status,
)
from catalogue.graphql.evaluation.mutations.create_evaluation_round import (
    create_evaluation_round,
)
from catalogue.graphql.evaluation.mutations.decide_evaluation_peer import decide_evaluation_peer
from catalogue.graphql.evaluation.mutations.propose_evaluation_peer import (
    propose_evaluation_peer,
)
from catalogue.graphql.evaluation.mutations.submit_evaluation_answers import (
    submit_evaluation_answers,
)
from catalogue.graphql.evaluation.mutations.update_evaluation_round import (
    update_evaluation_round,
)
from catalogue.services.capabilities import Capability

C = Capability


@strawberry.type
class EvaluationMutation:
    create_evaluation_round = strawberry.mutation(
        resolver=create_evaluation_round,
        extensions=mutation(C.EVALUATION_MANAGE),
        description="Opret en evalueringsrunde (kladde) på den gældende profil.",
    )
    update_evaluation_round = strawberry.mutation(
        resolver=update_evaluation_round,
        extensions=mutation(C.EVALUATION_MANAGE),
        description=(
            "Ret en rundes indstillinger. Når runden er åben, er udsagn, skala og anonymitet "
            "låst, og tærskler kan kun hæves."
        ),
    )
    change_evaluation_round_status = strawberry.mutation(
        resolver=change_evaluation_round_status,
        extensions=mutation(C.EVALUATION_MANAGE),
        description=(
            "Åbn, luk, frigiv eller arkivér en runde. Lukning sletter alt, der kunne føre fra "
            "et link til svarene; frigivelse lader lederen se rapporten først."
        ),
    )
    add_evaluatee = strawberry.mutation(
        resolver=add_evaluatee,
        extensions=mutation(C.EVALUATION_MANAGE),
        description=(
            "Sæt en leder i runden: lederen selv, chefen og medarbejderne inviteres ud fra "
            "organisationen."
        ),
    )
    add_evaluation_respondent = strawberry.mutation(
        resolver=add_evaluation_respondent,
        extensions=mutation(C.EVALUATION_MANAGE),
        description="Bed én person mere (med e-mail) om at svare om en leder.",
    )
    propose_evaluation_peer = strawberry.mutation(
        resolver=propose_evaluation_peer,
        extensions=mutation(C.EVALUATION_READ_OWN),
        description="Foreslå en leder på samme niveau til din egen evaluering; chefen godkender.",
    )
    decide_evaluation_peer = strawberry.mutation(
        resolver=decide_evaluation_peer,
        extensions=mutation(C.EVALUATION_APPROVE_PEERS, C.EVALUATION_MANAGE),
        description="Godkend eller afvis en foreslået leder på samme niveau.",
    )
    submit_evaluation_answers = strawberry.mutation(
        resolver=submit_evaluation_answers,
        extensions=public_mutation(),
        description=(
            "Gem eller ret dine svar via dit personlige link, indtil runden lukker. Udsagn og "
            "felter, du ikke sender, forbliver som de var."
        ),
    )
