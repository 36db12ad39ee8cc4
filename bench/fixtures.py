"""Rows the load and contention benchmarks need, added to the scratch copy only.

500 extra leaders ("belastningsledere") who have never enrolled, one published
course with runs for the ``enrol`` load, and, for contention, one run with 100
seats next to 500 runs of 100 seats each (the no-contention baseline). Tokens
are minted with the server's secret, as ``catalogue token`` would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import (
    CompetenceStatement,
    Course,
    CourseKind,
    CourseRun,
    CourseStatus,
    Enrolment,
    OrgUnit,
    Person,
    Role,
)
from catalogue.services.profiles import current_profile
from catalogue.services.tokens import mint_token
from catalogue.settings import Settings

LOAD_LEADERS = 500
ENROL_RUNS = 40
CONTENTION_SEATS = 100
TOKEN_LIFETIME = timedelta(hours=3)


@dataclass(frozen=True)
class LoadPeople:
    ids: list[int]
    tokens: list[str]


def _now() -> datetime:
    return datetime.now(UTC)


def add_load_leaders(session: Session, settings: Settings, count: int = LOAD_LEADERS) -> LoadPeople:
    unit = OrgUnit(key="BENCH-LOAD", name="Belastningstest")
    session.add(unit)
    session.flush()
    ids = list(
        session.scalars(
            insert(Person).returning(Person.id, sort_by_parameter_order=True),
            [
                {
                    "email": f"belastning{n:04d}@bench.example",
                    "name": f"Belastningsleder {n:04d}",
                    "title": "Leder",
                    "org_unit_id": unit.id,
                    "is_leader": True,
                }
                for n in range(count)
            ],
        )
    )
    session.commit()
    return LoadPeople(ids, tokens_for(session, settings, ids, Role.LEADER))


def tokens_for(session: Session, settings: Settings, ids: list[int], role: Role) -> list[str]:
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
    return [
        mint_token(settings, person=people[i], roles=[role], expires_in=TOKEN_LIFETIME) for i in ids
    ]


def lms_token(session: Session, settings: Settings) -> str:
    account = session.scalar(select(Person).where(Person.is_lms.is_(True)).order_by(Person.id))
    assert account is not None, "the demo seed has the Moodle service account"
    return mint_token(settings, person=account, roles=[Role.LMS], expires_in=TOKEN_LIFETIME)


def progress_people(session: Session, count: int = 200) -> list[int]:
    """Leaders with the most enrolments: the heaviest ``me { progress }`` there is."""
    rows = session.execute(
        select(Enrolment.person_id, func.count())
        .join(Person, Person.id == Enrolment.person_id)
        .where(Person.is_leader.is_(True), Person.active.is_(True))
        .group_by(Enrolment.person_id)
        .order_by(func.count().desc(), Enrolment.person_id)
        .limit(count)
    ).all()
    return [int(r[0]) for r in rows]


def _bench_course(session: Session, code: str, title: str) -> Course:
    course = Course(
        code=code,
        title=title,
        summary="Oprettet af benchmarken.",
        kind=CourseKind.SHORT_COURSE,
        status=CourseStatus.PUBLISHED,
        provider="Benchmark",
        published_at=_now(),
    )
    session.add(course)
    session.flush()
    return course


def add_runs(session: Session, code: str, count: int, capacity: int | None) -> list[int]:
    """A published course with ``count`` future runs open for enrolment, without approval."""
    course = _bench_course(session, code, f"Benchmarkkursus {code}")
    starts = _now() + timedelta(days=60)
    ids = list(
        session.scalars(
            insert(CourseRun).returning(CourseRun.id, sort_by_parameter_order=True),
            [
                {
                    "course_id": course.id,
                    "code": f"{code}-{n:04d}",
                    "starts_at": starts + timedelta(days=n % 30),
                    "ends_at": starts + timedelta(days=n % 30, hours=7),
                    "capacity": capacity,
                    "enrolment_deadline": starts - timedelta(days=7),
                }
                for n in range(count)
            ],
        )
    )
    session.commit()
    return ids


def run_gid(run_id: int) -> str:
    return to_base64("CourseRun", run_id)


def statement_keys(session: Session) -> list[str]:
    """The current profile's statement keys, K1.1 ... K7.4."""
    profile = current_profile(session)
    assert profile is not None
    return list(
        session.scalars(
            select(CompetenceStatement.key)
            .where(CompetenceStatement.profile_id == profile.id)
            .order_by(CompetenceStatement.key)
        )
    )
