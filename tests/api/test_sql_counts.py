"""No N+1: the main operations take a constant number of SQL statements, however big the data.

Each test runs an operation, grows the catalogue tenfold inside the test's
rolled-back transaction (courses, activities, runs and competence links), runs
it again and asserts the same, small count.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, func, insert, select
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    ActivityCompletion,
    ActivityKind,
    ChangeSource,
    CompetenceLink,
    CompetenceStatement,
    Course,
    CourseKind,
    CourseRun,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    LinkStrength,
    Role,
)
from catalogue.models.base import utcnow
from catalogue.services.profiles import current_profile
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.lms_operations import OPERATIONS, example_variables
from tests.api.tokens import person, token_for

# The most statements each LMS operation may take (measured: 7, 14, 6 and 8; the first is
# answered by its bulk path, test_lms_page_fast_path.py).
LMS_OPERATION_BOUNDS = {
    "LmsCataloguePage": 7,
    "LmsCatalogueChanges": 14,
    "LmsCompetenceFramework": 6,
    "LmsPersonProgress": 8,
}
FULL_PROFILE_BOUND = 14  # measured: 14

FULL_PROFILE = """
{ competenceProfile { version themes { key } fields { key themes { key } statements { key text
    links { strength rationale linkedAt
      target { __typename
        ... on Course { code runs { code startsAt capacity seatsLeft } }
        ... on Activity { code course { code runs { code startsAt capacity seatsLeft } } } }
      course { code } }
    courses(first: 100) { totalCount nodes { code runs { code seatsLeft } } } } } } }
