"""GraphQL enums of enrolment and completion, from the domain's own enums."""

from __future__ import annotations

import strawberry

from catalogue.models import ChangeSource, EnrolmentStatus
from catalogue.services.completions import CompletionOutcome
from catalogue.services.progress import StatementStatus

EnrolmentStatusEnum = strawberry.enum(
    EnrolmentStatus, name="EnrolmentStatus", description="Hvor en tilmelding står."
)
ChangeSourceEnum = strawberry.enum(
    ChangeSource, name="ChangeSource", description="Hvor en ændring kom fra: UI, LMS eller HR."
)
CompletionOutcomeEnum = strawberry.enum(
    CompletionOutcome,
    name="CompletionOutcome",
    description="Et forløbs udfald: gennemført eller ikke bestået.",
)
StatementProgressStatusEnum = strawberry.enum(
    StatementStatus,
    name="StatementProgressStatus",
    description=(
        "COVERED: dækket af et gennemført kursus (primært link); PLANNED: tilmeldt, ikke "
        "gennemført; OPEN: hverken eller."
    ),
)
