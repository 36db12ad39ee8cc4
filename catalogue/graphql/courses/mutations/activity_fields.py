"""The editable activity fields, shared by the create and update inputs."""

from __future__ import annotations

import strawberry

from catalogue.graphql.courses.types import ActivityKindEnum
from catalogue.services.activity_admin import ActivityData


@strawberry.input
class ActivityFieldsInput:
    title: str | None = None
    kind: ActivityKindEnum | None = None  # type: ignore[valid-type]
    required: bool | None = None
    duration_hours: float | None = None
    position: int | None = None
    lms_module_id: str | None = None

    def to_domain(self) -> ActivityData:
        return ActivityData(
            title=self.title,
            kind=self.kind,
            required=self.required,
            duration_hours=self.duration_hours,
            position=self.position,
            lms_module_id=self.lms_module_id,
        )
