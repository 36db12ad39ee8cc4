"""The editable course fields, shared by the create and update inputs."""

from __future__ import annotations

import strawberry

from catalogue.graphql.courses.types import CourseKindEnum
from catalogue.services.course_admin import CourseData


@strawberry.input
class CourseFieldsInput:
    title: str | None = None
    summary: str | None = None
    kind: CourseKindEnum | None = None  # type: ignore[valid-type]
    provider: str | None = None
    language: str | None = strawberry.field(default=None, description="'da' eller 'en'.")
    duration_hours: float | None = None
    ects: float | None = None
    price_dkk: int | None = None
    audience: str | None = None
    lms_course_id: str | None = None

    def to_domain(self) -> CourseData:
        return CourseData(
            title=self.title,
            summary=self.summary,
            kind=self.kind,
            provider=self.provider,
            language=self.language,
            duration_hours=self.duration_hours,
            ects=self.ects,
            price_dkk=self.price_dkk,
            audience=self.audience,
            lms_course_id=self.lms_course_id,
        )
