"""GraphQL types of enrolment, completion and progress against the profile.

Everything here is personal data: an Enrolment or ActivityCompletion is only
resolved through ``node(id:)`` for someone who may see its person, and the
lists that lead to them (``Person.enrolments``, ``enrolments``, ``myTeam``)
are scoped the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import strawberry
from strawberry.relay import NodeID, to_base64

from catalogue.graphql.audit.types import AuditEntryType
from catalogue.graphql.context import Info
from catalogue.graphql.core.nodes import ModelNode, related, related_visible, visible_nodes
from catalogue.graphql.courses.types import ActivityType, CourseRunType, CourseType
from catalogue.graphql.enrolment.enums import (
    ChangeSourceEnum,
    EnrolmentStatusEnum,
    StatementProgressStatusEnum,
)
from catalogue.graphql.people.types import PersonType
from catalogue.graphql.profile.types import (
    CompetenceFieldType,
    CompetenceProfileType,
    CompetenceStatementType,
)
from catalogue.models import Person
from catalogue.services.progress import (
    FieldProgress,
    PersonProgress,
    StatementProgress,
    StatementStatus,
)

CALENDAR_PATH = "/calendar/enrolments/{id}.ics"


async def _courses(info: Info, ids: tuple[int, ...]) -> list[CourseType]:
    models = await info.context.loaders.course_by_id.load_many(list(ids))
    return await visible_nodes(
        info, [CourseType.from_model(model) for model in models if model is not None]
    )


@strawberry.type(name="Enrolment", description="En persons tilmelding (eller plads på venteliste).")
class EnrolmentType(ModelNode):
    loader_name = "enrolment_by_id"
    id: NodeID[int]
    status: EnrolmentStatusEnum  # type: ignore[valid-type]
    source: ChangeSourceEnum  # type: ignore[valid-type]
    motivation: str
    waitlist_position: int | None = strawberry.field(
        description="Pladsen på ventelisten (1 er den næste, der får plads)."
    )
    requested_at: datetime
    completed_at: datetime | None
    result: str | None
    updated_at: datetime
    person_id: strawberry.Private[int]
    course_run_id: strawberry.Private[int]

    async def is_visible(self, info: Info) -> bool:
        return info.context.viewer is not None and info.context.may_see_person(self.person_id)

    @strawberry.field
    async def person(self, info: Info) -> PersonType:
        return await related(info.context.loaders.person_by_id, self.person_id, PersonType)

    @strawberry.field
    async def course_run(self, info: Info) -> CourseRunType:
        return await related_visible(
            info, info.context.loaders.run_by_id, self.course_run_id, CourseRunType
        )

    @strawberry.field
    async def course(self, info: Info) -> CourseType:
        run = await info.context.loaders.run_by_id.load(self.course_run_id)
        assert run is not None
        return await related_visible(
            info, info.context.loaders.course_by_id, run.course_id, CourseType
        )

    @strawberry.field(description="De udsagn, lederen vil arbejde med på forløbet.")
    async def focus_statements(self, info: Info) -> list[CompetenceStatementType]:
        rows = await info.context.loaders.focus_statements_by_enrolment_id.load(self.id)
        return [CompetenceStatementType.from_model(row) for row in rows]

    @strawberry.field(
        description=(
            "Link til holdets sessioner som iCalendar-fil (.ics), relativt til tjenesten; "
            "hentes med samme Bearer-token. Stien bruger tilmeldingens globale id."
        )
    )
    def calendar_url(self) -> str:
        return CALENDAR_PATH.format(id=to_base64(EnrolmentType, self.id))

    @strawberry.field(description="Tilmeldingens historik fra revisionsloggen, ældste først.")
    async def history(self, info: Info) -> list[AuditEntryType]:
        rows = await info.context.loaders.history_by_enrolment_id.load(self.id)
        return [AuditEntryType.from_model(row) for row in rows]


@strawberry.type(
    name="ActivityCompletion",
    description="At en person har gennemført en aktivitet; registreret én gang.",
)
class ActivityCompletionType(ModelNode):
    loader_name = "completion_by_id"
    id: NodeID[int]
    completed_at: datetime
    result: str | None
    evidence_url: str | None
    source: ChangeSourceEnum  # type: ignore[valid-type]
    created_at: datetime
    person_id: strawberry.Private[int]
    activity_id: strawberry.Private[int]
    enrolment_id: strawberry.Private[int | None]

    async def is_visible(self, info: Info) -> bool:
        return info.context.viewer is not None and info.context.may_see_person(self.person_id)

    @strawberry.field(description="Sand når personen ikke havde plads på kurset.")
    def without_enrolment(self) -> bool:
        return self.enrolment_id is None

    @strawberry.field
    async def person(self, info: Info) -> PersonType:
        return await related(info.context.loaders.person_by_id, self.person_id, PersonType)

    @strawberry.field
    async def activity(self, info: Info) -> ActivityType:
        return await related_visible(
            info, info.context.loaders.activity_by_id, self.activity_id, ActivityType
        )

    @strawberry.field
    async def enrolment(self, info: Info) -> EnrolmentType | None:
        if self.enrolment_id is None:
            return None
        model = await info.context.loaders.enrolment_by_id.load(self.enrolment_id)
        return EnrolmentType.from_model(model) if model else None


@strawberry.type(name="StatementProgress", description="Et udsagn og hvor personen står.")
class StatementProgressType:
    progress: strawberry.Private[StatementProgress]

    @strawberry.field
    def status(self) -> StatementProgressStatusEnum:  # type: ignore[valid-type]
        return self.progress.status

    @strawberry.field(description="Udsagnet er valgt som fokus på en af personens tilmeldinger.")
    def focus(self) -> bool:
        return self.progress.focus

    @strawberry.field
    async def statement(self, info: Info) -> CompetenceStatementType:
        return await related(
            info.context.loaders.statement_by_id,
            self.progress.statement_id,
            CompetenceStatementType,
        )

    @strawberry.field(description="Gennemførte kurser, der dækker udsagnet (primært link).")
    async def covered_by(self, info: Info) -> list[CourseType]:
        return await _courses(info, self.progress.covered_by_course_ids)

    @strawberry.field(description="Kurser, personen er tilmeldt, der vil dække udsagnet.")
    async def planned_in(self, info: Info) -> list[CourseType]:
        return await _courses(info, self.progress.planned_course_ids)


class _Counted(Protocol):
    def count(self, status: StatementStatus) -> int: ...


@strawberry.type
class StatusCounts:
    """How many statements are covered, planned and open; shared by a field and the whole."""

    progress: strawberry.Private[_Counted]

    @strawberry.field
    def covered(self) -> int:
        return self.progress.count(StatementStatus.COVERED)

    @strawberry.field
    def planned(self) -> int:
        return self.progress.count(StatementStatus.PLANNED)

    @strawberry.field
    def open(self) -> int:
        return self.progress.count(StatementStatus.OPEN)


@strawberry.type(name="FieldProgress", description="Et kompetencefelt med optælling pr. status.")
class FieldProgressType(StatusCounts):
    progress: strawberry.Private[FieldProgress]

    @strawberry.field
    async def field(self, info: Info) -> CompetenceFieldType:
        return await related(
            info.context.loaders.field_by_id, self.progress.field_id, CompetenceFieldType
        )

    @strawberry.field(description="Feltets udsagn i dokumentets rækkefølge.")
    def statements(self) -> list[StatementProgressType]:
        return [StatementProgressType(progress=s) for s in self.progress.statements]


@strawberry.type(
    name="Progress",
    description=(
        "Hvor personen står i forhold til den gældende kompetenceprofil: hvert udsagn er "
        "dækket (gennemført kursus med primært link), planlagt (tilmeldt) eller åbent."
    ),
)
class ProgressType(StatusCounts):
    progress: strawberry.Private[PersonProgress]

    @strawberry.field
    async def profile(self, info: Info) -> CompetenceProfileType | None:
        if self.progress.profile_id is None:
            return None
        model = await info.context.loaders.profile_by_id.load(self.progress.profile_id)
        return CompetenceProfileType.from_model(model) if model else None

    @strawberry.field(description="De syv felter i dokumentets rækkefølge.")
    def fields(self) -> list[FieldProgressType]:
        return [FieldProgressType(progress=f) for f in self.progress.fields]


@strawberry.type(
    name="TeamMember", description="En medarbejder under chefen, med fremdrift og anmodninger."
)
class TeamMemberType:
    model: strawberry.Private[Person]
    chef_id: strawberry.Private[int]

    @strawberry.field
    def person(self) -> PersonType:
        return PersonType.from_model(self.model)

    @strawberry.field(description="Sand for chefens egne, direkte medarbejdere.")
    def direct_report(self) -> bool:
        return self.model.manager_id == self.chef_id

    @strawberry.field
    async def progress(self, info: Info) -> ProgressType:
        return ProgressType(
            progress=await info.context.loaders.progress_by_person_id.load(self.model.id)
        )

    @strawberry.field(description="Anmodninger, der venter på en chefs eller HR's afgørelse.")
    async def open_approvals(self, info: Info) -> list[EnrolmentType]:
        rows = await info.context.loaders.requests_by_person_id.load(self.model.id)
        return [EnrolmentType.from_model(row) for row in rows]


async def person_enrolments(
    info: Info,
    person_id: int,
    statuses: list[EnrolmentStatusEnum] | None,  # type: ignore[valid-type]
) -> list[EnrolmentType]:
    rows = await info.context.loaders.enrolments_by_person_id.load(person_id)
    wanted = set(statuses or ())
    return [EnrolmentType.from_model(row) for row in rows if not wanted or row.status in wanted]


async def person_progress(info: Info, person_id: int) -> ProgressType:
    return ProgressType(progress=await info.context.loaders.progress_by_person_id.load(person_id))


async def person_completions(info: Info, person_id: int) -> list[ActivityCompletionType]:
    rows = await info.context.loaders.completions_by_person_id.load(person_id)
    return [ActivityCompletionType.from_model(row) for row in rows]
