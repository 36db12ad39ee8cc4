"""Keyset cursors: pages that neither repeat nor skip rows while HR edits, and refused cursors."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import from_base64, to_base64

from catalogue.graphql.core.pagination import BAD_CURSOR, encode_cursor
from catalogue.models import (
    Activity,
    ActivityKind,
    CompetenceLink,
    CompetenceStatement,
    Course,
    CourseKind,
    CourseStatus,
    Enrolment,
    LinkStrength,
    Role,
)
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.lms_operations import OPERATIONS
from tests.api.tokens import person, token_for
from tests.enrolment.factories import load_org, make_run, new_leader, viewer

CHANGES = OPERATIONS["LmsCatalogueChanges"].document
LIST_VARIABLE = {"courses": "coursesAfter", "activities": "activitiesAfter"}
LIST_VARIABLE["competenceLinks"] = "linksAfter"
PAGE = 3
# A pull that never ends is a failure, not a hang.
MAX_PAGES = 500


def _db_id(node: dict[str, Any]) -> int:
    return int(from_base64(node["id"])[1])


def _changes_pull(
    client: TestClient, token: str, name: str, since: datetime, between: Callable[[], None]
) -> list[dict[str, Any]]:
    """Page through one list of LmsCatalogueChanges, calling ``between`` after the first page."""
    nodes: list[dict[str, Any]] = []
    after = None
    for _ in range(MAX_PAGES):
        variables = {"since": since.isoformat(), "first": PAGE, LIST_VARIABLE[name]: after}
        body = gql(client, CHANGES, variables, token=token)
        assert "errors" not in body, body["errors"]
        page = body["data"][name]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        if after is None:
            between()
        assert page["pageInfo"]["endCursor"] != after, "the page did not move on"
        after = page["pageInfo"]["endCursor"]
    raise AssertionError(f"no last page in {MAX_PAGES}")


def _published_course(session: Session) -> Course:
    course = session.scalars(
        select(Course).where(Course.status == CourseStatus.PUBLISHED).order_by(Course.id)
    ).first()
    assert course is not None
    return course


def _add(session: Session, name: str) -> Any:
    """A new row of the list ``name``, under a published course."""
    tag = uuid.uuid4().hex[:8]
    course = _published_course(session)
    if name == "courses":
        return Course(
            code=f"NY-{tag}",
            title=f"Nyt kursus {tag}",
            kind=CourseKind.SHORT_COURSE,
            status=CourseStatus.PUBLISHED,
            published_at=utcnow(),
        )
    if name == "activities":
        return Activity(
            course_id=course.id,
            code=f"NY-{tag}",
            title=f"Ny aktivitet {tag}",
            kind=ActivityKind.MODULE,
            position=99,
        )
    statement = session.scalars(
        select(CompetenceStatement).order_by(CompetenceStatement.id)
    ).first()
    assert statement is not None
    return CompetenceLink(
        statement_id=statement.id,
        course_id=course.id,
        strength=LinkStrength.SUPPORTING,
        rationale=f"Nyt link {tag}",
        linked_at=utcnow(),
    )


MODELS: dict[str, type[Any]] = {
    "courses": Course,
    "activities": Activity,
    "competenceLinks": CompetenceLink,
}


def _edit(row: Any, text: str) -> None:
    if isinstance(row, CompetenceLink):
        row.rationale = text
    else:
        row.title = text


def _text(node: dict[str, Any]) -> str:
    return str(node.get("title", node.get("rationale")))


@pytest.mark.parametrize("name", ["courses", "activities", "competenceLinks"])
def test_a_changes_pull_gets_every_row_once_while_hr_edits_and_adds_between_pages(
    name: str, client: TestClient, session: Session, settings: Settings
) -> None:
    token = token_for(settings, person(session, is_lms=True), Role.LMS)
    since = utcnow() - timedelta(days=365 * 30)
    started = utcnow()
    before = {_db_id(n) for n in _changes_pull(client, token, name, since, lambda: None)}
    model = MODELS[name]
    edits: dict[str, int] = {}

    def hr_edits_and_adds() -> None:
        read_first, read_last = session.get(model, min(before)), session.get(model, max(before))
        assert read_first is not None
        assert read_last is not None
        _edit(read_first, "Rettet efter den første side")
        _edit(read_last, "Rettet før sin side")
        added = _add(session, name)
        session.add(added)
        session.commit()
        edits.update(read=read_first.id, unread=read_last.id, added=added.id)

    nodes = _changes_pull(client, token, name, since, hr_edits_and_adds)

    ids = [_db_id(n) for n in nodes]
    assert len(ids) == len(set(ids)), "no row twice"
    assert set(ids) == before | {edits["added"]}, "no row skipped, the added one included"
    by_id = {_db_id(n): n for n in nodes}
    assert _text(by_id[edits["unread"]]) == "Rettet før sin side"
    assert _text(by_id[edits["read"]]) != "Rettet efter den første side"
    next_pull = {_db_id(n) for n in _changes_pull(client, token, name, started, lambda: None)}
    assert next_pull == {edits["read"], edits["unread"], edits["added"]}


TITLE_PAGES = """query($after: String) { courses(first: 4, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id title } } }"""


def _title_pull(client: TestClient, between: Callable[[list[int]], None]) -> list[int]:
    ids: list[int] = []
    after = None
    for _ in range(MAX_PAGES):
        page = gql(client, TITLE_PAGES, {"after": after})["data"]["courses"]
        ids += [_db_id(node) for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return ids
        if after is None:
            between(ids)
        assert page["pageInfo"]["endCursor"] != after, "the page did not move on"
        after = page["pageInfo"]["endCursor"]
    raise AssertionError(f"no last page in {MAX_PAGES}")


def test_a_course_added_before_the_cursor_does_not_push_a_read_one_onto_the_next_page(
    client: TestClient, session: Session
) -> None:
    published = _title_pull(client, lambda ids: None)

    def add_two_that_sort_first(_ids: list[int]) -> None:
        for tag in ("1", "2"):
            session.add(
                Course(
                    code=f"AA-{uuid.uuid4().hex[:8]}",
                    title=f"AAA {tag}",
                    kind=CourseKind.SHORT_COURSE,
                    status=CourseStatus.PUBLISHED,
                    published_at=utcnow(),
                )
            )
        session.commit()

    assert _title_pull(client, add_two_that_sort_first) == published


def test_a_course_archived_on_a_read_page_does_not_pull_an_unread_one_out_of_reach(
    client: TestClient, session: Session
) -> None:
    published = _title_pull(client, lambda ids: None)

    def archive_the_first(ids: list[int]) -> None:
        course = session.get(Course, ids[0])
        assert course is not None
        course.status, course.archived_at = CourseStatus.ARCHIVED, utcnow()
        session.commit()

    assert _title_pull(client, archive_the_first) == published


HR_LISTS = {
    "courses by title": "courses(first: $first, after: $after)",
    "courses by next start": "courses(orderBy: NEXT_START, first: $first, after: $after)",
    "courses by relevance": (
        'courses(filter: {search: "ledelse"}, orderBy: RELEVANCE, first: $first, after: $after)'
    ),
    "courses by change": "courses(orderBy: UPDATED_AT, first: $first, after: $after)",
    "courses by id": "courses(orderBy: ID, first: $first, after: $after)",
    "activities": "activities(first: $first, after: $after)",
    "competence links": "competenceLinks(first: $first, after: $after)",
    "enrolments": "enrolments(first: $first, after: $after)",
    "people": "people(first: $first, after: $after)",
    "audit log": "auditLog(first: $first, after: $after)",
    "completions": "completions(first: $first, after: $after)",
    "sync runs": "syncRuns(first: $first, after: $after)",
}


def _all_pages(client: TestClient, token: str, field: str, first: int) -> tuple[list[str], int]:
    """Every row's cursor (its sort key and id, so one per row), page by page, and the total."""
    query = f"""query($first: Int, $after: String) {{ items: {field} {{
        totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor }} }} }}"""
    cursors: list[str] = []
    after = None
    for _ in range(MAX_PAGES):
        body = gql(client, query, {"first": first, "after": after}, token=token)
        assert "errors" not in body, body["errors"]
        page = body["data"]["items"]
        cursors += [edge["cursor"] for edge in page["edges"]]
        if page["edges"]:
            assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return cursors, page["totalCount"]
        assert page["pageInfo"]["endCursor"] != after, "the page did not move on"
        after = page["pageInfo"]["endCursor"]
    raise AssertionError(f"no last page in {MAX_PAGES}")


