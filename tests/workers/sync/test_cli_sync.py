"""``catalogue sync``: the command line runs syncs in-process and prints what they did."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.models import Course, CourseStatus, SyncKind, SyncRun, SyncStatus
from catalogue.seeding.loader import seed
from catalogue.services.lms_sync import request_sync
from catalogue.settings import PROJECT_ROOT, Settings
from tests.fakes.moodle import MoodleSimulator, serve_on_loopback
from tests.workers.sync.conftest import INTRO, INTRO_ACTIVITIES, LEADER


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'cli.sqlite3'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    seed(make_session_factory(engine), demo=True, today=date.today())
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def moodle() -> Iterator[tuple[MoodleSimulator, str]]:
    sim = MoodleSimulator()
    intro = sim.add_course("Kend kommunen", idnumber=INTRO)
    for name in INTRO_ACTIVITIES:
        sim.add_module(intro, name)
    sim.add_course("Trivsel i teamet")
    sim.add_user(LEADER)
    with serve_on_loopback(sim) as url:
        yield sim, url


def _sync(*args: str, database: str, url: str, token: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    env = {
        **clean,
        "CATALOGUE_DATABASE_URL": database,
        "CATALOGUE_LMS_KIND": "moodle",
        "CATALOGUE_MOODLE_URL": url,
        "CATALOGUE_MOODLE_TOKEN": token,
        "CATALOGUE_MOODLE_PUSH_COMPETENCIES": "true",
    }
    return subprocess.run(
        [sys.executable, "-m", "catalogue.cli", "sync", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=PROJECT_ROOT,
    )


def test_sync_all_dry_run_prints_what_it_would_change_and_changes_nothing(
    database: str, moodle: tuple[MoodleSimulator, str]
) -> None:
    sim, url = moodle
    result = _sync("all", "--dry-run", database=database, url=url, token=sim.service.token)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "COURSES [SUCCEEDED] Prøvekørsel, intet er gemt. Kurser hentet fra LMS'et: "
        "1 oprettet, 1 opdateret, 0 uændret, 0 fejlet"
    )
    assert f"  - {INTRO}: koblet til LMS-kursus 2, 3 aktivitet(er) koblet" in lines
    assert "  - ny kladde LMS-3 «Trivsel i teamet» med 0 aktivitet(er)" in lines
    assert [line.split(" [")[0] for line in lines if not line.startswith("  ")] == [
        "COURSES",
        "OUTBOX",
        "ENROLMENTS",
        "COMPLETIONS",
        "COMPETENCIES",
    ]
    assert sim.competency_frameworks == {}
    engine = make_engine(database)
    with make_session_factory(engine)() as session:
        assert session.scalar(select(Course).where(Course.lms_course_id.is_not(None))) is None
        runs = session.scalars(select(SyncRun)).all()
        assert len(runs) == 5
        assert all(run.dry_run for run in runs)
    engine.dispose()


def test_sync_courses_imports_and_a_bad_token_fails_with_a_clear_message(
    database: str, moodle: tuple[MoodleSimulator, str]
) -> None:
    sim, url = moodle
    result = _sync("courses", database=database, url=url, token=sim.service.token)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "COURSES [SUCCEEDED] Kurser hentet fra LMS'et: 1 oprettet, 1 opdateret"
    )
    engine = make_engine(database)
    with make_session_factory(engine)() as session:
        draft = session.scalar(select(Course).where(Course.code == "LMS-3"))
        assert draft is not None
        assert draft.status is CourseStatus.DRAFT
    engine.dispose()

    refused = _sync("courses", database=database, url=url, token="forkert")
    assert refused.returncode == 1
    assert refused.stdout.strip().startswith(
        "COURSES: FEJLET: Moodle afviste tokenet (invalidtoken) ved core_webservice_get_site_info:"
        " tokenet findes ikke i Moodle."
    )


def test_sync_competencies_pushes_the_profile_and_a_dry_run_only_says_what_it_would_do(
    database: str, moodle: tuple[MoodleSimulator, str]
) -> None:
    sim, url = moodle
    dry = _sync("competencies", "--dry-run", database=database, url=url, token=sim.service.token)

    assert dry.returncode == 0, dry.stderr
    first = dry.stdout.splitlines()[0]
    assert first.startswith(
        "COMPETENCIES [SUCCEEDED] Prøvekørsel, intet er gemt. Kompetenceprofilen sendt til "
        "LMS'et: 47 oprettet"
    )
    assert (
        "  - K1.1 «Være afklarede og tydelige omkring eget værdisæt og egen autoritet» oprettet"
        in dry.stdout.splitlines()
    )
    assert sim.competency_frameworks == {}

    real = _sync("competencies", database=database, url=url, token=sim.service.token)

    assert real.returncode == 0, real.stderr
    assert real.stdout.startswith(
        "COMPETENCIES [SUCCEEDED] Kompetenceprofilen sendt til LMS'et: 47 oprettet"
    )
    assert [f.idnumber for f in sim.competency_frameworks.values()] == ["LTK-LEDER-V1"]
    assert len(sim.competencies) == 46


def test_sync_without_an_lms_says_so(database: str, tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    result = subprocess.run(
        [sys.executable, "-m", "catalogue.cli", "sync"],
        env={**clean, "CATALOGUE_DATABASE_URL": database},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("fejl: der er ikke forbundet noget LMS")


def test_sync_with_an_unknown_lms_kind_names_the_known_ones(database: str) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    result = subprocess.run(
        [sys.executable, "-m", "catalogue.cli", "sync"],
        env={**clean, "CATALOGUE_DATABASE_URL": database, "CATALOGUE_LMS_KIND": "Canvas"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "fejl: CATALOGUE_LMS_KIND=canvas er ikke et kendt LMS; brug en af: moodle, none."
    )


def test_sync_starts_the_runs_hr_queued_when_there_is_no_redis(
    database: str, moodle: tuple[MoodleSimulator, str]
) -> None:
    sim, url = moodle
    engine = make_engine(database)
    factory = make_session_factory(engine)
    settings = Settings(
        database_url=database, lms_kind="moodle", moodle_url=url, moodle_token=sim.service.token
    )
    with factory() as session:
        queued = request_sync(
            session, settings, kind=SyncKind.COMPLETIONS, dry_run=True, requested_by_id=None
        )
        session.commit()

    result = _sync("courses", database=database, url=url, token=sim.service.token)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("COMPLETIONS [SUCCEEDED] Prøvekørsel")
    with factory() as session:
        run = session.get(SyncRun, queued.id)
        assert run is not None
        assert run.status is SyncStatus.SUCCEEDED
    engine.dispose()
