"""The editable course run fields, shared by the create and update inputs."""

from __future__ import annotations

from datetime import datetime

import strawberry

from catalogue.services.run_admin import RunData


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

    def to_domain(self) -> RunData:
        return RunData(
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            location=self.location,
            online=self.online,
            capacity=self.capacity,
            unlimited=self.unlimited,
            enrolment_deadline=self.enrolment_deadline,
            approval_required=self.approval_required,
        )
