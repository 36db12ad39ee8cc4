"""GraphQL enums of evaluation, from the domain's own enums."""

from __future__ import annotations

import strawberry

from catalogue.models import AnswerChoice, InvitationStatus, RespondentGroup, RoundStatus
from catalogue.services.evaluation_report import ReportGroup

RoundStatusEnum = strawberry.enum(
    RoundStatus,
    name="EvaluationRoundStatus",
    description="DRAFT → OPEN → CLOSED → RELEASED → ARCHIVED.",
)
RespondentGroupEnum = strawberry.enum(
    RespondentGroup,
    name="RespondentGroup",
    description="Hvem der svarer: lederen selv, chefen, ledere på samme niveau, "
    "medarbejdere, ledere under lederen.",
)
AnswerChoiceEnum = strawberry.enum(
    AnswerChoice,
    name="AnswerChoice",
    description="SCORE: en værdi på skalaen; DONT_KNOW: ved ikke; DECLINED: ønsker ikke at "
    "svare. De to sidste tæller aldrig med.",
)
InvitationStatusEnum = strawberry.enum(
    InvitationStatus,
    name="EvaluationInvitationStatus",
    description="PROPOSED: foreslået af lederen, venter på chefen; ACTIVE; REJECTED.",
)
ReportGroupEnum = strawberry.enum(
    ReportGroup,
    name="EvaluationReportGroup",
    description="En kolonne i rapporten; OTHERS er grupper under deres tærskel lagt sammen.",
)
