"""HR curates the catalogue through mutations; bad input never changes what is stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import (
    Activity,
    AuditLogEntry,
    Base,
    CompetenceLink,
    Course,
    CourseRun,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    OutboxEvent,
    Role,
)
from catalogue.services.catalogue_queries import SEAT_HOLDING_STATUSES
from catalogue.services.enrolments import OPEN_PLACE_STATUSES
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import person, token_for
from tests.enrolment.factories import leaders, make_run, stored_enrolment

CREATE = """mutation($input: CourseCreateInput!) { courseCreate(input: $input) {
  course { id code title status kind } userErrors { field message code } } }"""
UPDATE = """mutation($input: CourseUpdateInput!) { courseUpdate(input: $input) {
  course { id title updatedAt } userErrors { field message code } } }"""
PUBLISH = """mutation($id: ID!) { coursePublish(input: {id: $id}) {
  course { status publishedAt } userErrors { field message code } } }"""
ARCHIVE = """mutation($id: ID!) { courseArchive(input: {id: $id, reason: "Udgår"}) {
  course { status archivedAt competenceLinks { id } } userErrors { field message code } } }"""
LINK = """mutation($input: CompetenceLinkCreateInput!) { competenceLinkCreate(input: $input) {
  competenceLink { id strength rationale statement { key } target { __typename } }
  userErrors { field message code } } }"""
SET_LINKS = """mutation($input: CourseLinksSetInput!) { courseLinksSet(input: $input) {
  competenceLinks { strength statement { key } } userErrors { field message code } } }"""


def _counts(session: Session) -> dict[str, int]:
    session.expire_all()
    return {
        t.name: session.scalar(select(func.count()).select_from(t)) or 0
        for t in Base.metadata.sorted_tables
    }


@pytest.fixture
def hr_token(session: Session, settings: Settings) -> str:
    return token_for(settings, person(session, is_hr=True), Role.HR)


def _course_input(**overrides: Any) -> dict[str, Any]:
    return {"title": "Ledelse af hybride teams", "kind": "SHORT_COURSE", **overrides}


def test_hr_creates_updates_publishes_and_archives_a_course(
    client: TestClient, session: Session, hr_token: str
) -> None:
    created = gql(client, CREATE, {"input": _course_input()}, token=hr_token)["data"]
    course = created["courseCreate"]["course"]
    assert created["courseCreate"]["userErrors"] == []
    assert course["status"] == "DRAFT"
    assert course["code"] == "LEDELSE-AF-HYBRIDE-TEAMS"

    updated = gql(
        client, UPDATE, {"input": {"id": course["id"], "title": "Hybride teams"}}, token=hr_token
    )["data"]["courseUpdate"]
    assert updated["course"]["title"] == "Hybride teams"

    published = gql(client, PUBLISH, {"id": course["id"]}, token=hr_token)["data"]
    assert published["coursePublish"]["course"]["status"] == "PUBLISHED"
    archived = gql(client, ARCHIVE, {"id": course["id"]}, token=hr_token)["data"]
    assert archived["courseArchive"]["course"]["status"] == "ARCHIVED"
    assert archived["courseArchive"]["course"]["archivedAt"]

    actions = list(
        session.scalars(
            select(AuditLogEntry.action)
            .where(AuditLogEntry.entity_type == "Course")
            .order_by(AuditLogEntry.id.desc())
            .limit(4)
        )
    )
    assert actions == ["COURSE_ARCHIVED", "COURSE_PUBLISHED", "COURSE_UPDATED", "COURSE_CREATED"]


@pytest.mark.parametrize(
    ("course_input", "field", "code"),
    [
        ({"title": "", "kind": "EVENT"}, "title", "REQUIRED"),
        ({"title": "   ", "kind": "EVENT"}, "title", "REQUIRED"),
        ({"title": "x" * 301, "kind": "EVENT"}, "title", "TOO_LONG"),
        ({"title": "Kursus"}, "kind", "REQUIRED"),
        (_course_input(ects=-1), "ects", "INVALID"),
        (_course_input(durationHours=0), "durationHours", "INVALID"),
        (_course_input(language="de"), "language", "INVALID"),
        (_course_input(code="ikke gyldig!"), "code", "INVALID"),
        (_course_input(code="DIP-LED-01"), "code", "DUPLICATE"),
    ],
)
def test_bad_course_input_gets_user_errors_and_stores_nothing(
    client: TestClient,
    session: Session,
    hr_token: str,
    course_input: dict[str, Any],
    field: str,
    code: str,
) -> None:
    before = _counts(session)
    payload = gql(client, CREATE, {"input": course_input}, token=hr_token)["data"]["courseCreate"]
    assert payload["course"] is None
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in payload["userErrors"]
    ]
    assert all(e["message"] for e in payload["userErrors"])
    assert _counts(session) == before


def test_all_problems_of_one_input_are_reported_together(client: TestClient, hr_token: str) -> None:
    payload = gql(
        client, CREATE, {"input": {"title": "", "ects": -2, "language": "xx"}}, token=hr_token
    )["data"]["courseCreate"]
    assert {e["field"] for e in payload["userErrors"]} == {"title", "kind", "ects", "language"}


def test_wrong_types_are_rejected_by_the_schema(client: TestClient, hr_token: str) -> None:
    body = gql(client, CREATE, {"input": {"title": 5, "kind": "NOT_A_KIND"}}, token=hr_token)
    assert body["data"] is None
    message = body["errors"][0]["message"]
    assert "i feltet title" in message
    assert "String" in message


@pytest.mark.parametrize(
    "bad_id",
    [to_base64("Course", 999_999), to_base64("Activity", 1), "not-a-global-id"],
    ids=["unknown", "foreign type", "garbage"],
)
def test_unknown_or_foreign_ids_are_user_errors(
    client: TestClient, session: Session, hr_token: str, bad_id: str
) -> None:
    before = _counts(session)
    body = gql(client, UPDATE, {"input": {"id": bad_id, "title": "Ny"}}, token=hr_token)
    if bad_id == "not-a-global-id":
        assert body["errors"][0]["message"]  # the ID scalar itself refuses it
    else:
        errors = body["data"]["courseUpdate"]["userErrors"]
        assert errors[0]["field"] == "id"
        assert errors[0]["code"] in ("NOT_FOUND", "INVALID")
    assert _counts(session) == before


@pytest.mark.parametrize("role", [Role.LEADER, Role.CHEF, Role.LMS])
def test_only_hr_and_admin_may_curate(
    client: TestClient, session: Session, settings: Settings, role: Role
) -> None:
    flag = {"LEADER": "is_leader", "CHEF": "is_chef", "LMS": "is_lms"}[role.value]
    token = token_for(settings, person(session, **{flag: True}), role)
    before = _counts(session)
    payload = gql(client, CREATE, {"input": _course_input()}, token=token)["data"]["courseCreate"]
    assert payload["userErrors"][0]["code"] == "FORBIDDEN"
    assert "HR" in payload["userErrors"][0]["message"]
    assert _counts(session) == before


def test_admin_may_curate_and_anonymous_may_not(
    client: TestClient, session: Session, settings: Settings
) -> None:
    admin = token_for(settings, person(session, is_admin=True), Role.ADMIN)
    assert gql(client, CREATE, {"input": _course_input()}, token=admin)["data"]["courseCreate"][
        "course"
    ]
    anonymous = gql(client, CREATE, {"input": _course_input(title="Andet kursus")})
    assert anonymous["data"]["courseCreate"]["userErrors"][0]["code"] == "UNAUTHENTICATED"


def test_a_stale_edit_is_a_conflict(client: TestClient, session: Session, hr_token: str) -> None:
    course = session.scalars(select(Course).where(Course.status == CourseStatus.PUBLISHED)).first()
    assert course is not None
    course_id = to_base64("Course", course.id)
    seen = gql(
        client,
        "query($id: ID!) { course(id: $id) { updatedAt } }",
        {"id": course_id},
        token=hr_token,
    )["data"]["course"]["updatedAt"]
    first = gql(
        client,
        UPDATE,
        {"input": {"id": course_id, "title": "A", "expectedUpdatedAt": seen}},
        token=hr_token,
    )["data"]["courseUpdate"]
    assert first["userErrors"] == []
    second = gql(
        client,
        UPDATE,
        {"input": {"id": course_id, "title": "B", "expectedUpdatedAt": seen}},
        token=hr_token,
    )["data"]["courseUpdate"]
    assert second["userErrors"][0]["code"] == "CONFLICT"
    session.expire_all()
    assert session.get(Course, course.id).title == "A"  # type: ignore[union-attr]


def test_the_updated_at_an_edit_returns_is_the_one_the_next_edit_may_send_back(
    client: TestClient, session: Session, hr_token: str
) -> None:
    course = session.scalars(select(Course).where(Course.status == CourseStatus.PUBLISHED)).first()
    assert course is not None
    course_id = to_base64("Course", course.id)
    seen = course.updated_at.isoformat()
    for title in ("Første rettelse", "Anden rettelse", "Tredje rettelse"):
        answer = gql(
            client,
            UPDATE,
            {"input": {"id": course_id, "title": title, "expectedUpdatedAt": seen}},
            token=hr_token,
        )["data"]["courseUpdate"]
        assert answer["userErrors"] == []
        assert answer["course"]["updatedAt"] != seen
        seen = answer["course"]["updatedAt"]
    read_back = gql(
        client,
        "query($id: ID!) { course(id: $id) { updatedAt } }",
        {"id": course_id},
        token=hr_token,
    )["data"]["course"]["updatedAt"]
    assert read_back == seen


LINK_UPDATE = """mutation($input: CompetenceLinkUpdateInput!) {
  competenceLinkUpdate(input: $input) {
    competenceLink { rationale updatedAt } userErrors { field code } } }"""


def test_a_link_edit_returns_its_new_updated_at_and_a_stale_one_is_a_conflict(
    client: TestClient, session: Session, hr_token: str
) -> None:
    link = session.scalars(
        select(CompetenceLink)
        .where(CompetenceLink.removed_at.is_(None))
        .order_by(CompetenceLink.id)
    ).first()
    assert link is not None
    link_id, stale = to_base64("CompetenceLink", link.id), link.updated_at.isoformat()
    first = gql(
        client,
        LINK_UPDATE,
        {"input": {"id": link_id, "rationale": "Ny begrundelse.", "expectedUpdatedAt": stale}},
        token=hr_token,
    )["data"]["competenceLinkUpdate"]
    assert first["userErrors"] == []
    fresh = first["competenceLink"]["updatedAt"]
    assert fresh != stale
    again = gql(
        client,
        LINK_UPDATE,
        {"input": {"id": link_id, "rationale": "Tredje.", "expectedUpdatedAt": fresh}},
        token=hr_token,
    )["data"]["competenceLinkUpdate"]
    assert again["userErrors"] == []
    late = gql(
        client,
        LINK_UPDATE,
        {"input": {"id": link_id, "rationale": "Forsinket.", "expectedUpdatedAt": fresh}},
        token=hr_token,
    )["data"]["competenceLinkUpdate"]
    assert late["userErrors"] == [{"field": "expectedUpdatedAt", "code": "CONFLICT"}]
    session.expire_all()
    assert session.get(CompetenceLink, link.id).rationale == "Tredje."  # type: ignore[union-attr]


def test_linking_needs_a_rationale_and_allows_one_link_per_statement_and_target(
    client: TestClient, session: Session, hr_token: str
) -> None:
    course = session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()
    base = {
        "statementKey": "K6.4",
        "courseId": to_base64("Course", course.id),
        "strength": "SUPPORTING",
    }
    for rationale, code in (("", "REQUIRED"), ("x" * 2001, "TOO_LONG")):
        errors = gql(client, LINK, {"input": {**base, "rationale": rationale}}, token=hr_token)
        assert errors["data"]["competenceLinkCreate"]["userErrors"][0]["code"] == code
    unknown = gql(
        client, LINK, {"input": {**base, "statementKey": "K9.9", "rationale": "x"}}, token=hr_token
    )
    assert unknown["data"]["competenceLinkCreate"]["userErrors"][0]["code"] == "NOT_FOUND"

    ok = gql(client, LINK, {"input": {**base, "rationale": "Relationer på tværs."}}, token=hr_token)
    link = ok["data"]["competenceLinkCreate"]["competenceLink"]
    assert link["statement"]["key"] == "K6.4"
    assert link["target"]["__typename"] == "Course"
    again = gql(client, LINK, {"input": {**base, "rationale": "Igen."}}, token=hr_token)
    assert again["data"]["competenceLinkCreate"]["userErrors"][0]["code"] == "DUPLICATE"


def test_setting_all_links_of_a_course_adds_updates_and_removes_as_tombstones(
    client: TestClient, session: Session, hr_token: str
) -> None:
    course = session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()
    course_id = to_base64("Course", course.id)
    wanted = [
        {"statementKey": "K1.1", "strength": "PRIMARY", "rationale": "Værdisæt og autoritet."},
        {
            "statementKey": "K7.3",
            "strength": "SUPPORTING",
            "rationale": "Ledelse i alle retninger.",
        },
    ]
    payload = gql(
        client, SET_LINKS, {"input": {"courseId": course_id, "links": wanted}}, token=hr_token
    )["data"]["courseLinksSet"]
    assert payload["userErrors"] == []
    assert sorted(link["statement"]["key"] for link in payload["competenceLinks"]) == [
        "K1.1",
        "K7.3",
    ]
    session.expire_all()
    current = session.scalars(
        select(CompetenceLink).where(
            CompetenceLink.course_id == course.id, CompetenceLink.removed_at.is_(None)
        )
    ).all()
    assert sorted(link.statement.key for link in current) == ["K1.1", "K7.3"]
    assert session.scalar(
        select(func.count())
        .select_from(CompetenceLink)
        .where(CompetenceLink.course_id == course.id, CompetenceLink.removed_at.is_not(None))
    )
    # Sending the same set again changes nothing.
    before = _counts(session)
    gql(client, SET_LINKS, {"input": {"courseId": course_id, "links": wanted}}, token=hr_token)
    assert _counts(session) == before


def test_a_bad_entry_in_a_link_set_changes_nothing(
    client: TestClient, session: Session, hr_token: str
) -> None:
    course = session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()
    links = [
        {"statementKey": "K1.1", "strength": "PRIMARY", "rationale": "God."},
        {"statementKey": "K1.1", "strength": "SUPPORTING", "rationale": "Dublet."},
        {"statementKey": "K0.0", "strength": "PRIMARY", "rationale": "Ukendt."},
    ]
    before = _counts(session)
    payload = gql(
        client,
        SET_LINKS,
        {"input": {"courseId": to_base64("Course", course.id), "links": links}},
        token=hr_token,
    )["data"]["courseLinksSet"]
    assert {e["field"] for e in payload["userErrors"]} == {
        "links[1].statementKey",
        "links[2].statementKey",
    }
    assert _counts(session) == before


def test_runs_validate_dates_and_cannot_shrink_below_their_participants(
    client: TestClient, session: Session, hr_token: str
) -> None:
    course = session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()
    create = """mutation($input: CourseRunCreateInput!) { courseRunCreate(input: $input) {
      courseRun { id capacity seatsLeft } userErrors { field code } } }"""
    bad = gql(
        client,
        create,
        {
            "input": {
                "courseId": to_base64("Course", course.id),
                "startsAt": "2027-03-02T09:00:00+01:00",
                "endsAt": "2027-03-01T15:00:00+01:00",
                "enrolmentDeadline": "2027-03-05T12:00:00+01:00",
                "capacity": 0,
            }
        },
        token=hr_token,
    )["data"]["courseRunCreate"]
    assert {e["field"] for e in bad["userErrors"]} == {"endsAt", "enrolmentDeadline", "capacity"}

    full_run = session.scalars(select(CourseRun).where(CourseRun.capacity.is_not(None))).all()
    from catalogue.services.catalogue_queries import seats_taken

    taken = seats_taken(session, [r.id for r in full_run])
    run = next(r for r in full_run if taken.get(r.id, 0) >= 2)
    update = """mutation($input: CourseRunUpdateInput!) { courseRunUpdate(input: $input) {
      courseRun { capacity } userErrors { field code } } }"""
    shrink = gql(
        client,
        update,
        {"input": {"id": to_base64("CourseRun", run.id), "capacity": 1}},
        token=hr_token,
    )
    assert shrink["data"]["courseRunUpdate"]["userErrors"] == [
        {"field": "capacity", "code": "CONFLICT"}
    ]


S = EnrolmentStatus
CANCEL_RUN = """mutation($id: ID!) { courseRunCancel(input: {id: $id, reason: "For få"}) {
  courseRun { cancelledAt } withdrawnEnrolments userErrors { field code } } }"""


def test_a_course_whose_runs_have_people_is_not_archived_and_the_runs_are_named(
    client: TestClient, session: Session, hr_token: str
) -> None:
    course = session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()
    open_runs = set(
        session.scalars(
            select(CourseRun.code)
            .join(Enrolment)
            .where(
                CourseRun.course_id == course.id,
                CourseRun.cancelled_at.is_(None),
                Enrolment.status.in_(OPEN_PLACE_STATUSES),
            )
        )
    )
    assert open_runs
    refused = gql(client, ARCHIVE, {"id": to_base64("Course", course.id)}, token=hr_token)
    (error,) = refused["data"]["courseArchive"]["userErrors"]
    assert (error["code"], error["field"]) == ("HAS_PARTICIPANTS", "id")
    assert all(code in error["message"] for code in open_runs)
    session.expire_all()
    assert session.get(Course, course.id).status is CourseStatus.PUBLISHED  # type: ignore[union-attr]


def test_cancelling_a_run_withdraws_everyone_on_it_with_the_reason_and_tells_the_lms(
    client: TestClient, session: Session, hr_token: str
) -> None:
    run = make_run(session, capacity=2)
    people = leaders(session, 5)
    statuses = [S.ENROLLED, S.ENROLLED, S.WAITLISTED, S.WAITLISTED, S.REQUESTED]
    placed = [
        stored_enrolment(session, run, person, status, waitlist_position=position)
        for person, status, position in zip(people, statuses, [None, None, 1, 2, None], strict=True)
    ]
    expecting = {e.id: e.status for e in placed}
    seat_holders = {e.id for e in placed if e.status in SEAT_HOLDING_STATUSES}
    first = gql(client, CANCEL_RUN, {"id": to_base64("CourseRun", run.id)}, token=hr_token)
    answer = first["data"]["courseRunCancel"]
    assert answer["userErrors"] == []
    assert answer["withdrawnEnrolments"] == len(expecting)
    session.expire_all()
    for enrolment_id in expecting:
        enrolment = session.get(Enrolment, enrolment_id)
        assert enrolment is not None
        assert (enrolment.status, enrolment.waitlist_position) == (EnrolmentStatus.WITHDRAWN, None)
    reasons = set(
        session.scalars(
            select(AuditLogEntry.reason).where(
                AuditLogEntry.entity_type == "Enrolment",
                AuditLogEntry.entity_id.in_(expecting),
                AuditLogEntry.to_state == "WITHDRAWN",
            )
        )
    )
    assert reasons == {"Holdet er aflyst: For få"}
    told = set(
        session.scalars(
            select(OutboxEvent.aggregate_id).where(OutboxEvent.topic == "enrolment.withdrawn")
        )
    )
    assert seat_holders <= told
    again = gql(client, CANCEL_RUN, {"id": to_base64("CourseRun", run.id)}, token=hr_token)
    assert again["data"]["courseRunCancel"]["withdrawnEnrolments"] == 0


def test_archived_course_stays_readable_with_links_and_appears_as_tombstone(
    client: TestClient, session: Session, hr_token: str
) -> None:
    course = session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()
    since = course.updated_at.isoformat()
    links_before = session.scalar(
        select(func.count())
        .select_from(CompetenceLink)
        .where(CompetenceLink.course_id == course.id)
    )
    for run in course.runs:
        gql(client, CANCEL_RUN, {"id": to_base64("CourseRun", run.id)}, token=hr_token)
    archived = gql(client, ARCHIVE, {"id": to_base64("Course", course.id)}, token=hr_token)
    assert archived["data"]["courseArchive"]["userErrors"] == []
    pull = gql(
        client,
        """query($since: DateTime!) { courses(filter: {updatedSince: $since}, orderBy: UPDATED_AT) {
            nodes { code status archivedAt competenceLinks { id } } } }""",
        {"since": since},
    )["data"]["courses"]["nodes"]
    tombstone = next(n for n in pull if n["code"] == "DIP-LED-01")
    assert tombstone["status"] == "ARCHIVED"
    assert tombstone["archivedAt"]
    assert len(tombstone["competenceLinks"]) == links_before
    plain = gql(client, "{ courses(first: 100) { nodes { code } } }")["data"]["courses"]["nodes"]
    assert "DIP-LED-01" not in {n["code"] for n in plain}
    edit = gql(
        client,
        UPDATE,
        {"input": {"id": to_base64("Course", course.id), "title": "X"}},
        token=hr_token,
    )
    assert edit["data"]["courseUpdate"]["userErrors"][0]["code"] == "ARCHIVED"


def test_activities_can_be_added_edited_and_archived(
    client: TestClient, session: Session, hr_token: str
) -> None:
    course = session.scalars(select(Course).where(Course.code == "DIP-LED-01")).one()
    created = gql(
        client,
        """mutation($input: ActivityCreateInput!) { activityCreate(input: $input) {
        activity { id code position } userErrors { field code } } }""",
        {
            "input": {
                "courseId": to_base64("Course", course.id),
                "title": "Refleksionsopgave",
                "kind": "ASSIGNMENT",
            }
        },
        token=hr_token,
    )["data"]["activityCreate"]
    assert created["userErrors"] == []
    activity_id = created["activity"]["id"]
    archived = gql(
        client,
        """mutation($id: ID!) { activityArchive(input: {id: $id}) {
        activity { archivedAt } userErrors { code } } }""",
        {"id": activity_id},
        token=hr_token,
    )
    assert archived["data"]["activityArchive"]["activity"]["archivedAt"]
    assert session.scalar(
        select(func.count()).select_from(Activity).where(Activity.course_id == course.id)
    )
