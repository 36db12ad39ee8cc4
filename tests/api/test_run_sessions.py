"""HR plans a run's sessions (teaching days) with the run's own mutations.

The list replaces the run's sessions; every problem is a Danish user error naming
its place (``sessions[2].endsAt``), and a refused list stores nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import AuditLogEntry, Course, CourseRun, CourseRunSession, Role
from catalogue.services.run_sessions import MAX_SESSIONS
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import person, token_for

FIELDS = "courseRun { id startsAt sessions { id startsAt endsAt title location } }"
ERRORS = "userErrors { field message code }"
CREATE = f"""mutation($input: CourseRunCreateInput!) {{ courseRunCreate(input: $input) {{
  {FIELDS} {ERRORS} }} }}"""
UPDATE = f"""mutation($input: CourseRunUpdateInput!) {{ courseRunUpdate(input: $input) {{
  {FIELDS} {ERRORS} }} }}"""

#: A run a year ahead, three days, so the dates never fall into the past.
START = datetime(datetime.now(UTC).year + 1, 3, 1, 8, 0, tzinfo=UTC)
END = START + timedelta(days=2, hours=7)


def _at(day: int, hour: int) -> str:
    return (START + timedelta(days=day, hours=hour - 8)).isoformat()


def _day(day: int, title: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"startsAt": _at(day, 8), "endsAt": _at(day, 15), "title": title, **extra}


@pytest.fixture
def hr_token(session: Session, settings: Settings) -> str:
    return token_for(settings, person(session, is_hr=True), Role.HR)


@pytest.fixture
def course_id(session: Session) -> str:
    course = session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()
    return to_base64("Course", course.id)


def _create(
    client: TestClient, token: str, course_id: str, sessions: Any, *, later: int = 0
) -> dict[str, Any]:
    """A new run from START (``later`` minutes after it) to END."""
    start = START + timedelta(minutes=later)
    payload = {"courseId": course_id, "startsAt": start.isoformat(), "endsAt": END.isoformat()}
    body = gql(client, CREATE, {"input": {**payload, "sessions": sessions}}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["courseRunCreate"]
    return result


def _update(client: TestClient, token: str, run_id: str, **fields: Any) -> dict[str, Any]:
    body = gql(client, UPDATE, {"input": {"id": run_id, **fields}}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["courseRunUpdate"]
    return result


def _stored(session: Session, run_id: str) -> list[tuple[datetime, datetime, str | None]]:
    session.expire_all()
    run = session.scalars(select(CourseRun).order_by(CourseRun.id.desc())).first()
    assert run is not None
    assert to_base64("CourseRun", run.id) == run_id
    return [(s.starts_at, s.ends_at, s.title) for s in run.sessions]


def test_hr_creates_a_run_with_sessions_and_reads_them_in_order(
    client: TestClient, hr_token: str, course_id: str
) -> None:
    created = _create(
        client, hr_token, course_id, [_day(2, "Modul 3"), _day(0, "Modul 1"), _day(1)]
    )
    assert created["userErrors"] == []
    sessions = created["courseRun"]["sessions"]
    assert [s["title"] for s in sessions] == ["Modul 1", None, "Modul 3"]
    assert sessions[0]["startsAt"] == _at(0, 8)


def test_an_update_keeps_the_sessions_it_names_adds_new_and_removes_the_rest(
    client: TestClient, session: Session, hr_token: str, course_id: str
) -> None:
    run = _create(client, hr_token, course_id, [_day(0, "A"), _day(1, "B"), _day(2, "C")])
    run_id = run["courseRun"]["id"]
    a, b, _c = run["courseRun"]["sessions"]

    moved = {"id": b["id"], "startsAt": _at(1, 9), "endsAt": _at(1, 12), "title": "B flyttet"}
    new = {"startsAt": _at(2, 9), "endsAt": _at(2, 12), "title": "Ny"}
    updated = _update(client, hr_token, run_id, sessions=[a, moved, new])

    assert updated["userErrors"] == []
    after = updated["courseRun"]["sessions"]
    assert [s["title"] for s in after] == ["A", "B flyttet", "Ny"]
    assert after[0]["id"] == a["id"]
    assert after[1]["id"] == b["id"]
    assert after[2]["id"] not in {s["id"] for s in run["courseRun"]["sessions"]}
    actions = session.scalars(
        select(AuditLogEntry.details).where(AuditLogEntry.action == "RUN_UPDATED")
    ).all()
    assert {"fields": ["sessions"]} in actions

    unchanged = _update(client, hr_token, run_id, location="Rådhuset")
    assert [s["id"] for s in unchanged["courseRun"]["sessions"]] == [s["id"] for s in after]
    cleared = _update(client, hr_token, run_id, sessions=[])
    assert cleared["courseRun"]["sessions"] == []


def test_the_same_list_twice_changes_nothing_and_keeps_the_ids(
    client: TestClient, session: Session, hr_token: str, course_id: str
) -> None:
    run = _create(client, hr_token, course_id, [])
    run_id = run["courseRun"]["id"]
    days = [_day(0, "A"), _day(1, "B")]
    first = _update(client, hr_token, run_id, sessions=days)["courseRun"]["sessions"]
    audit_before = session.scalars(select(AuditLogEntry.id)).all()
    again = _update(client, hr_token, run_id, sessions=days)["courseRun"]["sessions"]
    assert again == first
    assert session.scalars(select(AuditLogEntry.id)).all() == audit_before
    retitled = [_day(0, "A"), _day(1, "B, ny titel")]
    changed = _update(client, hr_token, run_id, sessions=retitled)["courseRun"]["sessions"]
    assert [s["id"] for s in changed] == [s["id"] for s in first]
    assert changed[1]["title"] == "B, ny titel"


def test_all_session_problems_are_reported_together_in_danish(
    client: TestClient, session: Session, hr_token: str, course_id: str
) -> None:
    run = _create(client, hr_token, course_id, [])
    run_id = run["courseRun"]["id"]
    bad = [
        _day(1),
        {"startsAt": _at(1, 14), "endsAt": _at(1, 16)},
        {"startsAt": _at(2, 12), "endsAt": _at(2, 10)},
        {"startsAt": _at(-1, 9), "endsAt": _at(-1, 12)},
        {"startsAt": _at(2, 14), "endsAt": _at(3, 9)},
        {"endsAt": _at(2, 9)},
        {"startsAt": _at(2, 8), "endsAt": _at(2, 9), "title": "Modul\u202e 4"},
        {"startsAt": _at(2, 9), "endsAt": _at(2, 10), "location": "x" * 301},
        {**_day(2), "id": to_base64("CourseRunSession", 2_000_000_000)},
    ]
    result = _update(client, hr_token, run_id, sessions=bad)
    by_field = {e["field"]: (e["code"], e["message"]) for e in result["userErrors"]}
    assert by_field == {
        "sessions[1].startsAt": (
            "CONFLICT",
            "Session nr. 2 overlapper session nr. 1; et holds sessioner må ikke overlappe.",
        ),
        "sessions[2].endsAt": ("INVALID", "Session nr. 3 skal slutte efter, at den starter."),
        "sessions[3].startsAt": by_field["sessions[3].startsAt"],
        "sessions[4].endsAt": by_field["sessions[4].endsAt"],
        "sessions[5].startsAt": ("REQUIRED", "Starttidspunktet skal udfyldes."),
        "sessions[6].title": by_field["sessions[6].title"],
        "sessions[7].location": ("TOO_LONG", "Stedet må højst være 300 tegn (er 301)."),
        "sessions[8].id": ("NOT_FOUND", "Session nr. 9 findes ikke på dette hold."),
    }
    assert "før holdet" in by_field["sessions[3].startsAt"][1]
    assert "efter holdet" in by_field["sessions[4].endsAt"][1]
    assert by_field["sessions[6].title"][0] == "INVALID"
    assert _stored(session, run_id) == []


@pytest.mark.parametrize(
    ("item", "where"),
    [
        ({"startsAt": "2027-03-01T09:00:00", "endsAt": "2027-03-01T12:00:00Z"}, "startsAt"),
        ({"startsAt": _at(0, 9), "endsAt": _at(0, 12), "title": "Modul\x00 1"}, "title"),
        ({"startsAt": _at(0, 9), "endsAt": _at(0, 12), "location": 17}, "location"),
    ],
    ids=["no time zone", "NUL", "wrong type"],
)
def test_input_the_schema_refuses_names_the_session_and_stores_nothing(
    client: TestClient, session: Session, hr_token: str, course_id: str, item: Any, where: str
) -> None:
    run = _create(client, hr_token, course_id, [_day(0, "A")])
    run_id = run["courseRun"]["id"]
    before = _stored(session, run_id)
    body = gql(client, UPDATE, {"input": {"id": run_id, "sessions": [item]}}, token=hr_token)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert f"sessions[0].{where}" in error["message"]
    assert _stored(session, run_id) == before


def test_an_overlap_with_a_long_session_is_found_past_a_short_one_between(
    client: TestClient, hr_token: str, course_id: str
) -> None:
    run = _create(client, hr_token, course_id, [])
    long_day = {"startsAt": _at(0, 8), "endsAt": _at(0, 15)}
    short = {"startsAt": _at(0, 9), "endsAt": _at(0, 10)}
    later = {"startsAt": _at(0, 12), "endsAt": _at(0, 13)}
    result = _update(client, hr_token, run["courseRun"]["id"], sessions=[long_day, short, later])
    assert {e["field"] for e in result["userErrors"]} == {
        "sessions[1].startsAt",
        "sessions[2].startsAt",
    }


def test_a_forged_session_id_and_the_same_session_twice_are_user_errors(
    client: TestClient, hr_token: str, course_id: str
) -> None:
    first = _create(client, hr_token, course_id, [_day(0)])
    other = _create(client, hr_token, course_id, [], later=30)
    forged = {**_day(1), "id": to_base64("Course", 1)}
    result = _update(client, hr_token, other["courseRun"]["id"], sessions=[forged])
    assert [e["field"] for e in result["userErrors"]] == ["sessions[0].id"]

    foreign = {**_day(1), "id": first["courseRun"]["sessions"][0]["id"]}
    result = _update(client, hr_token, other["courseRun"]["id"], sessions=[foreign])
    assert [(e["field"], e["code"]) for e in result["userErrors"]] == [
        ("sessions[0].id", "NOT_FOUND")
    ]

    own = first["courseRun"]["sessions"][0]
    twice = [own, {**own, "startsAt": _at(1, 8), "endsAt": _at(1, 9)}]
    result = _update(client, hr_token, first["courseRun"]["id"], sessions=twice)
    assert [(e["field"], e["code"]) for e in result["userErrors"]] == [
        ("sessions[1].id", "DUPLICATE")
    ]


def test_a_run_cannot_move_away_from_its_sessions_and_a_huge_list_is_refused(
    client: TestClient, session: Session, hr_token: str, course_id: str
) -> None:
    run = _create(client, hr_token, course_id, [_day(0), _day(2)])
    run_id = run["courseRun"]["id"]
    shorter = _update(client, hr_token, run_id, endsAt=_at(1, 15))
    assert [(e["field"], e["code"]) for e in shorter["userErrors"]] == [("endsAt", "CONFLICT")]
    moved = _update(
        client, hr_token, run_id, endsAt=_at(1, 15), sessions=[run["courseRun"]["sessions"][0]]
    )
    assert moved["userErrors"] == []

    huge = [
        {"startsAt": _at(0, 8 + i % 7), "endsAt": _at(0, 9 + i % 7)}
        for i in range(MAX_SESSIONS + 1)
    ]
    result = _update(client, hr_token, run_id, sessions=huge)
    assert [(e["field"], e["code"]) for e in result["userErrors"]] == [("sessions", "INVALID")]
    assert len(_stored(session, run_id)) == 1


def test_sessions_of_a_draft_course_stay_hidden_through_node(
    client: TestClient, session: Session, hr_token: str
) -> None:
    draft = session.scalars(select(Course).where(Course.status == "DRAFT")).first()
    assert draft is not None
    created = _create(client, hr_token, to_base64("Course", draft.id), [_day(0)])
    session_id = created["courseRun"]["sessions"][0]["id"]
    query = "query($id: ID!) { node(id: $id) { ... on CourseRunSession { title } } }"
    assert gql(client, query, {"id": session_id})["data"]["node"] is None
    assert gql(client, query, {"id": session_id}, token=hr_token)["data"]["node"] == {"title": None}
    assert session.scalars(select(CourseRunSession.id)).all()
