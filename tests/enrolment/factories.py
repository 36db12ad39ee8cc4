"""Courses, runs and people made to measure for the enrolment tests.

Demo runs move with the seed day; these are built relative to "now" so every
test states the dates, seats and rules it depends on.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    ActivityKind,
    AuditLogEntry,
    ChangeSource,
    CompetenceLink,
    Course,
    CourseKind,
    CourseRun,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    LinkStrength,
    OutboxEvent,
    Person,
    Role,
)
from catalogue.models.base import utcnow
from catalogue.services.identity import Viewer
from catalogue.services.profiles import statement_by_key

DEMO = "@demo.ltk.example"


def demo_person(session: Session, name: str) -> Person:
    person = session.scalar(select(Person).where(Person.email == name + DEMO))
    assert person is not None, name
    return person


def viewer(person: Person, *roles: Role) -> Viewer:
    return Viewer(person_id=person.id, email=person.email, roles=frozenset(roles or person.roles))


@dataclass(frozen=True)
class Org:
    """Mette is Sofie's and Karsten's chef; Anne is Mette's; Thomas is Rasmus's."""

    director: Person
    chef: Person
    leader: Person
    peer: Person
    other_chef: Person
    other_leader: Person
    hr: Person
    admin: Person
    lms: Person


def load_org(session: Session) -> Org:
    return Org(
        director=demo_person(session, "anne.holm"),
        chef=demo_person(session, "mette.kjaergaard"),
        leader=demo_person(session, "sofie.noergaard"),
        peer=demo_person(session, "karsten.moeller"),
        other_chef=demo_person(session, "thomas.brandt"),
        other_leader=demo_person(session, "rasmus.kjeldsen"),
        hr=demo_person(session, "nanna.stougaard"),
        admin=demo_person(session, "mads.iversen"),
        lms=demo_person(session, "moodle-sync"),
    )


def new_leader(session: Session, manager: Person, name: str = "Testleder") -> Person:
    """A leader with no history, so progress starts from nothing."""
    tag = uuid.uuid4().hex[:8]
    person = Person(
        email=f"{tag}@test.example",
        name=f"{name} {tag}",
        title="Leder",
        manager_id=manager.id,
        org_unit_id=manager.org_unit_id,
    )
    person.set_roles({Role.LEADER})
    session.add(person)
    session.flush()
    return person


def make_run(
    session: Session,
    *,
    capacity: int | None = 10,
    approval_required: bool = False,
    starts_in: timedelta = timedelta(days=30),
    deadline_before_start: timedelta | None = timedelta(days=7),
    status: CourseStatus = CourseStatus.PUBLISHED,
    activities: Sequence[bool] = (),
    primary: Sequence[str] = (),
    supporting: Sequence[str] = (),
    activity_primary: Sequence[tuple[int, str]] = (),
    now: datetime | None = None,
) -> CourseRun:
    """A course with one run. ``activities`` are their ``required`` flags, in order;
    ``primary``/``supporting`` are statement keys linked to the course, and
    ``activity_primary`` (index, key) PRIMARY links to an activity."""
    tag = uuid.uuid4().hex[:8]
    now = now or utcnow()
    course = Course(
        code=f"T-{tag}",
        title=f"Testkursus {tag}",
        summary="Et kursus til testene.",
        kind=CourseKind.SHORT_COURSE,
        status=status,
        provider="Testudbyder",
        published_at=now if status is not CourseStatus.DRAFT else None,
        archived_at=now if status is CourseStatus.ARCHIVED else None,
    )
    for position, required in enumerate(activities, 1):
        course.activities.append(
            Activity(
                code=f"T-{tag}-A{position}",
                title=f"Aktivitet {position}",
                kind=ActivityKind.MODULE,
                position=position,
                required=required,
            )
        )
    starts_at = now + starts_in
    run = CourseRun(
        code=f"T-{tag}-H1",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=6),
        location="Rådhuset, Lyngby",
        capacity=capacity,
        enrolment_deadline=(
            starts_at - deadline_before_start if deadline_before_start is not None else None
        ),
        approval_required=approval_required,
    )
    course.runs.append(run)
    session.add(course)
    session.flush()
    links = [(key, LinkStrength.PRIMARY, None) for key in primary]
    links += [(key, LinkStrength.SUPPORTING, None) for key in supporting]
    links += [(key, LinkStrength.PRIMARY, course.activities[i]) for i, key in activity_primary]
    for key, strength, activity in links:
        statement = statement_by_key(session, key)
        assert statement is not None, key
        session.add(
            CompetenceLink(
                statement_id=statement.id,
                course_id=None if activity else course.id,
                activity_id=activity.id if activity else None,
                strength=strength,
                rationale="Testlink.",
                linked_at=now,
            )
        )
    session.flush()
    return run


def started(session: Session, run: CourseRun, *, days_ago: float = 10) -> CourseRun:
    """Move ``run``'s start ``days_ago`` into the past, as if time had passed since people
    enrolled: a completion belongs to a run only from its start."""
    run.starts_at = utcnow() - timedelta(days=days_ago)
    run.ends_at = run.starts_at + timedelta(hours=6)
    run.enrolment_deadline = None
    session.flush()
    return run


def stored_enrolment(
    session: Session,
    run: CourseRun,
    person: Person,
    status: EnrolmentStatus,
    *,
    waitlist_position: int | None = None,
) -> Enrolment:
    """An enrolment put straight into ``status``, to test what may happen from there."""
    if status is EnrolmentStatus.WAITLISTED and waitlist_position is None:
        waitlist_position = 1
    enrolment = Enrolment(
        person_id=person.id,
        course_run_id=run.id,
        status=status,
        source=ChangeSource.HR,
        requested_at=utcnow(),
        waitlist_position=waitlist_position,
    )
    session.add(enrolment)
    session.flush()
    return enrolment


def fill(session: Session, run: CourseRun, people: Sequence[Person]) -> list[Enrolment]:
    return [stored_enrolment(session, run, p, EnrolmentStatus.ENROLLED) for p in people]


def count(session: Session, model: type, *where: object) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def audit_rows(session: Session, enrolment_id: int) -> list[AuditLogEntry]:
    return list(
        session.scalars(
            select(AuditLogEntry)
            .where(
                AuditLogEntry.entity_type == "Enrolment", AuditLogEntry.entity_id == enrolment_id
            )
            .order_by(AuditLogEntry.id)
        )
    )


def outbox_events(session: Session, enrolment_id: int) -> list[OutboxEvent]:
    return list(
        session.scalars(
            select(OutboxEvent)
            .where(
                OutboxEvent.aggregate_type == "Enrolment", OutboxEvent.aggregate_id == enrolment_id
            )
            .order_by(OutboxEvent.id)
        )
    )


def leaders(session: Session, how_many: int, *, exclude: Sequence[Person] = ()) -> list[Person]:
    """Demo people holding the LEADER role, by email."""
    skip = {p.id for p in exclude}
    rows = session.scalars(select(Person).where(Person.is_leader.is_(True)).order_by(Person.email))
    found = [p for p in rows if p.id not in skip][:how_many]
    assert len(found) == how_many
    return found
