"""HR's course screens over HTTP on both databases: the list, the editor, its forms' errors.

Each form is posted as a browser would (CSRF token from the page). A failed form is
shown again with what was typed and the service's Danish message at the field, and
nothing is stored; a repeated submit stores nothing twice; a stale edit is a conflict.
"""

from __future__ import annotations

import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from catalogue.app import create_app
from catalogue.models import (
    Activity,
    AuditLogEntry,
    CompetenceLink,
    Course,
    CourseKind,
    CourseRun,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
)
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction
from catalogue.settings import Settings
from tests.web.hr_client import (
    HR,
    LEADER,
    field_message,
    field_value,
    hr_person_id,
    log_in_as_hr,
    post_form,
)
from tests.web.test_login import csrf_of, log_in

NEW = "/hr/kurser/nyt"


def _count(session: Session, model: type[object], *where: object) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def _create(client: TestClient, title: str, **extra: str) -> int:
    response = post_form(client, NEW, NEW, {"title": title, "kind": "SHORT_COURSE", **extra})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("/")[3].split("?")[0])


HR_PAGES = ("/hr/kurser", NEW, "/hr/daekning", "/hr/log", "/hr/synkronisering")
CHEF = "mette.kjaergaard@demo.ltk.example"
ADMIN = "mads.iversen@demo.ltk.example"


@pytest.mark.parametrize("email", [LEADER, CHEF])
def test_leaders_and_chefs_get_no_hr_page(client: TestClient, session: Session, email: str) -> None:
    log_in(client, session, email)
    for path in HR_PAGES:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Din rolle giver ikke adgang til denne side." in response.text
    start = client.get("/").text
    for entry in ("Kurser (HR)", "Dækning", "Revisionslog", "Synkronisering"):
        assert entry not in start


@pytest.mark.parametrize("email", [HR, ADMIN])
def test_hr_and_admin_have_the_hr_pages_in_their_menu(
    client: TestClient, session: Session, email: str
) -> None:
    log_in(client, session, email)
    start = client.get("/").text
    for entry, path in (("Kurser (HR)", "/hr/kurser"), ("Revisionslog", "/hr/log")):
        assert f'href="{path}"' in start
        assert entry in start
    for path in HR_PAGES:
        assert client.get(path).status_code == 200, path


def test_logged_out_hr_pages_ask_for_login(client: TestClient) -> None:
    response = client.get("/hr/kurser", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/log-ind?next=/hr/kurser"


def test_a_leader_cannot_post_an_hr_form(client: TestClient, session: Session) -> None:
    log_in(client, session, LEADER)
    before = _count(session, Course)
    response = post_form(client, "/", NEW, {"title": "Forsøg", "kind": "SHORT_COURSE"})
    assert response.status_code == 403
    assert _count(session, Course) == before


def test_hr_creates_a_draft_and_sees_it_in_the_editor(client: TestClient, session: Session) -> None:
    log_in_as_hr(client, session)
    course_id = _create(client, "Svære samtaler – for nye ledere", ects="2,5")
    page = client.get(f"/hr/kurser/{course_id}?besked=kursus-oprettet")
    assert "Kurset er oprettet som kladde." in page.text
    assert field_value(page.text, "title") == "Svære samtaler – for nye ledere"
    assert field_value(page.text, "ects") == "2,5"
    course = session.get(Course, course_id)
    assert course is not None
    assert course.status is CourseStatus.DRAFT
    assert course.ects == 2.5


def test_a_failed_create_keeps_what_was_typed_and_says_what_is_wrong(
    client: TestClient, session: Session
) -> None:
    log_in_as_hr(client, session)
    before = _count(session, Course)
    response = post_form(
        client,
        NEW,
        NEW,
        {
            "title": "  ",
            "summary": "Et resumé med æøå og »citat«",
            "kind": "",
            "ects": "to",
            "price_dkk": "-5",
        },
    )
    assert response.status_code == 400
    html = response.text
    assert field_message(html, "title") == "Titlen skal udfyldes."
    assert field_message(html, "kind") == "Vælg en slags tilbud (kind)."
    assert field_message(html, "ects") == "ECTS skal være et tal, fx 7,5."
    assert field_message(html, "price_dkk") == "Prisen skal være mindst 0."
    assert field_value(html, "summary") == "Et resumé med æøå og »citat«"
    assert field_value(html, "ects") == "to"
    assert "Der er problemer med formularen" in html
    assert _count(session, Course) == before


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Ledelse\x00i praksis", "Feltet må ikke indeholde NUL-tegnet (U+0000)."),
        ("Ledelse\x07i praksis", "Titlen indeholder et styretegn (U+0007)"),
        ("x" * 301, "Titlen må højst være 300 tegn (er 301)."),
    ],
)
def test_bad_text_is_refused_at_its_field(
    client: TestClient, session: Session, title: str, message: str
) -> None:
    log_in_as_hr(client, session)
    before = _count(session, Course)
    response = post_form(client, NEW, NEW, {"title": title, "kind": "SHORT_COURSE"})
    assert response.status_code == 400
    assert message in field_message(response.text, "title")
    assert _count(session, Course) == before


