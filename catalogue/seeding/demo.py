"""Loading the demo catalogue and organisation.

Only what is missing is created: a second run changes nothing, and HR's edits to
demo courses are never overwritten. A demo link is created only for a statement
key and target that no profile version has had a link for, so a link HR removed
does not come back with a new profile version. Run dates are placed relative to
the day of the first load, in Danish local time, and so are the sessions
(teaching days) of a run, which come with the run when it is created.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    ChangeSource,
    CompetenceLink,
    CompetenceStatement,
    Course,
    CourseRun,
    CourseRunSession,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    ManagerPeriod,
    OrgUnit,
    Person,
)
from catalogue.models.base import utcnow
from catalogue.seeding.demo_evaluation import load_evaluations
from catalogue.seeding.dialogues import load_dialogues
from catalogue.seeding.recruitment import load_vacancy
from catalogue.seeding.schema import CourseSeed, DemoSeed, RunSeed
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.link_versions import ever_linked
from catalogue.services.profiles import current_profile, statements_by_key

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")


@dataclass
class DemoLoadResult:
    created: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return sum(self.created.values()) > 0


def _local(day: date, clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=LOCAL_TZ)


def run_dates(run: RunSeed, today: date) -> tuple[datetime, datetime, datetime]:
    """Start, end and enrolment deadline of a demo run, relative to ``today``."""
    first_day = today + timedelta(days=run.starts_in_days)
    last_day = first_day + timedelta(days=run.days - 1)
    starts_at = _local(first_day, run.start_time)
    ends_at = _local(last_day, run.end_time)
    deadline = _local(first_day - timedelta(days=run.deadline_days_before_start), "23:59")
    return starts_at, ends_at, min(deadline, starts_at)


def session_dates(run: RunSeed, today: date) -> list[tuple[datetime, datetime]]:
    """Start and end of each of a demo run's sessions, relative to ``today``."""
    first_day = today + timedelta(days=run.starts_in_days)
    return [
        (
            _local(first_day + timedelta(days=s.day - 1), s.start_time),
            _local(first_day + timedelta(days=s.day - 1), s.end_time),
        )
        for s in run.sessions
    ]


def load_demo(session: Session, seed: DemoSeed, *, today: date) -> DemoLoadResult:
    profile = current_profile(session)
    if profile is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Kompetenceprofilen skal indlæses før demodata")
    statements = statements_by_key(session, profile.id)
    result = DemoLoadResult()
    units = {u.key: u for u in session.scalars(select(OrgUnit))}
    for unit_seed in seed.org_units:
        if unit_seed.key not in units:
            parent = units[unit_seed.parent] if unit_seed.parent else None
            units[unit_seed.key] = OrgUnit(key=unit_seed.key, name=unit_seed.name, parent=parent)
            session.add(units[unit_seed.key])
            result.created["org_units"] += 1
    people = {p.email: p for p in session.scalars(select(Person))}
    new_people: list[Person] = []
    for person_seed in seed.people:
        if person_seed.email not in people:
            person = Person(
                email=person_seed.email,
                name=person_seed.name,
                title=person_seed.title,
                org_unit=units[person_seed.org_unit],
                manager=people[person_seed.manager] if person_seed.manager else None,
            )
            person.set_roles(set(person_seed.roles))
            people[person_seed.email] = person
            session.add(person)
            new_people.append(person)
            result.created["people"] += 1
    session.flush()
    # The manager history starts with the seed (services/managers.py).
    session.add_all(
        ManagerPeriod(person_id=p.id, manager_id=p.manager_id, valid_from=utcnow())
        for p in new_people
        if p.manager_id is not None
    )
    courses = {c.code: c for c in session.scalars(select(Course))}
    for course_seed in seed.courses:
        course = courses.get(course_seed.code)
        if course is None:
            course = _new_course(course_seed)
            session.add(course)
            result.created["courses"] += 1
        _load_course_parts(session, course, course_seed, today, result)
        session.flush()
        _load_links(session, course, course_seed, statements, result)
        _load_enrolments(session, course, course_seed, people, result)
    session.flush()
    load_evaluations(session, seed.evaluations, today=today, created=result.created)
    for what, count in load_dialogues(session, seed, today=today).items():
        result.created[what] += count
    result.created["vacancies"] += load_vacancy(session, seed, today=today)
    return result


