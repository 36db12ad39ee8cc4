"""Payloads of the enrolment mutations: the object, and the expected errors."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.errors import UserError
from catalogue.graphql.enrolment.types import ActivityCompletionType, EnrolmentType


@strawberry.type
class EnrolmentPayload:
    enrolment: EnrolmentType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RecordCompletionPayload:
    enrolment: EnrolmentType | None = strawberry.field(
        default=None, description="Tilmeldingen, gennemførelsen hører til, hvis der er en."
    )
    activity_completion: ActivityCompletionType | None = strawberry.field(
        default=None, description="Aktivitetens gennemførelse; tom for et helt forløb."
    )
    changed: bool = strawberry.field(
        default=False,
        description="Falsk når gennemførelsen allerede var registreret (intet ændret).",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)
