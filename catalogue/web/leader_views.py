"""What the leader's pages show, read in a fixed number of queries per page.

Each function gathers one page's data from the services and the models and returns
plain objects for the template. Who may see what is the services' call
(``may_see_course``, ``visible_person_ids``, ``progress_for``); nothing here decides it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from catalogue.models import (
    CompetenceField,
    CompetenceLink,
    CompetenceProfile,
    CompetenceStatement,
    Course,
    CourseKind,
    CourseRun,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    LinkStrength,
    Theme,
)
from catalogue.services.catalogue_queries import current_links_statement, seats_left, seats_taken
from catalogue.services.course_search import (
    CourseFilter,
    CourseOrder,
    course_search_statement,
    may_see_course,
)
from catalogue.services.enrolment_rules import TRANSITIONS, EnrolmentAction
from catalogue.services.enrolments import closed_reason, enrolments_statement
from catalogue.services.identity import Viewer
from catalogue.services.people import visible_person_ids
from catalogue.services.profiles import current_profile
from catalogue.services.progress import PersonProgress, StatementStatus, progress_for

#: Enrolments that still lie ahead of the leader: asked for, waiting, placed, underway.
OPEN_STATUSES = (
    EnrolmentStatus.REQUESTED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.APPROVED,
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.IN_PROGRESS,
)

STATUS_TEXT = {
    StatementStatus.COVERED: "Dækket",
    StatementStatus.PLANNED: "Planlagt",
    StatementStatus.OPEN: "Åben",
}


@dataclass(frozen=True)
class FieldCount:
    """One field's statements by status: a row of the progress chart and its table."""

    key: str
    name: str
    covered: int
    planned: int
    open: int

    @property
    def total(self) -> int:
        return self.covered + self.planned + self.open


@dataclass(frozen=True)
class StatementRow:
    key: str
    text: str
    field_key: str
    status: StatementStatus
    focus: bool

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]


@dataclass
class ProfileView:
    profile: CompetenceProfile | None
    fields: list[CompetenceField]
    statements: dict[int, CompetenceStatement]


def profile_view(session: Session) -> ProfileView:
    """The current profile with its fields, themes and statements (three queries)."""
    profile = current_profile(session)
    if profile is None:
        return ProfileView(None, [], {})
    fields = list(
        session.scalars(
            select(CompetenceField)
            .where(CompetenceField.profile_id == profile.id)
            .order_by(CompetenceField.position)
            .options(selectinload(CompetenceField.statements), selectinload(CompetenceField.themes))
        )
    )
    statements = {s.id: s for f in fields for s in f.statements}
    return ProfileView(profile, fields, statements)


def field_counts(view: ProfileView, progress: PersonProgress) -> list[FieldCount]:
    by_id = {f.id: f for f in view.fields}
    counts = []
    for fp in progress.fields:
        f = by_id[fp.field_id]
        counts.append(
            FieldCount(
                key=f.key,
                name=f.name,
                covered=fp.count(StatementStatus.COVERED),
                planned=fp.count(StatementStatus.PLANNED),
                open=fp.count(StatementStatus.OPEN),
            )
        )
    return counts


def statement_rows(view: ProfileView, progress: PersonProgress) -> list[StatementRow]:
    rows = []
    for fp in progress.fields:
        for sp in fp.statements:
            s = view.statements[sp.statement_id]
            rows.append(StatementRow(s.key, s.text, s.field.key, sp.status, sp.focus))
    return rows


@dataclass
class StartPage:
    focus: list[StatementRow]
    coming: Sequence[Enrolment]
    counts: list[FieldCount]


def my_open_enrolments(session: Session, viewer: Viewer, *, now: datetime) -> Sequence[Enrolment]:
    statement = (
        enrolments_statement(
            visible=visible_person_ids(session, viewer),
            person_id=viewer.person_id,
            statuses=OPEN_STATUSES,
        )
        .where(CourseRun.ends_at >= now)
        .options(selectinload(Enrolment.course_run).selectinload(CourseRun.course))
    )
    return session.scalars(statement).all()


def start_page(session: Session, viewer: Viewer, *, now: datetime) -> StartPage:
    view = profile_view(session)
    progress = progress_for(session, [viewer.person_id])[viewer.person_id]
    rows = statement_rows(view, progress)
    return StartPage(
        focus=[row for row in rows if row.focus],
        coming=my_open_enrolments(session, viewer, now=now),
        counts=field_counts(view, progress),
    )


@dataclass
class ProgressPage:
    counts: list[FieldCount]
    statements: list[StatementRow]


def progress_page(session: Session, person_id: int) -> ProgressPage:
    """The person's progress; the caller has checked that the viewer may see the person."""
    view = profile_view(session)
    progress = progress_for(session, [person_id])[person_id]
    return ProgressPage(field_counts(view, progress), statement_rows(view, progress))


@dataclass
class LinkedCourse:
    course: Course
    strength: LinkStrength
    rationale: str


@dataclass
class ExplorerPage:
    view: ProfileView
    links: dict[int, list[LinkedCourse]] = field(default_factory=dict)


