"""GraphQL enums of the dialogue, from the domain's own enums."""

from __future__ import annotations

import strawberry

from catalogue.models import (
    ActionKind,
    ActionStatus,
    CycleStatus,
    DialogueStatus,
    PreparationVisibility,
)
from catalogue.services.dialogue.access import Standing

DialogueStatusEnum = strawberry.enum(
    DialogueStatus,
    name="DialogueStatus",
    description=(
        "INVITED → PREPARING → READY (begge har indsendt) → HELD → AGREED (begge har bekræftet "
        "referatet) → FOLLOWED_UP → CLOSED; REOPENED af chefen fra HELD eller AGREED."
    ),
)
CycleStatusEnum = strawberry.enum(
    CycleStatus, name="DialogueCycleStatus", description="DRAFT → OPEN → CLOSED → ARCHIVED."
)
PreparationVisibilityEnum = strawberry.enum(
    PreparationVisibility,
    name="PreparationVisibility",
    description=(
        "Hvornår den ene part ser den andens forberedelse: AT_ONCE, AFTER_OWN_SUBMISSION "
        "(når man selv har indsendt) eller AFTER_BOTH_SUBMITTED (når begge har)."
    ),
)
ActionKindEnum = strawberry.enum(
    ActionKind,
    name="DevelopmentActionKind",
    description="Kursus, mentor, netværk, opgave, læsning, andet.",
)
ActionStatusEnum = strawberry.enum(
    ActionStatus,
    name="DevelopmentActionStatus",
    description=(
        "PLANNED → BOOKED → IN_PROGRESS → DONE, eller CANCELLED / NOT_DONE (med begrundelse)."
    ),
)
StandingEnum = strawberry.enum(
    Standing,
    name="DialogueStanding",
    description="Hvordan du står i forhold til samtalen: leder, chef, chefens chef eller HR.",
)
