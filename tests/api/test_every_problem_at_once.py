"""Every problem of one input comes back at once, and nothing is stored (issue 13, point 5).

Each case sends an input with two or more independent problems, at least one of
them a clash with a stored row (a duplicate code, title or start, too few seats),
which used to be checked only after the field checks had passed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import Activity, Base, Course, CourseRun, Role
from catalogue.models.base import utcnow
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import person, token_for
from tests.enrolment.factories import fill, leaders, make_run

ERRORS = "userErrors { field code message }"
COURSE_CREATE = (
    f"mutation($input: CourseCreateInput!) {{ courseCreate(input: $input) {{ {ERRORS} }} }}"
)
ACTIVITY_CREATE = (
    f"mutation($input: ActivityCreateInput!) {{ activityCreate(input: $input) {{ {ERRORS} }} }}"
)
RUN_CREATE = (
    f"mutation($input: CourseRunCreateInput!) {{ courseRunCreate(input: $input) {{ {ERRORS} }} }}"
)
RUN_UPDATE = (
    f"mutation($input: CourseRunUpdateInput!) {{ courseRunUpdate(input: $input) {{ {ERRORS} }} }}"
)
LINK_CREATE = (
    "mutation($input: CompetenceLinkCreateInput!) "
    f"{{ competenceLinkCreate(input: $input) {{ {ERRORS} }} }}"
)


def _counts(session: Session) -> dict[str, int]:
    session.expire_all()
    return {
        t.name: session.scalar(select(func.count()).select_from(t)) or 0
        for t in Base.metadata.sorted_tables
    }


@pytest.fixture
def hr(session: Session, settings: Settings) -> str:
    return token_for(settings, person(session, is_hr=True), Role.HR)


def _course(session: Session) -> Course:
    return session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()


def _problems(
    client: TestClient, session: Session, token: str, query: str, data: dict[str, Any]
) -> set[tuple[str, str]]:
    before = _counts(session)
    [answer] = gql(client, query, {"input": data}, token=token)["data"].values()
    assert _counts(session) == before, "a refused input stores nothing"
    assert all(e["message"] for e in answer["userErrors"])
    return {(e["field"], e["code"]) for e in answer["userErrors"]}


def test_a_course_with_a_taken_title_and_a_taken_code_gets_both_errors(
    client: TestClient, session: Session, hr: str
) -> None:
    other = session.scalars(select(Course).where(Course.code != "DIP-LED-01")).first()
    assert other is not None
    data = {"title": _course(session).title, "kind": "SHORT_COURSE", "code": other.code}
    assert _problems(client, session, hr, COURSE_CREATE, data) == {
        ("title", "DUPLICATE"),
        ("code", "DUPLICATE"),
    }
    bad_code = {"title": "", "kind": "SHORT_COURSE", "code": "ikke gyldig!"}
    assert _problems(client, session, hr, COURSE_CREATE, bad_code) == {
        ("title", "REQUIRED"),
        ("code", "INVALID"),
    }


def test_an_activity_with_a_taken_title_and_a_taken_code_gets_both_errors(
    client: TestClient, session: Session, hr: str
) -> None:
    course = _course(session)
    mine = session.scalars(
        select(Activity).where(Activity.course_id == course.id, Activity.archived_at.is_(None))
    ).first()
    elsewhere = session.scalars(select(Activity).where(Activity.course_id != course.id)).first()
    assert mine is not None
    assert elsewhere is not None
    data = {
        "courseId": to_base64("Course", course.id),
        "title": mine.title,
        "kind": "MODULE",
        "code": elsewhere.code,
        "durationHours": 0,
    }
    assert _problems(client, session, hr, ACTIVITY_CREATE, data) == {
        ("title", "DUPLICATE"),
        ("code", "DUPLICATE"),
        ("durationHours", "INVALID"),
    }


def test_a_run_with_a_taken_code_a_taken_start_and_a_late_deadline_gets_all_three(
    client: TestClient, session: Session, hr: str
) -> None:
    run = make_run(session)
    other = session.scalars(select(CourseRun).where(CourseRun.id != run.id)).first()
    assert other is not None
    data = {
        "courseId": to_base64("Course", run.course_id),
        "code": other.code,
        "startsAt": run.starts_at.isoformat(),
        "endsAt": (run.starts_at + timedelta(hours=3)).isoformat(),
        "enrolmentDeadline": (run.starts_at + timedelta(days=1)).isoformat(),
    }
    assert _problems(client, session, hr, RUN_CREATE, data) == {
        ("code", "DUPLICATE"),
        ("startsAt", "DUPLICATE"),
        ("enrolmentDeadline", "INVALID"),
    }


def test_a_run_update_below_its_participants_and_with_bad_dates_gets_both(
    client: TestClient, session: Session, hr: str
) -> None:
    run = make_run(session, capacity=5)
    fill(session, run, leaders(session, 3))
    data = {
        "id": to_base64("CourseRun", run.id),
        "capacity": 2,
        "endsAt": (run.starts_at - timedelta(hours=1)).isoformat(),
    }
    assert _problems(client, session, hr, RUN_UPDATE, data) == {
        ("capacity", "CONFLICT"),
        ("endsAt", "INVALID"),
    }


def test_a_link_with_no_rationale_and_an_unknown_statement_or_target_gets_each(
    client: TestClient, session: Session, hr: str
) -> None:
    course_id = to_base64("Course", _course(session).id)
    unknown = {"statementKey": "K9.9", "courseId": course_id, "strength": "PRIMARY"}
    assert _problems(client, session, hr, LINK_CREATE, {**unknown, "rationale": ""}) == {
        ("rationale", "REQUIRED"),
        ("statementKey", "NOT_FOUND"),
    }
    neither = {"statementKey": "K9.9", "strength": "PRIMARY", "rationale": "x" * 2001}
    assert _problems(client, session, hr, LINK_CREATE, neither) == {
        ("rationale", "TOO_LONG"),
        ("statementKey", "NOT_FOUND"),
        ("target", "INVALID"),
    }


def test_a_link_that_exists_already_and_has_no_rationale_gets_both(
    client: TestClient, session: Session, hr: str
) -> None:
    course = _course(session)
    data = {
        "statementKey": "K6.4",
        "courseId": to_base64("Course", course.id),
        "strength": "PRIMARY",
        "rationale": "Første.",
    }
    [first] = gql(client, LINK_CREATE, {"input": data}, token=hr)["data"].values()
    assert first["userErrors"] == []
    assert _problems(client, session, hr, LINK_CREATE, {**data, "rationale": " "}) == {
        ("rationale", "REQUIRED"),
        ("statementKey", "DUPLICATE"),
    }


def test_run_dates_in_the_past_are_still_one_error_among_the_others(
    client: TestClient, session: Session, hr: str
) -> None:
    run = make_run(session)
    past = utcnow() - timedelta(days=2)
    data = {
        "courseId": to_base64("Course", run.course_id),
        "code": "ikke gyldig!",
        "startsAt": past.isoformat(),
        "endsAt": (past + timedelta(hours=2)).isoformat(),
    }
    assert _problems(client, session, hr, RUN_CREATE, data) == {
        ("code", "INVALID"),
        ("startsAt", "INVALID"),
    }