def test_a_huge_field_is_refused_not_stored(client: TestClient, session: Session) -> None:
    log_in_as_hr(client, session)
    before = _count(session, Course)
    response = post_form(
        client, NEW, NEW, {"title": "Stort resumé", "kind": "NETWORK", "summary": "a" * 30_000}
    )
    assert response.status_code == 400
    assert "Feltet må højst være 20000 tegn." in field_message(response.text, "summary")
    assert _count(session, Course) == before


def test_the_same_create_twice_stores_one_course(client: TestClient, session: Session) -> None:
    log_in_as_hr(client, session)
    form = {"title": "Dobbeltklik-kurset", "kind": "EVENT"}
    assert post_form(client, NEW, NEW, form).status_code == 303
    again = post_form(client, NEW, NEW, form)
    assert again.status_code == 400
    assert "Der findes allerede et kursus med titlen »Dobbeltklik-kurset«" in field_message(
        again.text, "title"
    )
    assert _count(session, Course, Course.title == "Dobbeltklik-kurset") == 1


def test_an_edit_over_a_colleagues_is_a_conflict_in_danish(
    client: TestClient, session: Session
) -> None:
    log_in_as_hr(client, session)
    course_id = _create(client, "Konfliktkurset")
    editor = client.get(f"/hr/kurser/{course_id}").text
    stamp = field_value(editor, "expected_updated_at")
    # A colleague saves first.
    first = post_form(
        client,
        f"/hr/kurser/{course_id}",
        f"/hr/kurser/{course_id}",
        {"title": "Konfliktkurset", "kind": "EVENT", "expected_updated_at": stamp},
    )
    assert first.status_code == 303
    mine = post_form(
        client,
        f"/hr/kurser/{course_id}",
        f"/hr/kurser/{course_id}",
        {"title": "Min titel", "kind": "NETWORK", "expected_updated_at": stamp},
    )
    assert mine.status_code == 400
    assert "Kurset er ændret af en anden, siden du hentede det" in field_message(mine.text, "title")
    assert field_value(mine.text, "title") == "Min titel"
    course = session.get(Course, course_id)
    assert course is not None
    session.refresh(course)
    assert course.title == "Konfliktkurset"
    assert course.kind is CourseKind.EVENT


def test_publish_and_archive_from_the_list_keep_its_filter(
    client: TestClient, session: Session
) -> None:
    log_in_as_hr(client, session)
    course_id = _create(client, "Udgiv mig")
    back = "/hr/kurser?status=DRAFT&side=1"
    response = post_form(client, back, f"/hr/kurser/{course_id}/udgiv", {"next": back})
    assert response.status_code == 303
    assert response.headers["location"] == back + "&besked=udgivet"
    assert "Kurset er udgivet" in client.get(response.headers["location"]).text
    # Publishing twice changes nothing and writes no second entry.
    post_form(client, back, f"/hr/kurser/{course_id}/udgiv", {"next": back})
    published = _count(
        session,
        AuditLogEntry,
        AuditLogEntry.entity_id == course_id,
        AuditLogEntry.action == AuditAction.COURSE_PUBLISHED.value,
    )
    assert published == 1
    response = post_form(
        client, back, f"/hr/kurser/{course_id}/arkiver", {"next": "//evil.example/"}
    )
    assert response.headers["location"] == f"/hr/kurser/{course_id}?besked=arkiveret"
    course = session.get(Course, course_id)
    assert course is not None
    session.refresh(course)
    assert course.status is CourseStatus.ARCHIVED


