"""Finding courses: filters by profile, kind, status, seats and dates, and Danish free text."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    CompetenceLink,
    CompetenceStatement,
    Course,
    CourseStatus,
    Role,
)
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import person, token_for

COURSES = """query($filter: CourseFilterInput, $order: CourseOrder) {
  courses(filter: $filter, orderBy: $order, first: 100) {
    totalCount nodes { code title kind status ects runs { startsAt seatsLeft } } } }"""


def _codes(client: TestClient, filter: dict[str, Any], **kw: Any) -> list[str]:
    body = gql(client, COURSES, {"filter": filter, **kw})
    assert "errors" not in body, body
    return [n["code"] for n in body["data"]["courses"]["nodes"]]


def _linked_codes(session: Session, key_prefix: str) -> set[str]:
    """Published courses linked to statements whose key starts with the prefix (the oracle)."""
    codes = set()
    for link in session.scalars(
        select(CompetenceLink)
        .join(CompetenceStatement)
        .where(CompetenceStatement.key.startswith(key_prefix), CompetenceLink.removed_at.is_(None))
    ):
        course = link.course or session.get(Activity, link.activity_id).course  # type: ignore[union-attr]
        if course.status is CourseStatus.PUBLISHED:
            codes.add(course.code)
    return codes


def test_filter_by_statement_and_by_field(client: TestClient, session: Session) -> None:
    assert set(_codes(client, {"statementKey": "K7.1"})) == _linked_codes(session, "K7.1")
    by_field = set(_codes(client, {"fieldKey": "K5"}))
    assert by_field == _linked_codes(session, "K5.")
    assert by_field


def test_filter_by_theme_covers_every_field_with_that_theme(
    client: TestClient, session: Session
) -> None:
    # T5 "Vi er en kommune" is a theme of K1 (all five), K6 and K7.
    expected = (
        _linked_codes(session, "K1.")
        | _linked_codes(session, "K6.")
        | _linked_codes(session, "K7.")
    )
    assert set(_codes(client, {"themeKey": "T5"})) == expected


def test_filter_by_kind_ects_and_language(client: TestClient) -> None:
    education = _codes(client, {"kind": ["EDUCATION"], "ectsMin": 10})
    assert education
    body = gql(client, COURSES, {"filter": {"kind": ["EDUCATION"], "ectsMin": 10}})
    assert all(n["ects"] >= 10 for n in body["data"]["courses"]["nodes"])
    assert _codes(client, {"language": "en"})
    assert not set(_codes(client, {"language": "en"})) & set(_codes(client, {"language": "da"}))


def test_only_hr_may_ask_for_drafts(
    client: TestClient, session: Session, settings: Settings
) -> None:
    anonymous = gql(client, COURSES, {"filter": {"status": ["DRAFT"]}})
    assert anonymous["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    hr = token_for(settings, person(session, is_hr=True), Role.HR)
    drafts = gql(client, COURSES, {"filter": {"status": ["DRAFT"]}}, token=hr)["data"]["courses"]
    assert drafts["totalCount"] == len(
        session.scalars(select(Course).where(Course.status == CourseStatus.DRAFT)).all()
    )


def test_free_seats_filter_excludes_full_and_closed_runs(client: TestClient) -> None:
    body = gql(
        client,
        """{ courses(filter: {hasFreeSeats: true}, first: 100) { nodes { code
             runs { startsAt enrolmentDeadline seatsLeft capacity cancelledAt } } } }""",
    )
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    nodes = body["data"]["courses"]["nodes"]
    assert nodes
    for node in nodes:
        assert any(
            datetime.fromisoformat(run["startsAt"]) > now
            and (
                run["enrolmentDeadline"] is None
                or datetime.fromisoformat(run["enrolmentDeadline"]) > now
            )
            and (run["capacity"] is None or run["seatsLeft"] > 0)
            for run in node["runs"]
        ), node["code"]
    full = set(_codes(client, {"hasFreeSeats": False}))
    assert full
    assert not full & {n["code"] for n in nodes}


def test_next_start_ordering_puts_the_soonest_upcoming_run_first(client: TestClient) -> None:
    body = gql(client, COURSES, {"order": "NEXT_START"})["data"]["courses"]["nodes"]
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    starts = [
        min(
            (
                datetime.fromisoformat(r["startsAt"])
                for r in n["runs"]
                if datetime.fromisoformat(r["startsAt"]) > now
            ),
            default=None,
        )
        for n in body
    ]
    dated = [s for s in starts if s is not None]
    assert dated == sorted(dated)
    assert starts[: len(dated)] == dated  # courses with no upcoming run come last


def test_danish_free_text_search_finds_words_and_ranks_titles_first(client: TestClient) -> None:
    found = _codes(client, {"search": "konflikt"}, order="RELEVANCE")
    assert found
    assert found[0].startswith("KUR-KONFLIKT")
    assert _codes(client, {"search": "ØKONOMISTYRING"}) == _codes(
        client, {"search": "økonomistyring"}
    )
    assert _codes(client, {"search": "zzzyxq"}) == []


def test_search_text_has_a_length_limit(client: TestClient) -> None:
    body = gql(client, COURSES, {"filter": {"search": "ledelse " * 40}})
    assert body["errors"][0]["extensions"] == {"code": "TOO_LONG", "field": "filter.search"}


def test_an_unknown_profile_key_in_a_filter_is_named_not_answered_with_nothing(
    client: TestClient,
) -> None:
    body = gql(client, COURSES, {"filter": {"statementKey": "K9.1"}})
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "filter.statementKey"}
    assert "«K9.1»" in error["message"]


def test_every_unknown_profile_key_is_reported_at_once(client: TestClient) -> None:
    body = gql(
        client,
        COURSES,
        {"filter": {"statementKey": "K1.1", "fieldKey": "K8", "themeKey": "T0"}},
    )
    message = body["errors"][0]["message"]
    assert "«K8»" in message
    assert "«T0»" in message
    assert "K1.1" not in message
