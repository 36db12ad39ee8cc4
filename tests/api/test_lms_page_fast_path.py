"""The LMS's catalogue page answered by bulk queries gives the bytes normal execution gives.

Normal execution is the same app with ``lms_page_fast_path`` off, on the same
database transaction, asked the same request with the same token; the two
answers are compared as bytes, page by page, for every page of the demo
catalogue varied with what a mirror must get right.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from strawberry.relay import from_base64, to_base64

from catalogue.app import create_app
from catalogue.graphql.core.pagination import encode_cursor
from catalogue.graphql.core.persisted import PersistedOperation, PersistedOperations, document_hash
from catalogue.graphql.courses import lms_page
from catalogue.graphql.courses.lms_page import DOCUMENT_SHA256, FastPathUnavailableError
from catalogue.graphql.courses.lms_page_executor import lms_page_extension
from catalogue.models import (
    Activity,
    CompetenceLink,
    Course,
    CourseKind,
    CourseRun,
    CourseStatus,
    Enrolment,
    Role,
)
from catalogue.models.base import utcnow
from catalogue.services.catalogue_queries import SEAT_HOLDING_STATUSES
from catalogue.services.course_search import CourseFilter, course_search_statement
from catalogue.settings import Environment, Settings
from tests.api.lms_operations import OPERATIONS, SINCE
from tests.api.test_sql_counts import counted_statements, grow_catalogue_tenfold
from tests.api.tokens import person, token_for

PAGE = OPERATIONS["LmsCataloguePage"]
# The viewer's person, the count, the courses, their activities, runs, seats taken and links.
FAST_PATH_STATEMENTS = 7


@contextmanager
def _app_client(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session], **changes: Any
) -> Iterator[TestClient]:
    app = create_app(
        settings.model_copy(update=changes), engine=engine, session_factory=session_factory
    )
    with TestClient(app) as client:
        yield client


@pytest.fixture
def normal_client(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    """The app with the fast path off: every request goes through per-field execution."""
    with _app_client(settings, engine, session_factory, lms_page_fast_path=False) as client:
        yield client


@pytest.fixture
def lms_token(session: Session, settings: Settings) -> str:
    return token_for(settings, person(session, is_lms=True), Role.LMS)


def _by_hash(variables: dict[str, Any]) -> dict[str, Any]:
    return {
        "variables": variables,
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": PAGE.sha256}},
    }


def _post(client: TestClient, body: dict[str, Any], token: str | None) -> bytes:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.content


def _pull(client: TestClient, token: str | None, first: int) -> list[bytes]:
    """Every page, following ``endCursor`` as the LMS does."""
    pages: list[bytes] = []
    after: str | None = None
    while True:
        pages.append(_post(client, _by_hash({"first": first, "after": after}), token))
        page = _json(pages[-1])["data"]["courses"]
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]


def _json(content: bytes) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(content)
    return body


def _published(session: Session) -> list[Course]:
    statement = select(Course).where(Course.status == CourseStatus.PUBLISHED).order_by(Course.id)
    return list(session.scalars(statement))


def _vary_the_catalogue(session: Session) -> dict[str, set[str]]:
    """Add what the demo seed lacks; returns the global ids that must, or must not, appear."""
    now = utcnow()
    published = _published(session)
    runs = list(
        session.scalars(
            select(CourseRun)
            .where(CourseRun.course_id.in_([c.id for c in published]))
            .order_by(CourseRun.id)
        )
    )
    cancelled, full = runs[0], runs[1]
    cancelled.cancelled_at = now
    taken = session.scalar(
        select(func.count()).where(
            Enrolment.course_run_id == full.id, Enrolment.status.in_(SEAT_HOLDING_STATUSES)
        )
    )
    full.capacity = taken or 0
    runs[2].capacity = None
    course_link = session.scalars(
        select(CompetenceLink).where(CompetenceLink.course_id.in_([c.id for c in published]))
    ).first()
    activity_link = session.scalars(
        select(CompetenceLink)
        .join(Activity, Activity.id == CompetenceLink.activity_id)
        .where(Activity.course_id.in_([c.id for c in published]))
    ).first()
    assert course_link is not None
    assert activity_link is not None
    course_link.removed_at = activity_link.removed_at = now
    bare = Course(
        code="BARE-1",
        title="Et kursus uden aktiviteter, hold og links",
        kind=CourseKind.EVENT,
        status=CourseStatus.PUBLISHED,
        published_at=now - timedelta(days=1),
    )
    session.add(bare)
    session.commit()
    hidden = select(Course.id).where(Course.status != CourseStatus.PUBLISHED)
    hidden_ids = set(session.scalars(hidden))
    assert {c.status for c in session.scalars(select(Course))} == set(CourseStatus)
    return {
        "absent": {to_base64("Course", i) for i in hidden_ids}
        | {
            to_base64("CompetenceLink", course_link.id),
            to_base64("CompetenceLink", activity_link.id),
        },
        "cancelled": {to_base64("CourseRun", cancelled.id)},
        "full": {to_base64("CourseRun", full.id)},
        "bare": {to_base64("Course", bare.id)},
    }


def _ids(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            yield node["id"]
        for value in node.values():
            yield from _ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from _ids(value)


@pytest.mark.parametrize("first", [10, 100])
@pytest.mark.parametrize("role", [Role.LMS, Role.HR, None])
def test_every_page_of_the_demo_catalogue_is_the_same_bytes_as_normal_execution(
    first: int,
    role: Role | None,
    client: TestClient,
    normal_client: TestClient,
    session: Session,
    settings: Settings,
) -> None:
    expected = _vary_the_catalogue(session)
    flags = {Role.LMS: "is_lms", Role.HR: "is_hr"}
    token = token_for(settings, person(session, **{flags[role]: True}), role) if role else None

    fast = _pull(client, token, first)
    normal = _pull(normal_client, token, first)

    assert fast == normal
    bodies = [_json(page) for page in fast]
    nodes = [node for body in bodies for node in body["data"]["courses"]["nodes"]]
    seen = set(_ids(nodes))
    assert len(nodes) == len(_published(session)) == bodies[0]["data"]["courses"]["totalCount"]
    assert len(fast) == -(-len(nodes) // first)
    assert not expected["absent"] & seen
    assert expected["bare"] <= seen
    runs = {run["id"]: run for node in nodes for run in node["runs"]}
    [cancelled] = expected["cancelled"]
    [full] = expected["full"]
    assert runs[cancelled]["cancelledAt"] is not None
    assert runs[full]["seatsLeft"] == 0
    assert any(run["capacity"] is None and run["seatsLeft"] is None for run in runs.values())
    last = bodies[-1]["data"]["courses"]["pageInfo"]
    assert last["hasNextPage"] is False
    _, last_id = from_base64(nodes[-1]["id"])
    assert last["endCursor"] == encode_cursor([nodes[-1]["title"], int(last_id)])


def _statements(
    connection: Connection, client: TestClient, body: dict[str, Any], token: str
) -> int:
    with counted_statements(connection) as statements:
        _post(client, body, token)
    return len(statements)


def test_the_fast_path_reads_a_page_in_a_fixed_few_statements_whatever_the_data(
    client: TestClient,
    normal_client: TestClient,
    connection: Connection,
    session: Session,
    lms_token: str,
) -> None:
    page = _by_hash({"first": 100})
    small = _statements(connection, client, page, lms_token)
    grow_catalogue_tenfold(session)
    big = _statements(connection, client, page, lms_token)
    normal = _statements(connection, normal_client, page, lms_token)

    assert small == big == FAST_PATH_STATEMENTS
    assert normal > FAST_PATH_STATEMENTS


def test_other_documents_and_operations_still_go_through_normal_execution(
    client: TestClient, normal_client: TestClient, connection: Connection, lms_token: str
) -> None:
    """One character more than the persisted text, or another operation: per-field execution."""
    edited = {"query": PAGE.document + "\n", "variables": {"first": 100}}
    changes = {"query": OPERATIONS["LmsCatalogueChanges"].document, "variables": {"since": SINCE}}
    for body in (edited, changes):
        on = _statements(connection, client, body, lms_token)
        off = _statements(connection, normal_client, body, lms_token)
        assert on == off > FAST_PATH_STATEMENTS
    as_text = {"query": PAGE.document, "variables": {"first": 100}}
    assert _statements(connection, client, as_text, lms_token) == FAST_PATH_STATEMENTS


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"after": "ikke-en-markør"}, "INVALID"),
        ({"after": to_base64("arrayconnection", 3)}, "INVALID"),
        ({"first": 101}, "INVALID"),
        ({"first": -1}, "INVALID"),
        ({"first": "10"}, None),
        ({"first": 2**31}, None),
        ({"first": 10, "unknown": True}, None),
    ],
)
def test_a_refused_first_or_after_gives_the_error_normal_execution_gives(
    variables: dict[str, Any],
    code: str | None,
    client: TestClient,
    normal_client: TestClient,
    lms_token: str,
) -> None:
    fast = _post(client, _by_hash(variables), lms_token)
    assert fast == _post(normal_client, _by_hash(variables), lms_token)
    if code is not None:
        body = _json(fast)
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == [code]


@pytest.mark.parametrize(
    "variables", [{}, {"first": None}, {"first": 0}, {"first": 5, "after": "last"}]
)
def test_default_null_zero_and_past_the_end_pages_are_the_same_bytes(
    variables: dict[str, Any],
    client: TestClient,
    normal_client: TestClient,
    session: Session,
    lms_token: str,
) -> None:
    if variables.get("after") == "last":
        last = session.scalars(course_search_statement(session, CourseFilter(), viewer=None)).all()
        variables = {**variables, "after": encode_cursor([last[-1].title, last[-1].id])}
    fast = _post(client, _by_hash(variables), lms_token)
    assert fast == _post(normal_client, _by_hash(variables), lms_token)
    assert "errors" not in _json(fast)


def test_the_guards_before_execution_still_apply_to_the_fast_path(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session], lms_token: str
) -> None:
    """A depth limit below the document's depth refuses it; persisted-only lets it through."""
    with _app_client(settings, engine, session_factory, max_query_depth=3) as shallow:
        body = _json(_post(shallow, _by_hash({"first": 1}), lms_token))
        assert body["data"] is None
        assert {e["extensions"]["code"] for e in body["errors"]} == {"QUERY_TOO_DEEP"}
    with _app_client(settings, engine, session_factory, lms_persisted_only=True) as strict:
        as_text = _json(_post(strict, {"query": PAGE.document}, lms_token))
        assert "errors" not in as_text
        edited = _json(_post(strict, {"query": PAGE.document + "\n"}, lms_token))
        assert [e["extensions"]["code"] for e in edited["errors"]] == ["PERSISTED_QUERY_REQUIRED"]