def test_archiving_a_course_with_participants_names_the_runs(
    client: TestClient, session: Session
) -> None:
    log_in_as_hr(client, session)
    run = session.scalars(
        select(CourseRun)
        .join(CourseRun.course)
        .where(Course.status == CourseStatus.PUBLISHED, CourseRun.cancelled_at.is_(None))
        .where(
            CourseRun.id.in_(
                select(Enrolment.course_run_id).where(
                    Enrolment.status.in_([EnrolmentStatus.ENROLLED, EnrolmentStatus.APPROVED])
                )
            )
        )
        .where(CourseRun.ends_at > utcnow())
    ).first()
    assert run is not None, "demo-data har et hold med deltagere"
    page = f"/hr/kurser/{run.course_id}"
    response = post_form(client, page, f"{page}/arkiver", {"reason": "Udgår"})
    assert response.status_code == 400
    assert "Kurset kan ikke arkiveres, mens hold" in field_message(response.text, "reason")
    assert field_value(response.text, "reason") == "Udgår"
    session.refresh(run.course)
    assert run.course.status is CourseStatus.PUBLISHED


@pytest.mark.parametrize("path", ["/hr/kurser/999999999", "/hr/kurser/abc", "/hr/kurser/-1"])
def test_an_unknown_course_is_a_danish_404(client: TestClient, session: Session, path: str) -> None:
    log_in_as_hr(client, session)
    response = client.get(path)
    assert response.status_code == 404
    assert "Kurset findes ikke." in response.text


def test_a_forged_course_id_in_a_form_stores_nothing(client: TestClient, session: Session) -> None:
    log_in_as_hr(client, session)
    before = _count(session, Activity)
    response = post_form(
        client,
        "/hr/kurser",
        "/hr/kurser/99999999/aktiviteter",
        {"activity_title": "Modul 1", "activity_kind": "MODULE"},
    )
    assert response.status_code == 404
    assert _count(session, Activity) == before


def test_the_list_pages_and_filters(client: TestClient, session: Session) -> None:
    log_in_as_hr(client, session)
    for index in range(55):
        session.add(
            Course(code=f"PAGING-{index}", title=f"Sidekursus {index:02d}", kind=CourseKind.EVENT)
        )
    session.commit()
    first = client.get("/hr/kurser?status=DRAFT&q=Sidekursus")
    assert first.status_code == 200
    assert "Side 1 af 2 (55 i alt)" in first.text
    assert "Sidekursus 00" in first.text
    assert "Sidekursus 54" not in first.text
    second = client.get("/hr/kurser?status=DRAFT&q=Sidekursus&side=2")
    assert "Sidekursus 54" in second.text
    assert "Sidekursus 00" not in second.text
    published = client.get("/hr/kurser?status=PUBLISHED&q=Sidekursus")
    assert "Sidekursus" not in published.text.split("<tbody>")[1]
    too_long = client.get("/hr/kurser?q=" + "x" * 201)
    assert too_long.status_code == 400
    assert "Søgeteksten må højst være 200 tegn." in field_message(too_long.text, "q")