"""

# Savepoints come from the test's transaction, not from the operation.
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK")


@contextmanager
def counted_statements(connection: Connection) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", count)


def _run(
    client: TestClient,
    connection: Connection,
    query: str,
    token: str,
    variables: dict[str, Any] | None = None,
) -> tuple[int, dict[str, Any]]:
    with counted_statements(connection) as statements:
        body = gql(client, query, variables, token=token)
    assert "errors" not in body, body["errors"]
    return len(statements), body["data"]


def _count(session: Session, model: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def grow_catalogue_tenfold(session: Session) -> None:
    """Nine more of everything, as published courses linked to the current profile."""
    profile = current_profile(session)
    assert profile is not None
    statement_ids = session.scalars(
        select(CompetenceStatement.id).where(CompetenceStatement.profile_id == profile.id)
    ).all()
    now = utcnow()
    course_ids = session.scalars(
        insert(Course).returning(Course.id, sort_by_parameter_order=True),
        [
            {
                "code": f"TIFOLD-{i:05d}",
                "title": f"Tifold kursus {i:05d}",
                "kind": CourseKind.SHORT_COURSE,
                "status": CourseStatus.PUBLISHED,
                "provider": "Tifold",
                "published_at": now,
            }
            for i in range(9 * _count(session, Course))
        ],
    ).all()
    activity_ids = session.scalars(
        insert(Activity).returning(Activity.id, sort_by_parameter_order=True),
        [
            {
                "course_id": course_ids[i % len(course_ids)],
                "code": f"TIFOLD-A{i:05d}",
                "title": f"Modul {i}",
                "kind": ActivityKind.MODULE,
                "position": i // len(course_ids) + 1,
            }
            for i in range(9 * _count(session, Activity))
        ],
    ).all()
    session.execute(
        insert(CourseRun),
        [
            {
                "course_id": course_ids[i % len(course_ids)],
                "code": f"TIFOLD-R{i:05d}",
                "starts_at": now + timedelta(days=30 + i % 200),
                "ends_at": now + timedelta(days=31 + i % 200),
                "capacity": 20 if i % 3 else None,
            }
            for i in range(9 * _count(session, CourseRun))
        ],
    )
    links = 9 * _count(session, CompetenceLink)
    # Half the new links go to the seed's published courses, so each of those gets several
    # more; the other half to the new courses and activities.
    seed_courses = session.scalars(
        select(Course.id).where(
            Course.status == CourseStatus.PUBLISHED, Course.id.not_in(course_ids)
        )
    ).all()
    old_targets = [("course_id", course_id) for course_id in seed_courses]
    new_targets = [("course_id", course_id) for course_id in course_ids] + [
        ("activity_id", activity_id) for activity_id in activity_ids
    ]
    session.execute(
        insert(CompetenceLink),
        _links_to(session, old_targets, statement_ids, links // 2, now)
        + _links_to(session, new_targets, statement_ids, links - links // 2, now),
    )
    session.commit()


def _links_to(
    session: Session,
    targets: list[tuple[str, int]],
    statement_ids: Sequence[int],
    count: int,
    now: datetime,
) -> list[dict[str, Any]]:
    """``count`` links spread round-robin over ``targets``, each to a statement not yet linked."""
    linked = {
        (
            row.statement_id,
            "course_id" if row.course_id else "activity_id",
            row.course_id or row.activity_id,
        )
        for row in session.execute(
            select(
                CompetenceLink.statement_id, CompetenceLink.course_id, CompetenceLink.activity_id
            )
        )
    }
    rows: list[dict[str, Any]] = []
    for i in range(count):
        column, target = targets[i % len(targets)]
        for step in range(len(statement_ids)):
            statement_id = statement_ids[(i + step) % len(statement_ids)]
            if (statement_id, column, target) not in linked:
                break
        linked.add((statement_id, column, target))
        rows.append(
            {
                column: target,
                "statement_id": statement_id,
                "strength": LinkStrength.PRIMARY if i % 2 else LinkStrength.SUPPORTING,
                "rationale": "Bygger udsagnet i praksis.",
                "linked_at": now,
            }
        )
    return rows


def add_progress(session: Session, person_id: int, *, enrolments: int, completions: int) -> None:
    """Enrolments on runs and completions of activities the person has not touched yet."""
    now = utcnow()
    taken_runs = select(Enrolment.course_run_id).where(Enrolment.person_id == person_id)
    runs = session.scalars(
        select(CourseRun.id).where(CourseRun.id.not_in(taken_runs)).order_by(CourseRun.id)
    ).all()
    done = select(ActivityCompletion.activity_id).where(ActivityCompletion.person_id == person_id)
    activities = session.scalars(
        select(Activity.id).where(Activity.id.not_in(done)).order_by(Activity.id)
    ).all()
    assert len(runs) >= enrolments
    assert len(activities) >= completions
    session.execute(
        insert(Enrolment),
        [
            {
                "person_id": person_id,
                "course_run_id": run_id,
                "status": EnrolmentStatus.ENROLLED,
                "source": ChangeSource.UI,
                "requested_at": now,
            }
            for run_id in runs[:enrolments]
        ],
    )
    session.execute(
        insert(ActivityCompletion),
        [
            {
                "person_id": person_id,
                "activity_id": activity_id,
                "completed_at": now,
                "source": ChangeSource.LMS,
            }
            for activity_id in activities[:completions]
        ],
    )
    session.commit()


@pytest.fixture
def lms_token(session: Session, settings: Settings) -> str:
    return token_for(settings, person(session, is_lms=True), Role.LMS)


def test_full_profile_takes_the_same_few_statements_with_tenfold_links_and_courses(
    client: TestClient, connection: Connection, session: Session, lms_token: str
) -> None:
    before, small = _run(client, connection, FULL_PROFILE, lms_token)
    grow_catalogue_tenfold(session)
    after, big = _run(client, connection, FULL_PROFILE, lms_token)

    def links(data: dict[str, Any]) -> int:
        fields = data["competenceProfile"]["fields"]
        return sum(len(s["links"]) for f in fields for s in f["statements"])

    assert links(big) >= 9 * links(small)
    assert after == before
    assert before <= FULL_PROFILE_BOUND


def test_a_page_of_100_courses_takes_the_same_few_statements_with_tenfold_data(
    client: TestClient, connection: Connection, session: Session, lms_token: str
) -> None:
    page = OPERATIONS["LmsCataloguePage"].document
    before, small = _run(client, connection, page, lms_token, {"first": 100})
    grow_catalogue_tenfold(session)
    after, big = _run(client, connection, page, lms_token, {"first": 100})

    # The seed's courses fit on one page; tenfold they fill it.
    assert len(small["courses"]["nodes"]) < 100
    assert len(big["courses"]["nodes"]) == 100
    assert big["courses"]["totalCount"] >= 10 * small["courses"]["totalCount"]
    assert after == before
    assert before <= LMS_OPERATION_BOUNDS["LmsCataloguePage"]


@pytest.mark.parametrize("name", ["LmsCatalogueChanges", "LmsCompetenceFramework"])
def test_lms_operation_takes_the_same_few_statements_with_tenfold_data(
    name: str, client: TestClient, connection: Connection, session: Session, lms_token: str
) -> None:
    document, variables = OPERATIONS[name].document, example_variables(name, session)
    before, _ = _run(client, connection, document, lms_token, variables)
    grow_catalogue_tenfold(session)
    after, _ = _run(client, connection, document, lms_token, variables)
    assert after == before
    assert before <= LMS_OPERATION_BOUNDS[name]


def test_a_persons_progress_takes_the_same_few_statements_with_tenfold_enrolments(
    client: TestClient, connection: Connection, session: Session, lms_token: str
) -> None:
    leader = person(session, is_leader=True)
    add_progress(session, leader.id, enrolments=3, completions=3)
    document = OPERATIONS["LmsPersonProgress"].document
    variables = example_variables("LmsPersonProgress", session)
    before, small = _run(client, connection, document, lms_token, variables)
    grow_catalogue_tenfold(session)
    enrolled = len(small["person"]["enrolments"])
    add_progress(session, leader.id, enrolments=9 * enrolled, completions=9 * 3)
    after, big = _run(client, connection, document, lms_token, variables)

    assert len(big["person"]["enrolments"]) == 10 * enrolled
    assert len(big["person"]["completions"]) == 10 * 3
    assert after == before
    assert before <= LMS_OPERATION_BOUNDS["LmsPersonProgress"]