def test_the_fast_path_answers_the_document_in_the_operations_folder() -> None:
    """After editing LmsCataloguePage.graphql and seeing the tests above pass, move the pin."""
    assert PAGE.sha256 == DOCUMENT_SHA256


def test_a_changed_document_turns_the_fast_path_off_in_development(settings: Settings) -> None:
    changed = PAGE.document.replace("    seatsLeft\n", "")
    operations = PersistedOperations(
        [
            PersistedOperation(
                name=PAGE.name, document=changed, sha256=document_hash(changed), path=PAGE.path
            )
        ]
    )
    assert lms_page_extension(operations, settings) is None
    assert lms_page_extension(PersistedOperations([PAGE]), settings) is not None
    off = settings.model_copy(update={"lms_page_fast_path": False})
    assert lms_page_extension(PersistedOperations([PAGE]), off) is None


def test_a_stale_pinned_hash_stops_start_up_in_production(
    settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Production refuses to serve the LMS per field by accident; development warns and serves."""
    monkeypatch.setattr(lms_page, "DOCUMENT_SHA256", "0" * 64)
    prod = settings.model_copy(update={"env": Environment.PROD})
    with pytest.raises(FastPathUnavailableError) as refused:
        create_app(prod, engine=engine, session_factory=session_factory)
    message = str(refused.value)
    assert "graphql/operations/LmsCataloguePage.graphql har sha256 " + PAGE.sha256 in message
    assert "DOCUMENT_SHA256" in message
    assert "CATALOGUE_LMS_PAGE_FAST_PATH=false" in message

    deliberately_off = prod.model_copy(update={"lms_page_fast_path": False})
    create_app(deliberately_off, engine=engine, session_factory=session_factory)
    capfd.readouterr()
    create_app(settings, engine=engine, session_factory=session_factory)
    [warning] = [line for line in capfd.readouterr().err.splitlines() if "fast_path_off" in line]
    assert "warning" in warning
    assert PAGE.sha256 in warning