def test_activity_run_and_link_forms(client: TestClient, session: Session) -> None:
    log_in_as_hr(client, session)
    course_id = _create(client, "Kursus med dele")
    editor = f"/hr/kurser/{course_id}"
    added = post_form(
        client,
        editor,
        f"{editor}/aktiviteter",
        {"activity_title": "Modul 1", "activity_kind": "MODULE", "activity_required": "on"},
    )
    assert added.status_code == 303
    again = post_form(
        client,
        editor,
        f"{editor}/aktiviteter",
        {"activity_title": "Modul 1", "activity_kind": "MODULE"},
    )
    assert again.status_code == 400
    assert "Kurset har allerede en aktivitet med titlen »Modul 1«." in field_message(
        again.text, "activity_title"
    )
    assert _count(session, Activity, Activity.course_id == course_id) == 1

    bad_run = post_form(
        client,
        editor,
        f"{editor}/hold",
        {"starts_at": "2099-03-02T09:00", "ends_at": "2099-03-01T09:00", "location": "Rådhuset"},
    )
    assert bad_run.status_code == 400
    assert "Holdet skal slutte efter, at det starter" in field_message(bad_run.text, "ends_at")
    assert field_value(bad_run.text, "location") == "Rådhuset"
    run = post_form(
        client,
        editor,
        f"{editor}/hold",
        {"starts_at": "2099-03-01T09:00", "ends_at": "2099-03-02T16:00", "capacity": "12"},
    )
    assert run.status_code == 303
    run_page = run.headers["location"].split("?")[0]
    sessions = post_form(
        client,
        run_page,
        run_page,
        {
            "starts_at": "2099-03-01T09:00",
            "ends_at": "2099-03-02T16:00",
            "capacity": "12",
            "session_rows": "2",
            "session-0-day": "2099-03-01",
            "session-0-starts": "09:00",
            "session-0-ends": "16:00",
            "session-1-day": "2099-03-05",
            "session-1-starts": "09:00",
            "session-1-ends": "12:00",
            "session-1-title": "Udenfor",
        },
    )
    assert sessions.status_code == 400
    assert "inden for holdets" in field_message(sessions.text, "session-1-starts") + field_message(
        sessions.text, "session-1-ends"
    )
    assert field_value(sessions.text, "session-1-title") == "Udenfor"

    link = post_form(
        client,
        editor,
        f"{editor}/koblinger",
        {"statement_key": "K3.2", "strength": "PRIMARY", "rationale": "Træner samtalen."},
    )
    assert link.status_code == 303
    twice = post_form(
        client,
        editor,
        f"{editor}/koblinger",
        {"statement_key": "K3.2", "strength": "PRIMARY", "rationale": "Træner samtalen."},
    )
    assert twice.status_code == 400
    assert "Udsagnet K3.2 er allerede linket hertil" in field_message(twice.text, "statement_key")
    unknown = post_form(
        client,
        editor,
        f"{editor}/koblinger",
        {"statement_key": "K9.9", "strength": "", "rationale": ""},
    )
    assert unknown.status_code == 400
    assert "findes ikke i den gældende profil" in field_message(unknown.text, "statement_key")
    assert (
        field_message(unknown.text, "strength") == "Vælg, om koblingen er primær eller støttende."
    )
    assert field_message(unknown.text, "rationale") == "Begrundelsen skal udfyldes."
    other = session.scalars(select(Activity).where(Activity.course_id != course_id)).first()
    assert other is not None
    forged = post_form(
        client,
        editor,
        f"{editor}/koblinger",
        {"statement_key": "K1.2", "target": str(other.id), "strength": "PRIMARY", "rationale": "X"},
    )
    assert forged.status_code == 400
    assert field_message(forged.text, "target") == "Aktiviteten hører ikke til kurset."
    live = _count(
        session,
        CompetenceLink,
        CompetenceLink.course_id == course_id,
        CompetenceLink.removed_at.is_(None),
    )
    assert live == 1


def _editor_link(html: str, prefix: str) -> str:
    found = re.search(rf'href="({re.escape(prefix)}\d+)"', html)
    assert found, f"editoren har intet link til {prefix}"
    return found.group(1)