@pytest.mark.parametrize("field", HR_LISTS.values(), ids=HR_LISTS.keys())
def test_small_pages_give_the_rows_of_large_ones_each_once_in_the_same_order(
    field: str, client: TestClient, session: Session, settings: Settings
) -> None:
    token = token_for(settings, person(session, is_hr=True), Role.HR)
    small, total = _all_pages(client, token, field, 2)
    large, _ = _all_pages(client, token, field, 100)

    assert small == large
    assert len(small) == len(set(small)) == total


def test_enrolments_with_and_without_waiting_list_places_page_past_their_nulls(
    client: TestClient, session: Session, settings: Settings
) -> None:
    """Each enrolment on a page of its own: the NULLS FIRST key is crossed at every step."""
    org = load_org(session)
    run = make_run(session, capacity=1)
    for _ in range(3):
        leader = new_leader(session, org.chef)
        enrolments.enrol(session, actor=viewer(leader), course_run_id=run.id)
    session.commit()
    places = session.scalars(
        select(Enrolment.waitlist_position).where(Enrolment.course_run_id == run.id)
    ).all()
    assert sorted(places, key=lambda p: p or 0) == [None, 1, 2]
    token = token_for(settings, person(session, is_hr=True), Role.HR)

    one_by_one, total = _all_pages(client, token, HR_LISTS["enrolments"], 1)

    assert len(set(one_by_one)) == total > 3


