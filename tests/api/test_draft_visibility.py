"""A draft course stays hidden from everyone but HR and ADMIN, whichever side it is reached from.

Runs, activities and competence links belong to a course and are seen by whoever
may see that course; the matrix below tries every path to a draft (``node(id:)`` on
each type, the nested ``course`` of each, a statement's courses and links, and a
leader's own enrolment and completion on the draft) with every role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import (
    Activity,
    ActivityCompletion,
    ActivityKind,
    ChangeSource,
    CompetenceLink,
    CompetenceStatement,
    Course,
    CourseRun,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    LinkStrength,
    Person,
    Role,
)
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import person, token_for

DRAFT_TITLE = "Ledelse af digital transformation (pilothold)"


@dataclass(frozen=True)
class Draft:
    course: str
    run: str
    activity: str
    course_link: str
    activity_link: str
    statement: str
    leader: Person


@pytest.fixture
def draft(session: Session) -> Draft:
    """The demo's draft course with a run, an activity, links and a leader's enrolment on it.

    The enrolment and completion cannot be made through the API (enrolment needs a
    published course); they stand for data that arrived another way, such as the LMS.
    """
    course = session.scalars(select(Course).where(Course.code == "KUR-DIGITAL")).one()
    assert course.status is CourseStatus.DRAFT
    assert course.title == DRAFT_TITLE
    now = datetime.now(UTC)
    run = CourseRun(
        course_id=course.id,
        code="KUR-DIGITAL-H1",
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=31),
    )
    activity = Activity(
        course_id=course.id,
        code="KUR-DIGITAL-M1",
        title="Hemmeligt modul",
        kind=ActivityKind.MODULE,
        position=1,
    )
    session.add_all([run, activity])
    session.flush()
    statement = session.scalars(
        select(CompetenceStatement).where(CompetenceStatement.key == "K4.5")
    ).first()
    assert statement is not None
    course_link = session.scalars(
        select(CompetenceLink).where(
            CompetenceLink.course_id == course.id, CompetenceLink.statement_id == statement.id
        )
    ).one()
    activity_link = CompetenceLink(
        statement_id=statement.id,
        activity_id=activity.id,
        strength=LinkStrength.SUPPORTING,
        rationale="Modulet er endnu ikke offentliggjort.",
        linked_at=now,
    )
    leader = person(session, is_leader=True, is_chef=False)
    enrolment = Enrolment(
        person_id=leader.id,
        course_run_id=run.id,
        status=EnrolmentStatus.ENROLLED,
        source=ChangeSource.LMS,
        requested_at=now,
    )
    session.add_all([activity_link, enrolment])
    session.flush()
    session.add(
        ActivityCompletion(
            person_id=leader.id,
            activity_id=activity.id,
            enrolment_id=enrolment.id,
            completed_at=now,
            source=ChangeSource.LMS,
        )
    )
    session.commit()
    return Draft(
        course=to_base64("Course", course.id),
        run=to_base64("CourseRun", run.id),
        activity=to_base64("Activity", activity.id),
        course_link=to_base64("CompetenceLink", course_link.id),
        activity_link=to_base64("CompetenceLink", activity_link.id),
        statement=to_base64("CompetenceStatement", statement.id),
        leader=leader,
    )


VIEWERS = {
    "anonymous": None,
    "LEADER": Role.LEADER,
    "CHEF": Role.CHEF,
    "HR": Role.HR,
    "LMS": Role.LMS,
    "ADMIN": Role.ADMIN,
}
FLAGS = {
    Role.LEADER: "is_leader",
    Role.CHEF: "is_chef",
    Role.HR: "is_hr",
    Role.LMS: "is_lms",
    Role.ADMIN: "is_admin",
}
STAFF = {"HR", "ADMIN"}

COURSE_FIELDS = "title summary status activities { title } runs { code }"

# (path name, the draft id it starts from, selection on node(id:))
NODE_PATHS = [
    ("course", "course", f"... on Course {{ {COURSE_FIELDS} }}"),
    ("run", "run", f"... on CourseRun {{ code course {{ {COURSE_FIELDS} }} }}"),
    ("activity", "activity", f"... on Activity {{ title course {{ {COURSE_FIELDS} }} }}"),
    (
        "course link",
        "course_link",
        f"... on CompetenceLink {{ rationale course {{ {COURSE_FIELDS} }}"
        " target { ... on Course { title } } }",
    ),
    (
        "activity link",
        "activity_link",
        f"... on CompetenceLink {{ rationale course {{ {COURSE_FIELDS} }}"
        " target { ... on Activity { title } } }",
    ),
]


def _token(settings: Settings, session: Session, viewer: str) -> str | None:
    role = VIEWERS[viewer]
    if role is None:
        return None
    return token_for(settings, person(session, **{FLAGS[role]: True}), role)


@pytest.mark.parametrize("viewer", list(VIEWERS))
@pytest.mark.parametrize(("path", "start", "selection"), NODE_PATHS, ids=[p[0] for p in NODE_PATHS])
def test_draft_through_node_is_seen_only_by_staff(
    client: TestClient,
    settings: Settings,
    session: Session,
    draft: Draft,
    viewer: str,
    path: str,
    start: str,
    selection: str,
) -> None:
    body = gql(
        client,
        f"query($id: ID!) {{ node(id: $id) {{ id {selection} }} }}",
        {"id": getattr(draft, start)},
        token=_token(settings, session, viewer),
    )
    assert "errors" not in body, body
    if viewer in STAFF:
        assert DRAFT_TITLE in str(body["data"]), body
    else:
        assert body["data"]["node"] is None, body
        assert "Hemmeligt" not in str(body)


@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_statement_shows_no_draft_courses_or_links(
    client: TestClient, settings: Settings, session: Session, draft: Draft, viewer: str
) -> None:
    body = gql(
        client,
        """query($id: ID!) { node(id: $id) { ... on CompetenceStatement {
            courses(first: 100) { edges { node { title } } }
            links { id rationale course { title } target { ... on Activity { title } } }
        } } }""",
        {"id": draft.statement},
        token=_token(settings, session, viewer),
    )
    assert "errors" not in body, body
    statement = body["data"]["node"]
    links = {link["id"] for link in statement["links"]}
    courses = {edge["node"]["title"] for edge in statement["courses"]["edges"]}
    assert DRAFT_TITLE not in courses  # the courses of a statement are the published ones
    if viewer in STAFF:
        assert {draft.course_link, draft.activity_link} <= links
    else:
        assert not {draft.course_link, draft.activity_link} & links
        assert DRAFT_TITLE not in str(body)
        assert "Hemmeligt" not in str(body)


def test_own_enrolment_and_completion_on_a_draft_do_not_reveal_it(
    client: TestClient, settings: Settings, draft: Draft
) -> None:
    token = token_for(settings, draft.leader, Role.LEADER)
    enrolment = gql(
        client,
        "{ me { enrolments { status courseRun { code course { title } } } } }",
        token=token,
    )
    assert DRAFT_TITLE not in str(enrolment)
    assert "KUR-DIGITAL-H1" not in str(enrolment)
    assert {error["extensions"]["code"] for error in enrolment["errors"]} == {"NOT_FOUND"}
    direct = gql(client, "{ me { enrolments { status course { title } } } }", token=token)
    assert DRAFT_TITLE not in str(direct)
    assert {error["extensions"]["code"] for error in direct["errors"]} == {"NOT_FOUND"}
    completion = gql(
        client, "{ me { completions { activity { title course { title } } } } }", token=token
    )
    assert "Hemmeligt" not in str(completion)
    assert DRAFT_TITLE not in str(completion)
    assert {error["extensions"]["code"] for error in completion["errors"]} == {"NOT_FOUND"}
    progress = gql(
        client,
        "{ me { progress { fields { statements { plannedIn { title } coveredBy { title } } } } } }",
        token=token,
    )
    assert "errors" not in progress, progress
    assert DRAFT_TITLE not in str(progress)


def test_hr_sees_the_draft_behind_a_leaders_enrolment(
    client: TestClient, settings: Settings, session: Session, draft: Draft
) -> None:
    token = _token(settings, session, "HR")
    body = gql(
        client,
        "query($id: ID!) { person(id: $id) { enrolments { courseRun { course { title } } } } }",
        {"id": to_base64("Person", draft.leader.id)},
        token=token,
    )
    assert "errors" not in body, body
    assert DRAFT_TITLE in str(body)
