"""HR's overviews over HTTP on both databases: coverage, the audit log, the sync runs.

The sync test starts a run from the page, runs it as ``catalogue sync`` does (by its
task id) against the Moodle simulator with a fault, and reads the run's error back on
the page. The SQL-count tests check that the pages read a fixed number of statements
however many courses and entries there are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.models import Course, CourseKind, SyncKind, SyncRun, SyncStatus
from catalogue.services.coverage import competence_coverage
from catalogue.services.profiles import current_profile
from catalogue.settings import Settings
from tests.api.test_sql_counts import counted_statements
from tests.fakes.moodle import MoodleSimulator
from tests.web.hr_client import field_message, log_in_as_hr, post_form
from tests.workers.sync.conftest import MoodleSite, http, lms_settings, moodle_site, sim
from workers.runtime import execute_sync

__all__ = ["http", "lms_settings", "moodle_site", "sim"]  # fixtures shared with the sync tests

SYNC = "/hr/synkronisering"


def _table_rows(html: str) -> list[str]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_coverage_lists_the_gaps_first_with_the_same_numbers_as_the_service(
    client: TestClient, session: Session
) -> None:
    log_in_as_hr(client, session)
    response = client.get("/hr/daekning")
    assert response.status_code == 200
    profile = current_profile(session)
    assert profile is not None
    coverage = competence_coverage(session, profile_id=profile.id)
    rows = _table_rows(response.text)
    assert len(rows) == len(coverage) == 39
    gaps = [entry for entry in coverage if entry.is_gap]
    assert f"{len(gaps)} af 39 udsagn" in response.text
    marks = [re.search(r'data-title="Hul">(Ja|Nej)<', row).group(1) for row in rows]  # type: ignore[union-attr]
    assert marks == ["Ja"] * len(gaps) + ["Nej"] * (39 - len(gaps))
    for row, entry in zip(rows, coverage, strict=True):
        assert f"<strong>{entry.statement.key}</strong>" in row
        primary = re.search(r'data-title="Primære kurser">([^<]*)<', row)
        assert primary is not None
        assert int(primary.group(1)) == len(set(entry.primary_course_ids))
    # The heatmap is decoration with one row per statement; the table carries the data.
    svg = response.text.split("<svg")[1].split("</svg>")[0]
    assert 'aria-hidden="true"' in svg
    assert svg.count('class="heatmap-cell"') == 39 * 5


def test_the_audit_log_shows_hrs_change_and_filters(client: TestClient, session: Session) -> None:
    log_in_as_hr(client, session)
    created = post_form(
        client, "/hr/kurser/nyt", "/hr/kurser/nyt", {"title": "Logget kursus", "kind": "EVENT"}
    )
    course_id = created.headers["location"].split("/")[3].split("?")[0]
    page = client.get(f"/hr/log?kursus={course_id}")
    assert page.status_code == 200
    [row] = _table_rows(page.text)
    assert "COURSE_CREATED" in row
    assert "Nanna Stougaard" in row
    none = client.get(f"/hr/log?kursus={course_id}&handling=COURSE_PUBLISHED")
    assert "Ingen poster passer til filtret." in none.text


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("fra=1.marts", "fra", "Fra-datoen skal være en dato, fx 2027-03-01."),
        ("fra=2027-03-02&til=2027-03-01", "til", "Til-datoen skal ligge efter fra-datoen."),
        ("handling=DROP_TABLE", "handling", "Vælg en handling fra listen."),
        ("kursus=abc", "kursus", "Kursus-id skal være et helt tal."),
        ("type=Course%00", "type", "Vælg en slags element fra listen."),
    ],
)
def test_a_bad_audit_filter_says_what_is_wrong(
    client: TestClient, session: Session, query: str, field: str, message: str
) -> None:
    log_in_as_hr(client, session)
    response = client.get(f"/hr/log?{query}")
    assert response.status_code == 400
    assert field_message(response.text, field) == message


def test_a_nul_in_the_course_search_is_refused(client: TestClient, session: Session) -> None:
    log_in_as_hr(client, session)
    response = client.get("/hr/kurser?q=led%00else")
    assert response.status_code == 400
    assert "NUL-tegnet" in field_message(response.text, "q")


def test_without_an_lms_the_sync_button_says_so(client: TestClient, session: Session) -> None:
    log_in_as_hr(client, session)
    before = session.scalar(select(func.count()).select_from(SyncRun))
    response = post_form(client, SYNC, SYNC, {"kind": "COURSES"})
    assert response.status_code == 400
    assert "Der er ikke forbundet noget LMS" in field_message(response.text, "kind")
    assert session.scalar(select(func.count()).select_from(SyncRun)) == before


@pytest.fixture
def lms_client(
    lms_settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    app = create_app(lms_settings, engine=engine, session_factory=session_factory)
    with TestClient(app) as client:
        yield client


def test_hr_starts_a_sync_and_reads_its_errors(
    lms_client: TestClient,
    session: Session,
    lms_settings: Settings,
    http: httpx.Client,
    sim: MoodleSimulator,
    moodle_site: MoodleSite,
) -> None:
    log_in_as_hr(lms_client, session)
    started = post_form(lms_client, SYNC, SYNC, {"kind": "COURSES"})
    assert started.status_code == 303
    run = session.scalar(select(SyncRun).order_by(SyncRun.id.desc()).limit(1))
    assert run is not None
    assert (run.kind, run.status) == (SyncKind.COURSES, SyncStatus.QUEUED)
    again = post_form(lms_client, SYNC, SYNC, {"kind": "COURSES"})
    assert again.status_code == 400
    assert "en kørsel venter allerede på at blive startet" in field_message(again.text, "kind")
    assert session.scalar(select(func.count()).where(SyncRun.status == SyncStatus.QUEUED)) == 1
    queued_page = lms_client.get(SYNC)
    assert "I kø" in queued_page.text
    assert "bestilt af Nanna Stougaard" in queued_page.text

    # What `catalogue sync` does with a queued run, against a Moodle that answers one call badly.
    sim.respond_next("core_course_get_contents", {"unexpected": "shape"})
    outcome = execute_sync(
        lms_settings, SyncKind.COURSES, session=session, client=http, task_id=run.task_id
    )
    assert outcome.run_id == run.id
    page = lms_client.get(f"{SYNC}?slags=COURSES")
    assert "Delvist gennemført" in page.text
    assert "invalidresponse" in page.text
    assert "core_course_get_contents" in page.text


def _statements_for(client: TestClient, connection: Connection, path: str) -> int:
    with counted_statements(connection) as statements:
        response = client.get(path)
    assert response.status_code == 200, response.text
    return len(statements)


@pytest.mark.parametrize(
    "path", ["/hr/kurser", "/hr/kurser?status=DRAFT", "/hr/daekning", "/hr/log", SYNC]
)
def test_hr_pages_read_a_fixed_number_of_statements(
    client: TestClient, session: Session, connection: Connection, path: str
) -> None:
    log_in_as_hr(client, session)
    few = _statements_for(client, connection, path)
    for index in range(60):
        session.add(
            Course(code=f"SQLCOUNT-{index}", title=f"Tællekursus {index}", kind=CourseKind.EVENT)
        )
    session.commit()
    post_form(client, "/hr/kurser/nyt", "/hr/kurser/nyt", {"title": "Et mere", "kind": "EVENT"})
    many = _statements_for(client, connection, path)
    assert many == few, f"{path}: {few} SQL-sætninger før, {many} efter"