STATEMENT_COURSES = """query($first: Int, $after: String) { competenceStatement(key: "K1.1") {
    courses(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id } } } }"""


def test_a_statements_courses_page_by_the_same_cursors(client: TestClient) -> None:
    def pages(first: int) -> list[str]:
        ids: list[str] = []
        after = None
        for _ in range(MAX_PAGES):
            body = gql(client, STATEMENT_COURSES, {"first": first, "after": after})
            page = body["data"]["competenceStatement"]["courses"]
            ids += [node["id"] for node in page["nodes"]]
            if not page["pageInfo"]["hasNextPage"]:
                assert len(ids) == page["totalCount"] > 1
                return ids
            assert page["pageInfo"]["endCursor"] != after, "the page did not move on"
            after = page["pageInfo"]["endCursor"]
        raise AssertionError(f"no last page in {MAX_PAGES}")

    assert pages(1) == pages(100)


@pytest.mark.parametrize(
    ("after", "order"),
    [
        ("ikke-en-markør", "TITLE"),
        (to_base64("key", "[ikke json"), "TITLE"),
        (to_base64("key", "[]"), "TITLE"),
        (to_base64("offset", 3), "TITLE"),
        (encode_cursor(["Ledelse", "ikke et id"]), "TITLE"),
        (encode_cursor(["Ledelse", 1, 2]), "TITLE"),
        (encode_cursor(["Ledelse", 2**31]), "TITLE"),
        (encode_cursor(["Ledelse", 1]), "UPDATED_AT"),
        (encode_cursor(["2026-01-01T00:00:00", 1]), "UPDATED_AT"),
    ],
    ids=[
        "not base64",
        "not json",
        "empty",
        "an old offset",
        "a wrong type",
        "too many values",
        "an id out of range",
        "another ordering",
        "a time without zone",
    ],
)
def test_a_garbled_or_foreign_cursor_is_a_danish_error_on_after(
    after: str, order: str, client: TestClient
) -> None:
    body = gql(
        client,
        "query($after: String, $order: CourseOrder!) { courses(orderBy: $order, after: $after) "
        "{ totalCount } }",
        {"after": after, "order": order},
    )
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == BAD_CURSOR
    assert "'after'" in error["message"]
    assert error["extensions"]["code"] == "INVALID"
