"""GraphQL types of the course catalogue: courses, activities and runs."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.relay import NodeID

from catalogue.graphql.context import Info
from catalogue.graphql.core.nodes import ModelNode, related_visible
from catalogue.models import (
    ActivityKind,
    CourseKind,
    CourseStatus,
)
from catalogue.services.catalogue_queries import seats_left
from catalogue.services.course_search import may_see_course, may_see_drafts
from catalogue.services.search_query import AnalysedQuery

if TYPE_CHECKING:
    from catalogue.graphql.competence.types import CompetenceLinkType
    from catalogue.graphql.search.types import SearchMatchType

CourseKindEnum = strawberry.enum(CourseKind, name="CourseKind", description="Slags tilbud.")
CourseStatusEnum = strawberry.enum(CourseStatus, name="CourseStatus")
ActivityKindEnum = strawberry.enum(ActivityKind, name="ActivityKind")


async def course_is_visible(info: Info, course_id: int) -> bool:
    """Whether the viewer may see the course ``course_id``, and so its runs, activities and links.

    The one rule is ``may_see_course``; every type that belongs to a course asks it
    through here, so a draft reached from any side stays hidden.
    """
    viewer = info.context.viewer
    if may_see_drafts(viewer):
        return True  # without loading the course
    course = await info.context.loaders.course_by_id.load(course_id)
    return course is not None and may_see_course(viewer, course.status)


@strawberry.type(
    name="CourseRunSession",
    description=(
        "En undervisningsdag (session) på et hold: det tidsrum, lederens kalender blokeres."
    ),
)
class CourseRunSessionType(ModelNode):
    loader_name = "run_session_by_id"
    id: NodeID[int]
    starts_at: datetime
    ends_at: datetime
    title: str | None = strawberry.field(description="Fx dagens emne; tom når der ikke er et.")
    location: str | None = strawberry.field(description="Stedet, når det ikke er holdets sted.")
    removed_at: datetime | None = strawberry.field(
        description=(
            "Hvornår HR fjernede sessionen; tom for en aktuel session. En fjernet session "
            "(tombstone) ses kun med sessions(includeRemoved: true) og node(id:), og "
            "kalenderfilen melder den aflyst."
        )
    )
    updated_at: datetime
    course_run_id: strawberry.Private[int]

    async def is_visible(self, info: Info) -> bool:
        run = await info.context.loaders.run_by_id.load(self.course_run_id)
        return run is not None and await course_is_visible(info, run.course_id)


@strawberry.type(name="CourseRun", description="Et hold: datoer, sted, pladser og frist.")
class CourseRunType(ModelNode):
    loader_name = "run_by_id"
    id: NodeID[int]
    code: str
    starts_at: datetime
    ends_at: datetime
    location: str | None
    online: bool
    capacity: int | None = strawberry.field(description="Antal pladser; tom betyder ubegrænset.")
    enrolment_deadline: datetime | None
    approval_required: bool = strawberry.field(
        description="Tilmelding kræver godkendelse fra lederens chef."
    )
    cancelled_at: datetime | None
    course_id: strawberry.Private[int]

    async def is_visible(self, info: Info) -> bool:
        return await course_is_visible(info, self.course_id)

    @strawberry.field(description="Ledige pladser; tom når holdet ikke har loft.")
    async def seats_left(self, info: Info) -> int | None:
        if self.capacity is None:
            return None
        taken = await info.context.loaders.seats_taken_by_run_id.load(self.id)
        return seats_left(self.capacity, taken)

    @strawberry.field(
        description=(
            "Holdets sessioner (undervisningsdage) efter starttidspunkt; tom når HR ikke har "
            "planlagt dem, så kalenderfilen kun viser første og sidste dag."
        )
    )
    async def sessions(
        self,
        info: Info,
        include_removed: Annotated[
            bool,
            strawberry.argument(
                description=(
                    "Også sessioner HR har fjernet, som tombstones med removedAt, så et LMS "
                    "kan spejle fjernelsen."
                )
            ),
        ] = False,
    ) -> list[CourseRunSessionType]:
        rows = await info.context.loaders.sessions_by_run_id.load(self.id)
        return [
            CourseRunSessionType.from_model(row)
            for row in rows
            if include_removed or row.removed_at is None
        ]

    @strawberry.field
    async def course(self, info: Info) -> CourseType:
        return await related_visible(
            info, info.context.loaders.course_by_id, self.course_id, CourseType
        )


@strawberry.type(name="Activity", description="Et modul, en session eller en e-læringsenhed.")
class ActivityType(ModelNode):
    loader_name = "activity_by_id"
    id: NodeID[int]
    code: str
    title: str
    kind: ActivityKindEnum  # type: ignore[valid-type]
    position: int
    required: bool
    duration_hours: float | None
    lms_module_id: str | None
    archived_at: datetime | None
    updated_at: datetime
    course_id: strawberry.Private[int]

    async def is_visible(self, info: Info) -> bool:
        return await course_is_visible(info, self.course_id)

    @strawberry.field
    async def course(self, info: Info) -> CourseType:
        return await related_visible(
            info, info.context.loaders.course_by_id, self.course_id, CourseType
        )

    @strawberry.field(description="Kompetencelinks til denne aktivitet.")
    async def competence_links(
        self, info: Info
    ) -> list[Annotated[CompetenceLinkType, strawberry.lazy("catalogue.graphql.competence.types")]]:
        from catalogue.graphql.competence.types import visible_links

        rows = await info.context.loaders.links_by_activity_id.load(self.id)
        return await visible_links(info, rows)


@strawberry.type(name="Course", description="Et kursus eller andet tilbud i kataloget.")
class CourseType(ModelNode):
    loader_name = "course_by_id"
    id: NodeID[int]
    code: str
    title: str
    summary: str
    kind: CourseKindEnum  # type: ignore[valid-type]
    status: CourseStatusEnum  # type: ignore[valid-type]
    provider: str
    language: str
    duration_hours: float | None
    ects: float | None
    price_dkk: int | None
    audience: str
    lms_course_id: str | None
    published_at: datetime | None
    archived_at: datetime | None
    created_at: datetime
    updated_at: datetime
    #: The search that found this course in a ``courses(filter: {search})`` list, if any.
    search: strawberry.Private[AnalysedQuery | None] = dataclasses.field(default=None, init=False)

    async def is_visible(self, info: Info) -> bool:
        return may_see_course(info.context.viewer, self.status)

    @classmethod
    def found_by(cls, model: Any, search: AnalysedQuery | None) -> CourseType:
        """The course as a hit of ``search``, so ``matchedOn`` can say why it was found."""
        node = cls.from_model(model)
        node.search = search
        return node

    @strawberry.field(
        description=(
            "Hvorfor kurset blev fundet af søgningen (filter.search): hvert søgeord, hvor det "
            "stod (titel, resumé, aktivitet, et linket udsagn som K3.4) og hvordan (ordet, et "
            "sammensat ord, et synonym som MUS, en tastefejl). Tom uden søgning."
        )
    )
    async def matched_on(
        self, info: Info
    ) -> list[Annotated[SearchMatchType, strawberry.lazy("catalogue.graphql.search.types")]]:
        from catalogue.graphql.search.types import SearchMatchType

        if self.search is None:
            return []
        matches = await info.context.loaders.search_matches_by_course.load((self.search, self.id))
        return [SearchMatchType.of(match) for match in matches]

    @strawberry.field(description="Kursets aktiviteter i rækkefølge.")
    async def activities(self, info: Info) -> list[ActivityType]:
        rows = await info.context.loaders.activities_by_course_id.load(self.id)
        return [ActivityType.from_model(row) for row in rows]

    @strawberry.field(description="Kursets hold, efter startdato.")
    async def runs(self, info: Info) -> list[CourseRunType]:
        rows = await info.context.loaders.runs_by_course_id.load(self.id)
        return [CourseRunType.from_model(row) for row in rows]

    @strawberry.field(description="Kompetencelinks til dette kursus.")
    async def competence_links(
        self, info: Info
    ) -> list[Annotated[CompetenceLinkType, strawberry.lazy("catalogue.graphql.competence.types")]]:
        from catalogue.graphql.competence.types import visible_links

        rows = await info.context.loaders.links_by_course_id.load(self.id)
        return await visible_links(info, rows)
