"""The audit log as GraphQL: who did what, when, from which state to which, and why."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import strawberry
from strawberry.scalars import JSON

from catalogue.graphql.context import Info
from catalogue.graphql.courses.types import CourseType
from catalogue.graphql.people.types import PersonType
from catalogue.models import AuditLogEntry
from catalogue.services.audit import AuditAction

AuditActionEnum = strawberry.enum(
    AuditAction,
    name="AuditAction",
    description="Handlingen i revisionsloggen: hvad der skete med hvilken slags objekt.",
)


@strawberry.type(name="AuditEntry", description="En ændring i revisionsloggen.")
class AuditEntryType:
    at: datetime
    entity_type: str = strawberry.field(description="Hvad der ændredes, fx Enrolment.")
    entity_id: int
    action: AuditActionEnum = strawberry.field(  # type: ignore[valid-type]
        description="Handlingen, fx COURSE_CREATED, ENROLMENT_ENROLLED, LINK_UPDATED."
    )
    from_state: str | None
    to_state: str | None
    reason: str | None = strawberry.field(description="Hvorfor, med personens egne ord.")
    details: JSON = strawberry.field(
        description=(
            "Detaljer om ændringen; for links: statement_key, course_id, activity_id og "
            "changes, hvor hver ændret del står som {from, to} (strength, rationale, removed_at)."
        )
    )
    actor_id: strawberry.Private[int | None]
    person_id: strawberry.Private[int | None]
    course_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, model: AuditLogEntry) -> Self:
        details: dict[str, Any] = dict(model.details or {})
        return cls(
            at=model.at,
            entity_type=model.entity_type,
            entity_id=model.entity_id,
            action=AuditAction(model.action),
            from_state=model.from_state,
            to_state=model.to_state,
            reason=model.reason,
            details=JSON(details),
            actor_id=model.actor_id,
            person_id=model.person_id,
            course_id=model.course_id,
        )

    @strawberry.field(description="Hvem der foretog ændringen.")
    async def actor(self, info: Info) -> PersonType | None:
        if self.actor_id is None:
            return None
        model = await info.context.loaders.person_by_id.load(self.actor_id)
        return PersonType.from_model(model) if model else None

    @strawberry.field(description="Hvis data ændringen angår.")
    async def person(self, info: Info) -> PersonType | None:
        if self.person_id is None:
            return None
        model = await info.context.loaders.person_by_id.load(self.person_id)
        return PersonType.from_model(model) if model else None

    @strawberry.field(description="Kurset, ændringen angår; tom hvis du ikke må se det.")
    async def course(self, info: Info) -> CourseType | None:
        if self.course_id is None:
            return None
        model = await info.context.loaders.course_by_id.load(self.course_id)
        if model is None:
            return None
        course = CourseType.from_model(model)
        return course if await course.is_visible(info) else None
