"""The editable course run fields, shared by the create and update inputs."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.types import CourseRunSessionType
from catalogue.services.run_admin import RunData
from catalogue.services.run_sessions import SessionData


@strawberry.input(description="En session (undervisningsdag) på holdet.")
class CourseRunSessionInput:
    id: GlobalID | None = strawberry.field(
        default=None,
        description=(
            "En eksisterende session på holdet, der skal ændres (så lederens kalenderpost "
            "opdateres); tom tilføjer en ny session."
        ),
    )
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    title: str | None = None
    location: str | None = strawberry.field(
        default=None, description="Kun når sessionen holdes et andet sted end holdet."
    )


@strawberry.input
class CourseRunFieldsInput:
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = None
    online: bool | None = None
    capacity: int | None = strawberry.field(default=None, description="Antal pladser (mindst 1).")
    unlimited: bool = strawberry.field(default=False, description="Ingen grænse for pladser.")
    enrolment_deadline: datetime | None = None
    approval_required: bool | None = None
    sessions: list[CourseRunSessionInput] | None = strawberry.field(
        default=None,
        description=(
            "Holdets sessioner; listen erstatter dem, holdet har (en session uden id tilføjes, "
            "en udeladt fjernes). Udelad feltet for at lade sessionerne være; en tom liste "
            "fjerner dem alle. Sessioner skal ligge inden for holdets datoer og må ikke "
            "overlappe."
        ),
    )

    def to_domain(self) -> RunData:
        sessions = None
        if self.sessions is not None:
            sessions = [
                SessionData(
                    id=(
                        decode_id(item.id, CourseRunSessionType, field=f"sessions[{index}].id")
                        if item.id is not None
                        else None
                    ),
                    starts_at=item.starts_at,
                    ends_at=item.ends_at,
                    title=item.title,
                    location=item.location,
                )
                for index, item in enumerate(self.sessions)
            ]
        return RunData(
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            location=self.location,
            online=self.online,
            capacity=self.capacity,
            unlimited=self.unlimited,
            enrolment_deadline=self.enrolment_deadline,
            approval_required=self.approval_required,
            sessions=sessions,
        )
