"""The leader's and the chef's pages over HTTP, on both databases: who sees what, what a
bad form says and keeps, and that a page's SQL does not grow with the data.

The permission matrix of the web adapter: every page with personal data, for a visitor
who is not logged in, the leader themself, the chef above, a chef elsewhere and HR.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.models import CourseStatus, Enrolment, EnrolmentStatus
from catalogue.settings import Settings
from tests.api.test_sql_counts import counted_statements
from tests.enrolment.factories import Org, load_org, make_run, new_leader, stored_enrolment
from tests.web.test_login import csrf_of, log_in

DEMO = "@demo.ltk.example"


@pytest.fixture
def org(session: Session) -> Org:
    return load_org(session)


@pytest.fixture
def browser_for(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session], session: Session
) -> Iterator[object]:
    """``browser_for(email)``: a logged-in client of its own (cookies apart)."""
    clients: list[TestClient] = []

    def make(email: str | None) -> TestClient:
        client = TestClient(create_app(settings, engine=engine, session_factory=session_factory))
        client.__enter__()
        clients.append(client)
        if email is not None:
            log_in(client, session, email)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


# --- who sees what ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/mine/tilmeldinger", "/mine/fremskridt", "/team", "/godkendelser"]
)
def test_personal_pages_send_a_visitor_to_log_in(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/log-ind?next={path}"


@pytest.mark.parametrize("path", ["/team", "/godkendelser"])
def test_a_leader_has_no_team_pages(browser_for: object, org: Org, path: str) -> None:
    leader = browser_for(org.leader.email)  # type: ignore[operator]
    response = leader.get(path)
    assert response.status_code == 403
    assert "Din rolle giver ikke adgang til denne side." in response.text


def test_a_chef_sees_the_team_and_only_the_team(
    browser_for: object, org: Org, session: Session
) -> None:
    chef = browser_for(org.chef.email)  # type: ignore[operator]
    team = chef.get("/team").text
    assert org.leader.name in team
    assert org.peer.name in team
    assert org.other_leader.name not in team
    assert chef.get(f"/team/{org.leader.id}").status_code == 200
    outside = chef.get(f"/team/{org.other_leader.id}")
    unknown = chef.get("/team/99999999")
    assert outside.status_code == unknown.status_code == 404
    assert outside.text.count("Personen findes ikke i dit team.") == 1


def test_a_team_member_page_shows_their_enrolments(
    browser_for: object, org: Org, session: Session
) -> None:
    run = make_run(session)
    stored_enrolment(session, run, org.leader, EnrolmentStatus.ENROLLED)
    session.commit()
    page = browser_for(org.chef.email).get(f"/team/{org.leader.id}").text  # type: ignore[operator]
    assert run.course.title in page
    other = browser_for(org.other_chef.email).get(f"/team/{org.leader.id}")  # type: ignore[operator]
    assert other.status_code == 404
    assert run.course.title not in other.text


def test_my_enrolments_are_mine_alone(browser_for: object, org: Org, session: Session) -> None:
    run = make_run(session)
    mine = stored_enrolment(session, run, org.leader, EnrolmentStatus.ENROLLED)
    session.commit()
    assert run.course.title in browser_for(org.leader.email).get("/mine/tilmeldinger").text  # type: ignore[operator]
    peer = browser_for(org.peer.email)  # type: ignore[operator]
    assert run.course.title not in peer.get("/mine/tilmeldinger").text
    # The calendar file of someone else's enrolment is the same 404 as an id that is no one's.
    theirs = peer.get(f"/mine/tilmeldinger/{mine.id}.ics")
    nobody = peer.get("/mine/tilmeldinger/99999999.ics")
    assert theirs.status_code == nobody.status_code == 404
    own = browser_for(org.leader.email).get(f"/mine/tilmeldinger/{mine.id}.ics")  # type: ignore[operator]
    assert own.status_code == 200
    assert own.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in own.text


def test_withdrawing_someone_elses_enrolment_changes_nothing(
    browser_for: object, org: Org, session: Session
) -> None:
    run = make_run(session)
    theirs = stored_enrolment(session, run, org.leader, EnrolmentStatus.ENROLLED)
    session.commit()
    peer = browser_for(org.peer.email)  # type: ignore[operator]
    token = csrf_of(peer.get("/mine/tilmeldinger").text)
    response = peer.post(f"/mine/tilmeldinger/{theirs.id}/afmeld", data={"csrf_token": token})
    assert response.status_code == 400
    assert "Tilmeldingen findes ikke." in response.text
    session.expire_all()
    assert session.get(Enrolment, theirs.id).status is EnrolmentStatus.ENROLLED  # type: ignore[union-attr]


def test_a_chef_elsewhere_cannot_approve(browser_for: object, org: Org, session: Session) -> None:
    run = make_run(session, approval_required=True)
    request = stored_enrolment(session, run, org.leader, EnrolmentStatus.REQUESTED)
    session.commit()
    other = browser_for(org.other_chef.email)  # type: ignore[operator]
    assert org.leader.name not in other.get("/godkendelser").text
    token = csrf_of(other.get("/").text)
    response = other.post(f"/godkendelser/{request.id}/godkend", data={"csrf_token": token})
    assert response.status_code == 400
    session.expire_all()
    assert session.get(Enrolment, request.id).status is EnrolmentStatus.REQUESTED  # type: ignore[union-attr]


def test_the_chef_approves_once_and_a_second_click_stores_nothing(
    browser_for: object, org: Org, session: Session
) -> None:
    run = make_run(session, approval_required=True)
    request = stored_enrolment(session, run, org.leader, EnrolmentStatus.REQUESTED)
    session.commit()
    chef = browser_for(org.chef.email)  # type: ignore[operator]
    queue = chef.get("/godkendelser").text
    assert f"Godkend {org.leader.name}" in queue
    token = csrf_of(queue)
    first = chef.post(f"/godkendelser/{request.id}/godkend", data={"csrf_token": token})
    assert "Tilmeldingen er godkendt." in first.text
    second = chef.post(f"/godkendelser/{request.id}/godkend", data={"csrf_token": token})
    assert second.status_code == 400
    assert "kan ikke godkendes" in second.text
    session.expire_all()
    assert session.get(Enrolment, request.id).status is EnrolmentStatus.ENROLLED  # type: ignore[union-attr]


def test_rejecting_needs_a_reason_and_keeps_what_was_typed(
    browser_for: object, org: Org, session: Session
) -> None:
    run = make_run(session, approval_required=True)
    request = stored_enrolment(session, run, org.leader, EnrolmentStatus.REQUESTED)
    session.commit()
    chef = browser_for(org.chef.email)  # type: ignore[operator]
    token = csrf_of(chef.get("/godkendelser").text)
    blank = chef.post(
        f"/godkendelser/{request.id}/afvis", data={"csrf_token": token, "reason": "  "}
    )
    assert blank.status_code == 400
    assert f'id="reason-{request.id}-error"' in blank.text
    control = chef.post(
        f"/godkendelser/{request.id}/afvis", data={"csrf_token": token, "reason": "Nej\x1b[31m tak"}
    )
    assert control.status_code == 400
    assert "styretegn (U+001B)" in control.text
    session.expire_all()
    assert session.get(Enrolment, request.id).status is EnrolmentStatus.REQUESTED  # type: ignore[union-attr]


def test_a_draft_course_is_no_page_for_a_leader_but_is_for_hr(
    browser_for: object, org: Org, session: Session
) -> None:
    run = make_run(session, status=CourseStatus.DRAFT)
    session.commit()
    leader = browser_for(org.leader.email)  # type: ignore[operator]
    assert leader.get(f"/kurser/{run.course_id}").status_code == 404
    hr = browser_for("nanna.stougaard" + DEMO)  # type: ignore[operator]
    page = hr.get(f"/kurser/{run.course_id}")
    assert page.status_code == 200
    assert "Kladde" in page.text


# --- forms: the service's words at the field, what was typed kept, nothing stored ----------


def _enrol_form(client: TestClient, course_id: int) -> str:
    page = client.get(f"/kurser/{course_id}")
    assert page.status_code == 200
    return csrf_of(page.text)


def _enrolments_of(session: Session, person_id: int) -> int:
    return len(session.scalars(select(Enrolment).where(Enrolment.person_id == person_id)).all())


@pytest.mark.parametrize(
    ("motivation", "message"),
    [
        ("Jeg vil\x00 lære", "styretegn (U+0000)"),
        ("x" * 2001, "Motivationen må højst være 2000 tegn."),
        ("Se \u202eher", "vender skriveretningen"),
    ],
)
def test_a_bad_motivation_is_told_at_the_field_and_kept(
    browser_for: object, org: Org, session: Session, motivation: str, message: str
) -> None:
    run = make_run(session, primary=["K3.2"])
    session.commit()
    leader = browser_for(org.leader.email)  # type: ignore[operator]
    before = _enrolments_of(session, org.leader.id)
    response = leader.post(
        f"/kurser/{run.course_id}/tilmeld",
        data={
            "csrf_token": _enrol_form(leader, run.course_id),
            "run_id": run.id,
            "motivation": motivation,
            "focus": "K3.2",
        },
    )
    assert response.status_code == 400
    field_error = re.search(r'id="motivation-error">(.*?)</span>\s*<textarea', response.text, re.S)
    assert field_error is not None
    assert message in field_error.group(1)
    assert "Der er problemer med formularen" in response.text
    # What was typed comes back (escaped), and the focus statement stays ticked.
    typed = re.search(r'<textarea[^>]*id="motivation"[^>]*>(.*?)</textarea>', response.text, re.S)
    assert typed is not None
    assert html.unescape(typed.group(1)) == motivation
    assert re.search(r'value="K3.2" checked', response.text)
    assert _enrolments_of(session, org.leader.id) == before


def test_a_run_of_another_course_is_refused(
    browser_for: object, org: Org, session: Session
) -> None:
    run = make_run(session)
    other = make_run(session)
    session.commit()
    leader = browser_for(org.leader.email)  # type: ignore[operator]
    before = _enrolments_of(session, org.leader.id)
    response = leader.post(
        f"/kurser/{run.course_id}/tilmeld",
        data={"csrf_token": _enrol_form(leader, run.course_id), "run_id": other.id},
    )
    assert response.status_code == 400
    assert "Vælg et af kursets hold." in response.text
    assert _enrolments_of(session, org.leader.id) == before


@pytest.mark.parametrize("run_id", ["", "abc", "-1", "99999999", "1" * 30])
def test_a_forged_run_id_is_a_message_not_an_error(
    browser_for: object, org: Org, session: Session, run_id: str
) -> None:
    run = make_run(session)
    session.commit()
    leader = browser_for(org.leader.email)  # type: ignore[operator]
    response = leader.post(
        f"/kurser/{run.course_id}/tilmeld",
        data={"csrf_token": _enrol_form(leader, run.course_id), "run_id": run_id},
    )
    assert response.status_code == 400
    assert "Vælg et af kursets hold." in response.text


def test_a_forged_focus_statement_is_told_at_the_focus_field(
    browser_for: object, org: Org, session: Session
) -> None:
    run = make_run(session, primary=["K3.2"])
    session.commit()
    leader = browser_for(org.leader.email)  # type: ignore[operator]
    response = leader.post(
        f"/kurser/{run.course_id}/tilmeld",
        data={"csrf_token": _enrol_form(leader, run.course_id), "run_id": run.id, "focus": "K9.9"},
    )
    assert response.status_code == 400
    assert 'id="focus-error"' in response.text
    assert "Ukendte udsagn i kompetenceprofilen: K9.9." in response.text


def test_enrolling_twice_stores_one_enrolment(
    browser_for: object, org: Org, session: Session
) -> None:
    run = make_run(session)
    session.commit()
    leader = browser_for(org.leader.email)  # type: ignore[operator]
    token = _enrol_form(leader, run.course_id)
    before = _enrolments_of(session, org.leader.id)
    data = {"csrf_token": token, "run_id": run.id, "motivation": "Samme to gange"}
    for _ in range(2):
        response = leader.post(f"/kurser/{run.course_id}/tilmeld", data=data)
        assert "Du er tilmeldt holdet." in response.text
    assert _enrolments_of(session, org.leader.id) == before + 1


def test_search_shows_the_services_message_at_the_field(client: TestClient) -> None:
    response = client.get("/kurser?udsagn=K9.9")
    assert response.status_code == 400
    assert "Den gældende kompetenceprofil har ingen nøgle «K9.9»" in response.text
    assert 'id="udsagn-error"' in response.text
    long = client.get("/kurser?q=" + "ord " * 60)
    assert long.status_code == 400
    assert "Søgeteksten må højst være 200 tegn." in long.text
    assert 'id="q-error"' in long.text


# --- the SQL of a page does not grow with the data ------------------------------------------


def _count(client: TestClient, connection: Connection, path: str) -> int:
    with counted_statements(connection) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_team_page_sql_does_not_grow_with_the_team(
    browser_for: object, org: Org, session: Session, connection: Connection
) -> None:
    chef = browser_for(org.chef.email)  # type: ignore[operator]
    _count(chef, connection, "/team")  # warm: the first request reads what is cached after
    before = _count(chef, connection, "/team")
    for number in range(4):
        person = new_leader(session, org.chef, name=f"Ny leder {number}")
        stored_enrolment(
            session, make_run(session, primary=["K1.1"]), person, EnrolmentStatus.COMPLETED
        )
    session.commit()
    assert _count(chef, connection, "/team") == before


def test_search_and_start_page_sql_does_not_grow_with_the_catalogue(
    browser_for: object, org: Org, session: Session, connection: Connection
) -> None:
    leader = browser_for(org.leader.email)  # type: ignore[operator]
    paths = ["/kurser?udsagn=K3.2", "/", "/profil", "/mine/tilmeldinger"]
    for path in paths:
        _count(leader, connection, path)
    before = {path: _count(leader, connection, path) for path in paths}
    for _ in range(4):
        run = make_run(session, primary=["K3.2"])
        stored_enrolment(session, run, org.leader, EnrolmentStatus.ENROLLED)
    session.commit()
    assert {path: _count(leader, connection, path) for path in paths} == before


def test_a_mistyped_address_is_a_danish_page_for_a_browser_and_json_for_a_program(
    client: TestClient,
) -> None:
    page = client.get("/kurserr", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="da">' in page.text
    program = client.get("/kurserr", headers={"Accept": "application/json"})
    assert program.status_code == 404
    assert program.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    api = client.get("/graphql/nope", headers={"Accept": "text/html"})
    assert api.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    ("query", "criteria"),
    [
        ("udsagn=K3.2", {"statement_key": "K3.2"}),
        ("felt=K5", {"field_key": "K5"}),
        ("tema=T1", {"theme_key": "T1"}),
        ("type=E_LEARNING&type=NETWORK", {"kinds": ["E_LEARNING", "NETWORK"]}),
        ("ledige=1", {"has_free_seats": True}),
        ("q=konflikt", {"search": "konflikt"}),
        (
            "fra=2027-01-01&til=2027-03-31",
            {"starts_after": "2027-01-01", "starts_before": "2027-04-01"},
        ),
    ],
)
def test_each_filter_of_the_search_form_reaches_the_search_service(
    client: TestClient, session: Session, query: str, criteria: dict[str, object]
) -> None:
    from datetime import UTC, datetime

    from catalogue.models import CourseKind
    from catalogue.services.course_search import CourseFilter, course_search_statement

    given: dict[str, object] = dict(criteria)
    if "kinds" in given:
        given["kinds"] = [CourseKind(kind) for kind in given["kinds"]]  # type: ignore[attr-defined]
    for key in ("starts_after", "starts_before"):
        if key in given:
            given[key] = datetime.fromisoformat(str(given[key])).replace(tzinfo=UTC)
    expected = {
        course.title
        for course in session.scalars(
            course_search_statement(session, CourseFilter(**given), viewer=None)  # type: ignore[arg-type]
        )
    }
    page = client.get(f"/kurser?{query}")
    assert page.status_code == 200
    shown = {
        html.unescape(t)
        for t in re.findall(r'<h3 class="h4"><a href="/kurser/\d+">([^<]+)</a>', page.text)
    }
    assert shown == expected
    assert expected  # the demo data has courses for every filter tried here
