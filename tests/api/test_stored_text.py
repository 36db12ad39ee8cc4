"""What HR writes into the catalogue passes the one text rule, and runs follow the date rules.

Every human text field of the catalogue mutations is tried with a terminal escape,
a right-to-left override and (where it is required) a text of zero-width spaces:
each is a userError naming the field, and nothing stored changes. The profile's
typographic quotes and æøå come back as they were sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import Activity, Base, CompetenceLink, Course, CourseRun, Role
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import person, token_for

ESCAPE = "Ledelse \x1b[31mi rødt\x1b[0m"
OVERRIDE = "Ledelse \u202eexe.fdp"
ZERO_WIDTH = "\u200b\u200b\u200b"
PROFILE_TEXT = "»Vi skal skabe resultater« – „sammen“ med ’borgerne’ i Lyngby-Taarbæk: æ ø å"


@dataclass(frozen=True)
class Ids:
    course: str
    activity: str
    run: str
    link: str


@dataclass(frozen=True)
class TextCase:
    mutation: str
    input_type: str
    valid: Callable[[Ids], dict[str, Any]]
    field: str
    required: bool


def _set(data: dict[str, Any], path: str, value: str) -> dict[str, Any]:
    """``data`` with ``value`` at ``path`` (``title`` or ``links[0].rationale``)."""
    if path.startswith("links[0]."):
        return {**data, "links": [{**data["links"][0], path.removeprefix("links[0]."): value}]}
    return {**data, path: value}


def _course(extra: dict[str, Any]) -> Callable[[Ids], dict[str, Any]]:
    return lambda i: {"title": "Nyt kursus om tekst", "kind": "EVENT", **extra}


RUN_START = (datetime.now(UTC) + timedelta(days=60)).replace(microsecond=0)
NEW_RUN = {
    "startsAt": RUN_START.isoformat(),
    "endsAt": (RUN_START + timedelta(hours=6)).isoformat(),
}

CASES = [
    TextCase("courseCreate", "CourseCreateInput", _course({}), "title", True),
    TextCase("courseCreate", "CourseCreateInput", _course({}), "summary", False),
    TextCase("courseCreate", "CourseCreateInput", _course({}), "provider", False),
    TextCase("courseCreate", "CourseCreateInput", _course({}), "audience", False),
    TextCase("courseUpdate", "CourseUpdateInput", lambda i: {"id": i.course}, "title", True),
    TextCase("courseUpdate", "CourseUpdateInput", lambda i: {"id": i.course}, "summary", False),
    TextCase("courseArchive", "CourseArchiveInput", lambda i: {"id": i.course}, "reason", False),
    TextCase(
        "activityCreate",
        "ActivityCreateInput",
        lambda i: {"courseId": i.course, "kind": "ASSIGNMENT"},
        "title",
        True,
    ),
    TextCase("activityUpdate", "ActivityUpdateInput", lambda i: {"id": i.activity}, "title", True),
    TextCase(
        "courseRunCreate",
        "CourseRunCreateInput",
        lambda i: {"courseId": i.course, **NEW_RUN},
        "location",
        False,
    ),
    TextCase("courseRunUpdate", "CourseRunUpdateInput", lambda i: {"id": i.run}, "location", False),
    TextCase("courseRunCancel", "CourseRunCancelInput", lambda i: {"id": i.run}, "reason", False),
    TextCase(
        "competenceLinkCreate",
        "CompetenceLinkCreateInput",
        lambda i: {"statementKey": "K6.4", "courseId": i.course, "strength": "SUPPORTING"},
        "rationale",
        True,
    ),
    TextCase(
        "competenceLinkUpdate",
        "CompetenceLinkUpdateInput",
        lambda i: {"id": i.link},
        "rationale",
        True,
    ),
    TextCase(
        "courseLinksSet",
        "CourseLinksSetInput",
        lambda i: {
            "courseId": i.course,
            "links": [{"statementKey": "K1.1", "strength": "PRIMARY", "rationale": "x"}],
        },
        "links[0].rationale",
        True,
    ),
]
CASE_IDS = [f"{c.mutation}.{c.field}" for c in CASES]


@pytest.fixture
def ids(session: Session) -> Ids:
    course = session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()
    activity = session.scalars(select(Activity).where(Activity.course_id == course.id)).first()
    run = session.scalars(select(CourseRun).where(CourseRun.course_id == course.id)).first()
    link = session.scalars(
        select(CompetenceLink).where(CompetenceLink.course_id == course.id)
    ).first()
    assert activity is not None
    assert run is not None
    assert link is not None
    return Ids(
        course=to_base64("Course", course.id),
        activity=to_base64("Activity", activity.id),
        run=to_base64("CourseRun", run.id),
        link=to_base64("CompetenceLink", link.id),
    )


@pytest.fixture
def hr(session: Session, settings: Settings) -> str:
    return token_for(settings, person(session, is_hr=True), Role.HR)


def _run(
    client: TestClient, mutation: str, input_type: str, data: dict[str, Any], token: str
) -> Any:
    query = (
        f"mutation($input: {input_type}!) {{ {mutation}(input: $input) "
        "{ userErrors { field message code } } }"
    )
    body = gql(client, query, {"input": data}, token=token)
    assert "errors" not in body, body
    return body["data"][mutation]["userErrors"]


def _counts(session: Session) -> dict[str, int]:
    session.expire_all()
    return {
        t.name: session.scalar(select(func.count()).select_from(t)) or 0
        for t in Base.metadata.sorted_tables
    }


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
@pytest.mark.parametrize(("bad", "code"), [(ESCAPE, "INVALID"), (OVERRIDE, "INVALID")])
def test_control_and_bidi_characters_are_refused_naming_the_field(
    client: TestClient,
    session: Session,
    ids: Ids,
    hr: str,
    case: TextCase,
    bad: str,
    code: str,
) -> None:
    data = _set(case.valid(ids), case.field, "Gyldig tekst") if case.required else case.valid(ids)
    before = _counts(session)
    errors = _run(client, case.mutation, case.input_type, _set(data, case.field, bad), hr)
    assert [(e["field"], e["code"]) for e in errors] == [(case.field, code)], errors
    assert "U+" in errors[0]["message"]
    assert _counts(session) == before


@pytest.mark.parametrize("case", [c for c in CASES if c.required], ids=lambda c: c.field)
def test_a_required_text_of_zero_width_spaces_is_missing(
    client: TestClient, session: Session, ids: Ids, hr: str, case: TextCase
) -> None:
    before = _counts(session)
    errors = _run(
        client, case.mutation, case.input_type, _set(case.valid(ids), case.field, ZERO_WIDTH), hr
    )
    assert [(e["field"], e["code"]) for e in errors] == [(case.field, "REQUIRED")], errors
    assert _counts(session) == before


def test_the_profiles_typography_survives_and_text_is_stored_in_nfc(
    client: TestClient, hr: str
) -> None:
    body = gql(
        client,
        """mutation($input: CourseCreateInput!) { courseCreate(input: $input) {
            course { title summary } userErrors { field code } } }""",
        {
            "input": {
                "title": f"\u200b {PROFILE_TEXT} \ufeff",
                "summary": "Første linje\r\n\tAnden linje om ga\u030ardens træer",
                "kind": "EVENT",
            }
        },
        token=hr,
    )
    payload = body["data"]["courseCreate"]
    assert payload["userErrors"] == []
    assert payload["course"] == {
        "title": PROFILE_TEXT,
        "summary": "Første linje\n\tAnden linje om gårdens træer",
    }


RUN_CREATE = """mutation($input: CourseRunCreateInput!) { courseRunCreate(input: $input) {
    courseRun { location } userErrors { field code message } } }"""
RUN_UPDATE = """mutation($input: CourseRunUpdateInput!) { courseRunUpdate(input: $input) {
    courseRun { location } userErrors { field code message } } }"""


def test_a_new_run_does_not_start_in_the_past(
    client: TestClient, session: Session, ids: Ids, hr: str
) -> None:
    before = _counts(session)
    body = gql(
        client,
        RUN_CREATE,
        {
            "input": {
                "courseId": ids.course,
                "startsAt": "2020-03-02T09:00:00+01:00",
                "endsAt": "2020-03-02T15:00:00+01:00",
            }
        },
        token=hr,
    )
    errors = body["data"]["courseRunCreate"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("startsAt", "INVALID")]
    assert "fortiden" in errors[0]["message"]
    assert _counts(session) == before


def test_a_run_without_duration_is_refused(
    client: TestClient, session: Session, ids: Ids, hr: str
) -> None:
    before = _counts(session)
    start = NEW_RUN["startsAt"]
    body = gql(
        client,
        RUN_CREATE,
        {"input": {"courseId": ids.course, "startsAt": start, "endsAt": start}},
        token=hr,
    )
    errors = body["data"]["courseRunCreate"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("endsAt", "INVALID")]
    assert _counts(session) == before


def test_a_run_under_way_keeps_its_start_but_cannot_be_moved_into_the_past(
    client: TestClient, session: Session, ids: Ids, hr: str
) -> None:
    course = session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()
    now = datetime.now(UTC)
    run = CourseRun(
        course_id=course.id,
        code="DIP-LED-01-I-GANG",
        starts_at=now - timedelta(days=3),
        ends_at=now + timedelta(days=30),
    )
    session.add(run)
    session.commit()
    run_id = to_base64("CourseRun", run.id)
    moved = gql(
        client,
        RUN_UPDATE,
        {"input": {"id": run_id, "startsAt": (now - timedelta(days=1)).isoformat()}},
        token=hr,
    )
    errors = moved["data"]["courseRunUpdate"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("startsAt", "INVALID")]
    placed = gql(client, RUN_UPDATE, {"input": {"id": run_id, "location": "Rådhuset"}}, token=hr)
    assert placed["data"]["courseRunUpdate"] == {
        "courseRun": {"location": "Rådhuset"},
        "userErrors": [],
    }
