"""GraphQL enums of the LMS sync, from the domain's own enums."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from catalogue.models import SyncKind, SyncStatus

SyncKindEnum = strawberry.enum(
    SyncKind,
    name="SyncKind",
    description=(
        "COURSES: kurser og aktiviteter hentes fra LMS'et; OUTBOX: tilmeldinger og "
        "afmeldinger sendes til LMS'et; ENROLMENTS: LMS'ets deltagerlister afstemmes med "
        "kataloget; COMPLETIONS: gennemførelser hentes fra LMS'et; COMPETENCIES: "
        "kompetenceprofilen sendes til LMS'et som kompetenceramme og kobles til kurserne."
    ),
)
SyncStatusEnum = strawberry.enum(
    SyncStatus,
    name="SyncStatus",
    description=(
        "QUEUED: bestilt, ikke startet; RUNNING: i gang; SUCCEEDED: færdig uden fejl; "
        "PARTIAL: færdig, men nogle elementer fejlede; FAILED: kørslen kunne ikke gennemføres."
    ),
)


class SyncIssueLevel(StrEnum):
    ERROR = "ERROR"
    WARNING = "WARNING"


SyncIssueLevelEnum = strawberry.enum(
    SyncIssueLevel,
    name="SyncIssueLevel",
    description="ERROR: elementet blev ikke synkroniseret; WARNING: til orientering.",
)