def test_parts_are_changed_on_their_own_pages(client: TestClient, session: Session) -> None:
    log_in_as_hr(client, session)
    course_id = _create(client, "Kursus med ændringer")
    editor = f"/hr/kurser/{course_id}"
    post_form(
        client,
        editor,
        f"{editor}/aktiviteter",
        {"activity_title": "Modul A", "activity_kind": "MODULE", "activity_required": "on"},
    )
    post_form(
        client,
        editor,
        f"{editor}/koblinger",
        {"statement_key": "K1.1", "strength": "SUPPORTING", "rationale": "Første tanke."},
    )
    run = post_form(
        client,
        editor,
        f"{editor}/hold",
        {"starts_at": "2099-05-01T09:00", "ends_at": "2099-05-03T15:00", "capacity": "8"},
    )
    run_page = run.headers["location"].split("?")[0]
    html = client.get(editor).text

    activity_page = _editor_link(html, "/hr/aktiviteter/")
    saved = post_form(
        client,
        activity_page,
        activity_page,
        {"activity_title": "Modul A – ny titel", "activity_kind": "E_LEARNING"},
    )
    assert saved.status_code == 303
    activity = session.scalars(select(Activity).where(Activity.course_id == course_id)).one()
    session.refresh(activity)
    assert (activity.title, activity.required) == ("Modul A – ny titel", False)
    archived = post_form(client, activity_page, f"{activity_page}/arkiver", {})
    assert archived.status_code == 303
    session.refresh(activity)
    assert activity.archived_at is not None

    link_page = _editor_link(html, "/hr/koblinger/")
    stamp = field_value(client.get(link_page).text, "expected_updated_at")
    first = post_form(
        client,
        link_page,
        link_page,
        {"strength": "PRIMARY", "rationale": "Bygger udsagnet op.", "expected_updated_at": stamp},
    )
    assert first.status_code == 303
    stale = post_form(
        client,
        link_page,
        link_page,
        {"strength": "SUPPORTING", "rationale": "Min ændring.", "expected_updated_at": stamp},
    )
    assert stale.status_code == 400
    assert "Koblingen er ændret af en anden" in field_message(stale.text, "rationale")
    assert field_value(stale.text, "rationale") == "Min ændring."
    link = session.scalars(
        select(CompetenceLink).where(CompetenceLink.course_id == course_id)
    ).one()
    session.refresh(link)
    assert link.rationale == "Bygger udsagnet op."
    removed = post_form(client, editor, f"{link_page}/fjern", {})
    assert removed.status_code == 303
    session.refresh(link)
    assert link.removed_at is not None
    # A second click on "Fjern" removes nothing more and says the link is gone.
    again = post_form(client, editor, f"{link_page}/fjern", {})
    assert again.status_code == 400
    assert "Linket findes ikke." in again.text

    sessions = {
        "starts_at": "2099-05-01T09:00",
        "ends_at": "2099-05-03T15:00",
        "capacity": "8",
        "session_rows": "3",
        "session-0-day": "2099-05-01",
        "session-0-starts": "09:00",
        "session-0-ends": "15:00",
        "session-2-day": "2099-05-03",
        "session-2-starts": "09:00",
        "session-2-ends": "15:00",
        "session-2-title": "Opfølgning",
    }
    assert post_form(client, run_page, run_page, sessions).status_code == 303
    assert post_form(client, run_page, run_page, sessions).status_code == 303  # same list again
    stored = session.scalars(select(CourseRun).where(CourseRun.course_id == course_id)).one()
    session.refresh(stored)
    # 09:00 Danish summer time is 07:00 UTC; the empty middle row added nothing.
    assert [(s.title, s.starts_at.hour) for s in stored.sessions] == [(None, 7), ("Opfølgning", 7)]
    shown = client.get(run_page).text
    assert field_value(shown, "session-1-title") == "Opfølgning"
    assert field_value(shown, "session-0-starts") == "09:00"
    cancelled = post_form(client, run_page, f"{run_page}/aflys", {"reason": "For få tilmeldte"})
    assert cancelled.status_code == 303
    session.refresh(stored)
    assert stored.cancelled_at is not None


def test_a_double_click_at_the_same_moment_stores_one_course(settings: Settings) -> None:
    """Two posts of one form at once, on the real database (no rolled-back test transaction).

    PostgreSQL only: on SQLite two deferred write transactions at once make one fail with
    "database is locked" (a 500) before any rule is asked; that is the database layer's
    (``db.py`` begins with a plain BEGIN), not the form's, and is reported, not hidden here.
    """
    if not settings.database_url.get_secret_value().startswith("postgresql"):
        pytest.skip("SQLite: samtidige skrivninger giver 'database is locked' (db.py, BEGIN)")
    title = f"Samtidigt kursus {uuid.uuid4().hex[:8]}"
    app = create_app(settings)
    engine = app.state.session_factory.kw["bind"]
    try:
        with TestClient(app) as first, TestClient(app) as second:
            with app.state.session_factory() as own:
                hr = hr_person_id(own)
            login = csrf_of(first.get("/log-ind").text)
            first.post("/log-ind/demo", data={"csrf_token": login, "person_id": str(hr)})
            token = csrf_of(first.get(NEW).text)
            second.cookies = first.cookies
            barrier = threading.Barrier(2)
            data = {"csrf_token": token, "title": title, "kind": "EVENT"}

            def post(client: TestClient) -> int:
                barrier.wait()
                return client.post(NEW, data=data, follow_redirects=False).status_code

            with ThreadPoolExecutor(max_workers=2) as pool:
                statuses = sorted(pool.map(post, (first, second)))
        assert statuses == [303, 400]
        with engine.connect() as connection:
            stored = connection.scalar(
                select(func.count()).select_from(Course).where(Course.title == title)
            )
        assert stored == 1
    finally:
        with engine.begin() as connection:
            ids = select(Course.id).where(Course.title == title).scalar_subquery()
            connection.execute(delete(AuditLogEntry).where(AuditLogEntry.course_id.in_(ids)))
            connection.execute(delete(Course).where(Course.title == title))
        engine.dispose()
