"""Filter and ordering inputs of the catalogue queries."""

from __future__ import annotations

from datetime import datetime

import strawberry

from catalogue.graphql.courses.types import CourseKindEnum, CourseStatusEnum
from catalogue.services.course_search import CourseFilter, CourseOrder

CourseOrderEnum = strawberry.enum(
    CourseOrder,
    name="CourseOrder",
    description=(
        "TITLE; NEXT_START (næste hold først); RELEVANCE (med søgning); UPDATED_AT; ID "
        "(oprettelsesrækkefølge: en rettelse flytter ikke kurset, så en LMS-pull, der "
        "henter side for side, får hvert kursus én gang)."
    ),
)


@strawberry.input(description="Filtre, som ledere og HR bruger sammen; alle er valgfrie.")
class CourseFilterInput:
    statement_key: str | None = strawberry.field(default=None, description="Fx K3.2.")
    field_key: str | None = strawberry.field(default=None, description="Fx K5.")
    theme_key: str | None = strawberry.field(default=None, description="Fx T5 (Vi er en kommune).")
    kind: list[CourseKindEnum] | None = None  # type: ignore[valid-type]
    status: list[CourseStatusEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Ud over PUBLISHED kun med catalogue.read_drafts."
    )
    language: str | None = None
    provider: str | None = strawberry.field(default=None, description="Del af udbyderens navn.")
    has_free_seats: bool | None = strawberry.field(
        default=None, description="Har et kommende hold med ledige pladser og åben tilmelding."
    )
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    ects_min: float | None = None
    ects_max: float | None = None
    search: str | None = strawberry.field(
        default=None,
        description=(
            "Fritekst, på dansk (højst 200 tegn): bøjninger, sammensatte ord, små tastefejl, "
            "ae/oe/aa for æ/ø/å, HR's synonymer og de udsagn, kurset er linket til. Alle ord "
            "skal findes; matchedOn siger hvor og hvordan."
        ),
    )
    updated_since: datetime | None = strawberry.field(
        default=None,
        description="Kun ændret siden; arkiverede kurser kommer med som gravsten (ARCHIVED).",
    )

    def to_domain(self) -> CourseFilter:
        return CourseFilter(
            statement_key=self.statement_key,
            field_key=self.field_key,
            theme_key=self.theme_key,
            kinds=tuple(self.kind or ()),
            statuses=tuple(self.status or ()),
            language=self.language,
            provider=self.provider,
            has_free_seats=self.has_free_seats,
            starts_after=self.starts_after,
            starts_before=self.starts_before,
            ects_min=self.ects_min,
            ects_max=self.ects_max,
            search=self.search,
            updated_since=self.updated_since,
        )