def _new_course(seed: CourseSeed) -> Course:
    now = utcnow()
    return Course(
        code=seed.code,
        title=seed.title,
        summary=seed.summary,
        kind=seed.kind,
        status=seed.status,
        provider=seed.provider,
        language=seed.language,
        duration_hours=seed.duration_hours,
        ects=seed.ects,
        price_dkk=seed.price_dkk,
        audience=seed.audience,
        published_at=now if seed.status is not CourseStatus.DRAFT else None,
        archived_at=now if seed.status is CourseStatus.ARCHIVED else None,
    )


def _load_course_parts(
    session: Session, course: Course, seed: CourseSeed, today: date, result: DemoLoadResult
) -> None:
    known_activities = {a.code for a in course.activities}
    for position, activity_seed in enumerate(seed.activities, 1):
        if activity_seed.code not in known_activities:
            course.activities.append(
                Activity(
                    code=activity_seed.code,
                    title=activity_seed.title,
                    kind=activity_seed.kind,
                    required=activity_seed.required,
                    duration_hours=activity_seed.duration_hours,
                    position=position,
                )
            )
            result.created["activities"] += 1
    known_runs = {r.code for r in course.runs}
    for run_seed in seed.runs:
        if run_seed.code not in known_runs:
            starts_at, ends_at, deadline = run_dates(run_seed, today)
            course.runs.append(
                CourseRun(
                    code=run_seed.code,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    enrolment_deadline=deadline,
                    location=run_seed.location,
                    online=run_seed.online,
                    capacity=run_seed.capacity,
                    approval_required=run_seed.approval_required,
                    all_sessions=[
                        CourseRunSession(
                            starts_at=start,
                            ends_at=end,
                            title=session_seed.title,
                            location=session_seed.location,
                        )
                        for session_seed, (start, end) in zip(
                            run_seed.sessions, session_dates(run_seed, today), strict=True
                        )
                    ],
                )
            )
            result.created["runs"] += 1
            result.created["run_sessions"] += len(run_seed.sessions)


def _load_links(
    session: Session,
    course: Course,
    seed: CourseSeed,
    statements: dict[str, CompetenceStatement],
    result: DemoLoadResult,
) -> None:
    activities = {a.code: a for a in course.activities}
    # By statement key over every version, removed links too: a link HR removed, in this
    # version or an older one, stays removed (services/link_versions.py).
    existing = ever_linked(
        session, course_id=course.id, activity_ids=[a.id for a in course.activities]
    )
    for link_seed in seed.links:
        statement = statements.get(link_seed.statement)
        if statement is None:
            raise DomainError(
                ErrorCode.NOT_FOUND,
                f"ukendt udsagn {link_seed.statement} i den gældende kompetenceprofil",
                field=f"courses ({course.code}).links ({link_seed.statement})",
            )
        activity = activities[link_seed.activity] if link_seed.activity else None
        course_id = None if activity else course.id
        activity_id = activity.id if activity else None
        if (statement.key, course_id, activity_id) in existing:
            continue
        session.add(
            CompetenceLink(
                statement_id=statement.id,
                course_id=course_id,
                activity_id=activity_id,
                strength=link_seed.strength,
                rationale=link_seed.rationale,
                linked_at=utcnow(),
            )
        )
        result.created["links"] += 1


def _load_enrolments(
    session: Session,
    course: Course,
    seed: CourseSeed,
    people: dict[str, Person],
    result: DemoLoadResult,
) -> None:
    runs = {r.code: r for r in course.runs}
    for run_seed in seed.runs:
        run = runs[run_seed.code]
        enrolled = set(
            session.scalars(select(Enrolment.person_id).where(Enrolment.course_run_id == run.id))
        )
        for email in run_seed.enrolled:
            person = people[email]
            if person.id in enrolled:
                continue
            session.add(
                Enrolment(
                    person_id=person.id,
                    course_run_id=run.id,
                    status=EnrolmentStatus.ENROLLED,
                    source=ChangeSource.HR,
                    requested_at=utcnow(),
                )
            )
            result.created["enrolments"] += 1
