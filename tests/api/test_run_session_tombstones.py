"""A session HR removes is kept as a tombstone: never live again, but visible to the LMS.

The calendar side (a removed session sent as CANCELLED) is in
``tests/enrolment/test_calendar.py``; this is everywhere else a session shows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import from_base64, to_base64

from catalogue.models import Course, CourseRunSession, Role
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.lms_operations import OPERATIONS
from tests.api.tokens import person, token_for

START = datetime(datetime.now(UTC).year + 1, 3, 1, 8, 0, tzinfo=UTC)
END = START + timedelta(days=2, hours=7)
SESSION = "id startsAt endsAt title removedAt"
CREATE = f"""mutation($input: CourseRunCreateInput!) {{ courseRunCreate(input: $input) {{
  courseRun {{ id sessions {{ {SESSION} }} }} userErrors {{ field message code }} }} }}"""
UPDATE = f"""mutation($input: CourseRunUpdateInput!) {{ courseRunUpdate(input: $input) {{
  courseRun {{ id sessions {{ {SESSION} }} }} userErrors {{ field message code }} }} }}"""


def _day(day: int, title: str) -> dict[str, Any]:
    start = START + timedelta(days=day)
    return {
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(hours=6)).isoformat(),
        "title": title,
    }


@pytest.fixture
def hr_token(session: Session, settings: Settings) -> str:
    return token_for(settings, person(session, is_hr=True), Role.HR)


@pytest.fixture
def removed(client: TestClient, session: Session, hr_token: str) -> dict[str, Any]:
    """A published course's run whose middle session HR removed: ids of run and sessions."""
    course = session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()
    payload = {
        "courseId": to_base64("Course", course.id),
        "startsAt": START.isoformat(),
        "endsAt": END.isoformat(),
        "sessions": [_day(0, "A"), _day(1, "B"), _day(2, "C")],
    }
    created = gql(client, CREATE, {"input": payload}, token=hr_token)["data"]["courseRunCreate"]
    run = created["courseRun"]
    a, b, c = run["sessions"]
    keep = [{k: s[k] for k in ("id", "startsAt", "endsAt", "title")} for s in (a, c)]
    updated = gql(client, UPDATE, {"input": {"id": run["id"], "sessions": keep}}, token=hr_token)
    assert updated["data"]["courseRunUpdate"]["userErrors"] == []
    return {"run": run["id"], "kept": [a["id"], c["id"]], "removed": b["id"], "after": updated}


def test_a_removed_session_is_kept_as_a_tombstone_not_deleted(
    session: Session, removed: dict[str, Any]
) -> None:
    session.expire_all()
    rows = session.scalars(select(CourseRunSession).order_by(CourseRunSession.id)).all()
    mine = [
        r
        for r in rows
        if to_base64("CourseRunSession", r.id) in [*removed["kept"], removed["removed"]]
    ]
    assert len(mine) == 3
    [tombstone] = [r for r in mine if to_base64("CourseRunSession", r.id) == removed["removed"]]
    assert tombstone.removed_at is not None
    assert tombstone.sequence == 1  # raised by the removal, so calendars take it over
    assert {r.sequence for r in mine if r is not tombstone} == {0}
    assert [s.id for s in tombstone.run.sessions] == [r.id for r in mine if r is not tombstone]


def test_graphql_shows_only_live_sessions_unless_tombstones_are_asked_for(
    client: TestClient, hr_token: str, removed: dict[str, Any]
) -> None:
    after = removed["after"]["data"]["courseRunUpdate"]["courseRun"]["sessions"]
    assert [s["id"] for s in after] == removed["kept"]
    assert {s["removedAt"] for s in after} == {None}

    query = """query($id: ID!) { node(id: $id) { ... on CourseRun {
      live: sessions { id } all: sessions(includeRemoved: true) { id removedAt } } } }"""
    for token in (None, hr_token):  # public and HR alike
        run = gql(client, query, {"id": removed["run"]}, token=token)["data"]["node"]
        assert [s["id"] for s in run["live"]] == removed["kept"]
        assert [s["id"] for s in run["all"]] == [
            removed["kept"][0],
            removed["removed"],
            removed["kept"][1],
        ]
        assert run["all"][1]["removedAt"] is not None

    by_node = "query($id: ID!) { node(id: $id) { ... on CourseRunSession { title removedAt } } }"
    node = gql(client, by_node, {"id": removed["removed"]})["data"]["node"]
    assert node["title"] == "B"
    assert node["removedAt"] is not None  # reachable by id, but as what it is: a tombstone


def test_a_tombstone_cannot_be_changed_by_its_id_and_nothing_is_stored(
    client: TestClient, session: Session, hr_token: str, removed: dict[str, Any]
) -> None:
    revive = {**_day(1, "B igen"), "id": removed["removed"]}
    kept = [{"id": removed["kept"][0], **_day(0, "A")}, {"id": removed["kept"][1], **_day(2, "C")}]
    body = gql(
        client,
        UPDATE,
        {"input": {"id": removed["run"], "sessions": [kept[0], revive, kept[1]]}},
        token=hr_token,
    )
    [error] = body["data"]["courseRunUpdate"]["userErrors"]
    assert error["field"] == "sessions[1].id"
    assert error["code"] == "NOT_FOUND"
    assert "er fjernet fra holdet" in error["message"]
    session.expire_all()
    row = session.get(CourseRunSession, int(from_base64(removed["removed"])[1]))
    assert row is not None
    assert row.title == "B"
    assert row.removed_at is not None

    # The same day sent without an id is a new session, with a UID of its own.
    again = gql(
        client,
        UPDATE,
        {"input": {"id": removed["run"], "sessions": [kept[0], _day(1, "B igen"), kept[1]]}},
        token=hr_token,
    )
    sessions = again["data"]["courseRunUpdate"]["courseRun"]["sessions"]
    assert len(sessions) == 3
    assert removed["removed"] not in {s["id"] for s in sessions}


def test_the_lms_pull_brings_the_removed_session_as_a_tombstone(
    client: TestClient, session: Session, settings: Settings, removed: dict[str, Any]
) -> None:
    lms = token_for(settings, person(session, is_lms=True), Role.LMS)
    since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    body = gql(client, OPERATIONS["LmsCatalogueChanges"].document, {"since": since}, token=lms)
    assert "errors" not in body, body
    runs = [
        r for c in body["data"]["courses"]["nodes"] for r in c["runs"] if r["id"] == removed["run"]
    ]
    [run] = runs  # the removal marked the course changed, so the pull has the run
    by_id = {s["id"]: s for s in run["sessions"]}
    assert set(by_id) == {*removed["kept"], removed["removed"]}
    assert by_id[removed["removed"]]["removedAt"] is not None
    assert datetime.fromisoformat(by_id[removed["removed"]]["updatedAt"]) >= datetime.fromisoformat(
        since
    )
    assert {by_id[i]["removedAt"] for i in removed["kept"]} == {None}
