"""Every catalogue mutation against bad input and against being sent twice.

Whatever goes wrong is a userError (or, for a value of the wrong GraphQL type, the
schema's own refusal naming the field), and nothing already stored changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import (
    Activity,
    Base,
    CompetenceLink,
    Course,
    CourseRun,
    CourseStatus,
    Enrolment,
    Role,
)
from catalogue.services.enrolments import OPEN_PLACE_STATUSES
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import person, token_for

TOO_LONG = "x" * 5001


@dataclass(frozen=True)
class Ids:
    course: str
    #: A published course none of whose runs anyone expects, so it may be archived.
    unattended: str
    draft: str
    activity: str
    run: str
    link: str


@dataclass(frozen=True)
class Case:
    mutation: str
    input_type: str
    valid: Callable[[Ids], dict[str, Any]]
    id_field: str | None
    id_type: str
    text_field: str | None


CASES = [
    Case(
        "courseCreate",
        "CourseCreateInput",
        lambda i: {"title": "Nyt kursus", "kind": "EVENT"},
        None,
        "",
        "title",
    ),
    Case(
        "courseUpdate",
        "CourseUpdateInput",
        lambda i: {"id": i.course, "title": "Ny titel"},
        "id",
        "Course",
        "title",
    ),
    Case("coursePublish", "CoursePublishInput", lambda i: {"id": i.draft}, "id", "Course", None),
    Case(
        "courseArchive",
        "CourseArchiveInput",
        lambda i: {"id": i.unattended, "reason": "Udgår"},
        "id",
        "Course",
        "reason",
    ),
    Case(
        "activityCreate",
        "ActivityCreateInput",
        lambda i: {"courseId": i.course, "title": "Opgave", "kind": "ASSIGNMENT"},
        "courseId",
        "Course",
        "title",
    ),
    Case(
        "activityUpdate",
        "ActivityUpdateInput",
        lambda i: {"id": i.activity, "title": "Ny opgave"},
        "id",
        "Activity",
        "title",
    ),
    Case(
        "activityArchive",
        "ActivityArchiveInput",
        lambda i: {"id": i.activity},
        "id",
        "Activity",
        None,
    ),
    Case(
        "courseRunCreate",
        "CourseRunCreateInput",
        lambda i: {
            "courseId": i.course,
            "startsAt": "2031-05-01T09:00:00+02:00",
            "endsAt": "2031-05-01T15:00:00+02:00",
            "capacity": 10,
        },
        "courseId",
        "Course",
        "location",
    ),
    Case(
        "courseRunUpdate",
        "CourseRunUpdateInput",
        lambda i: {"id": i.run, "location": "Rådhuset"},
        "id",
        "CourseRun",
        "location",
    ),
    Case(
        "courseRunCancel",
        "CourseRunCancelInput",
        lambda i: {"id": i.run, "reason": "For få"},
        "id",
        "CourseRun",
        "reason",
    ),
    Case(
        "competenceLinkCreate",
        "CompetenceLinkCreateInput",
        lambda i: {
            "statementKey": "K6.4",
            "courseId": i.course,
            "strength": "SUPPORTING",
            "rationale": "Relationer.",
        },
        "courseId",
        "Course",
        "rationale",
    ),
    Case(
        "competenceLinkUpdate",
        "CompetenceLinkUpdateInput",
        lambda i: {"id": i.link, "rationale": "Bedre begrundelse."},
        "id",
        "CompetenceLink",
        "rationale",
    ),
    Case(
        "competenceLinkRemove",
        "CompetenceLinkRemoveInput",
        lambda i: {"id": i.link},
        "id",
        "CompetenceLink",
        None,
    ),
    Case(
        "courseLinksSet",
        "CourseLinksSetInput",
        lambda i: {
            "courseId": i.course,
            "links": [{"statementKey": "K1.1", "strength": "PRIMARY", "rationale": "Værdier."}],
        },
        "courseId",
        "Course",
        None,
    ),
]
IDS = [case.mutation for case in CASES]


def _run(client: TestClient, case: Case, data: dict[str, Any], token: str) -> dict[str, Any]:
    query = (
        f"mutation($input: {case.input_type}!) {{ {case.mutation}(input: $input) "
        "{ userErrors { field message code } } }"
    )
    return gql(client, query, {"input": data}, token=token)


def _counts(session: Session) -> dict[str, int]:
    session.expire_all()
    return {
        t.name: session.scalar(select(func.count()).select_from(t)) or 0
        for t in Base.metadata.sorted_tables
    }


@pytest.fixture
def ids(session: Session) -> Ids:
    course = session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()
    draft = session.scalars(select(Course).where(Course.status == CourseStatus.DRAFT)).first()
    activity = session.scalars(select(Activity).where(Activity.course_id == course.id)).first()
    run = session.scalars(select(CourseRun).where(CourseRun.course_id == course.id)).first()
    link = session.scalars(
        select(CompetenceLink).where(CompetenceLink.course_id == course.id)
    ).first()
    expected = (
        select(CourseRun.course_id).join(Enrolment).where(Enrolment.status.in_(OPEN_PLACE_STATUSES))
    )
    unattended = session.scalars(
        select(Course).where(Course.status == CourseStatus.PUBLISHED, Course.id.not_in(expected))
    ).first()
    assert unattended is not None
    assert draft is not None
    assert activity is not None
    assert run is not None
    assert link is not None
    return Ids(
        course=to_base64("Course", course.id),
        unattended=to_base64("Course", unattended.id),
        draft=to_base64("Course", draft.id),
        activity=to_base64("Activity", activity.id),
        run=to_base64("CourseRun", run.id),
        link=to_base64("CompetenceLink", link.id),
    )


@pytest.fixture
def hr(session: Session, settings: Settings) -> str:
    return token_for(settings, person(session, is_hr=True), Role.HR)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_valid_input_succeeds(client: TestClient, ids: Ids, hr: str, case: Case) -> None:
    assert _run(client, case, case.valid(ids), hr)["data"][case.mutation]["userErrors"] == []


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.id_field], ids=[c.mutation for c in CASES if c.id_field]
)
@pytest.mark.parametrize("kind", ["unknown", "foreign"])
def test_unknown_and_foreign_ids(
    client: TestClient, session: Session, ids: Ids, hr: str, case: Case, kind: str
) -> None:
    assert case.id_field is not None
    wrong_type = "Theme" if case.id_type != "Theme" else "Course"
    bad = to_base64(case.id_type, 987_654) if kind == "unknown" else to_base64(wrong_type, 1)
    before = _counts(session)
    errors = _run(client, case, {**case.valid(ids), case.id_field: bad}, hr)["data"][case.mutation][
        "userErrors"
    ]
    assert errors
    assert errors[0]["field"] == case.id_field
    assert errors[0]["code"] == ("NOT_FOUND" if kind == "unknown" else "INVALID")
    assert _counts(session) == before


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.text_field], ids=[c.mutation for c in CASES if c.text_field]
)
def test_too_long_text(client: TestClient, session: Session, ids: Ids, hr: str, case: Case) -> None:
    assert case.text_field is not None
    before = _counts(session)
    errors = _run(client, case, {**case.valid(ids), case.text_field: TOO_LONG}, hr)["data"][
        case.mutation
    ]["userErrors"]
    assert {"field": case.text_field, "code": "TOO_LONG"} in [
        {"field": e["field"], "code": e["code"]} for e in errors
    ]
    assert _counts(session) == before


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_wrong_type_is_refused_by_the_schema_naming_the_field(
    client: TestClient, ids: Ids, hr: str, case: Case
) -> None:
    data = case.valid(ids)
    field = next(k for k, v in data.items() if isinstance(v, str))
    body = _run(client, case, {**data, field: {"not": "a string"}}, hr)
    assert body["data"] is None
    message = body["errors"][0]["message"]
    assert f"'input.{field}'" in message or f"i feltet {field}:" in message


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_same_request_twice_changes_nothing_the_second_time(
    client: TestClient, session: Session, ids: Ids, hr: str, case: Case
) -> None:
    data = case.valid(ids)
    first = _run(client, case, data, hr)["data"][case.mutation]
    assert first["userErrors"] == []
    after_first = _counts(session)
    second = _run(client, case, data, hr)["data"][case.mutation]
    assert _counts(session) == after_first
    assert all(e["code"] in ("DUPLICATE", "NOT_FOUND", "ARCHIVED") for e in second["userErrors"])


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.text_field in ("title", "rationale")],
    ids=[c.mutation for c in CASES if c.text_field in ("title", "rationale")],
)
def test_empty_required_text(
    client: TestClient, session: Session, ids: Ids, hr: str, case: Case
) -> None:
    assert case.text_field is not None
    before = _counts(session)
    errors = _run(client, case, {**case.valid(ids), case.text_field: "  "}, hr)["data"][
        case.mutation
    ]["userErrors"]
    assert {"field": case.text_field, "code": "REQUIRED"} in [
        {"field": e["field"], "code": e["code"]} for e in errors
    ]
    assert _counts(session) == before


def test_a_constraint_hit_by_a_concurrent_request_is_a_conflict_not_a_crash(
    client: TestClient, session: Session, hr: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between our duplicate check and the INSERT another request may store the same code."""
    from catalogue.services.validation import Checks

    monkeypatch.setattr(Checks, "code", lambda _self, _s, _c, code, *, what: code)
    before = _counts(session)
    body = _run(client, CASES[0], {"title": "Andet", "kind": "EVENT", "code": "DIP-LED-01"}, hr)
    errors = body["data"]["courseCreate"]["userErrors"]
    assert [e["code"] for e in errors] == ["CONFLICT"]
    assert _counts(session) == before