def explorer_page(session: Session, viewer: Viewer | None) -> ExplorerPage:
    """Fields → statements → the courses linked to each, with HR's rationale."""
    view = profile_view(session)
    page = ExplorerPage(view)
    if not view.statements:
        return page
    links = session.scalars(
        select(CompetenceLink)
        .where(
            CompetenceLink.statement_id.in_(list(view.statements)),
            CompetenceLink.removed_at.is_(None),
            CompetenceLink.course_id.is_not(None),
        )
        .order_by(CompetenceLink.statement_id, CompetenceLink.strength, CompetenceLink.id)
        .options(selectinload(CompetenceLink.course))
    )
    grouped: dict[int, list[LinkedCourse]] = defaultdict(list)
    for link in links:
        course = link.course
        if course is None or course.status is CourseStatus.ARCHIVED:
            continue
        if not may_see_course(viewer, course.status):
            continue
        grouped[link.statement_id].append(LinkedCourse(course, link.strength, link.rationale))
    page.links = dict(grouped)
    return page


@dataclass(frozen=True)
class RunRow:
    run: CourseRun
    seats_left: int | None
    #: Why a request would be refused now (the service's words), or None: open.
    closed_reason: str | None


@dataclass
class CoursePage:
    course: Course
    links: list[tuple[CompetenceStatement, LinkStrength, str]]
    runs: list[RunRow]
    mine: dict[int, Enrolment]
    statements: list[CompetenceStatement]


def course_page(
    session: Session, viewer: Viewer | None, course_id: int, *, now: datetime
) -> CoursePage | None:
    """The course, or None when it does not exist or the viewer may not see it."""
    course = session.get(Course, course_id)
    if course is None or not may_see_course(viewer, course.status):
        return None
    links = session.scalars(
        current_links_statement(course_ids=[course.id]).options(
            selectinload(CompetenceLink.statement)
        )
    ).all()
    profile = current_profile(session)
    current = [link for link in links if profile and link.statement.profile_id == profile.id]
    runs = session.scalars(
        select(CourseRun)
        .where(CourseRun.course_id == course.id, CourseRun.cancelled_at.is_(None))
        .where(CourseRun.ends_at >= now)
        .order_by(CourseRun.starts_at, CourseRun.id)
    ).all()
    taken = seats_taken(session, [run.id for run in runs])
    rows = [
        RunRow(
            run,
            seats_left(run.capacity, taken.get(run.id, 0)),
            closed_reason(run, course, now),
        )
        for run in runs
    ]
    mine: dict[int, Enrolment] = {}
    if viewer is not None and runs:
        for enrolment in session.scalars(
            select(Enrolment).where(
                Enrolment.person_id == viewer.person_id,
                Enrolment.course_run_id.in_([run.id for run in runs]),
            )
        ):
            mine[enrolment.course_run_id] = enrolment
    statements = (
        list(
            session.scalars(
                select(CompetenceStatement)
                .where(CompetenceStatement.profile_id == profile.id)
                .order_by(CompetenceStatement.field_id, CompetenceStatement.position)
            )
        )
        if profile
        else []
    )
    return CoursePage(
        course=course,
        links=[(link.statement, link.strength, link.rationale) for link in current],
        runs=rows,
        mine=mine,
        statements=statements,
    )


def my_enrolments(session: Session, viewer: Viewer) -> Sequence[Enrolment]:
    statement = enrolments_statement(
        visible=visible_person_ids(session, viewer), person_id=viewer.person_id
    ).options(
        selectinload(Enrolment.course_run).selectinload(CourseRun.course),
        selectinload(Enrolment.focus_statements),
    )
    return session.scalars(statement).all()


@dataclass(frozen=True)
class NextRun:
    run: CourseRun
    seats_left: int | None


@dataclass
class SearchResults:
    courses: Sequence[Course]
    total: int
    next_runs: dict[int, NextRun]


def search_results(
    session: Session, viewer: Viewer | None, criteria: CourseFilter, *, limit: int, now: datetime
) -> SearchResults:
    """The first ``limit`` courses of the search, how many there are, and each one's next run."""
    statement = course_search_statement(
        session,
        criteria,
        viewer=viewer,
        order=CourseOrder.RELEVANCE if criteria.search else CourseOrder.NEXT_START,
    )
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    courses = session.scalars(statement.limit(limit)).all()
    runs = session.scalars(
        select(CourseRun)
        .where(
            CourseRun.course_id.in_([course.id for course in courses]),
            CourseRun.cancelled_at.is_(None),
            CourseRun.starts_at > now,
        )
        .order_by(CourseRun.course_id, CourseRun.starts_at, CourseRun.id)
    ).all()
    first: dict[int, CourseRun] = {}
    for run in runs:
        first.setdefault(run.course_id, run)
    taken = seats_taken(session, [run.id for run in first.values()])
    return SearchResults(
        courses=courses,
        total=total or 0,
        next_runs={
            course_id: NextRun(run, seats_left(run.capacity, taken.get(run.id, 0)))
            for course_id, run in first.items()
        },
    )


@dataclass
class SearchChoices:
    """What the filters offer: the current profile's statements, fields and themes."""

    fields: list[CompetenceField]
    themes: list[Theme]


def search_choices(session: Session) -> SearchChoices:
    view = profile_view(session)
    themes = list(view.profile.themes) if view.profile else []
    return SearchChoices(view.fields, themes)


COURSE_KINDS = list(CourseKind)
#: Statuses the state machine lets a withdrawal leave (whether the run has started is the
#: service's check when the button is pressed).
WITHDRAWABLE = frozenset(
    status for status in TRANSITIONS[EnrolmentAction.WITHDRAW] if status is not None
)


def run_belongs_to(session: Session, run_id: int, course_id: int) -> bool:
    run = session.get(CourseRun, run_id)
    return run is not None and run.course_id == course_id
