"""The Celery tasks, executed eagerly: retry policy, permanent errors, queued runs."""

from __future__ import annotations

import functools
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.models import SyncKind, SyncRun
from catalogue.models import SyncStatus as S
from catalogue.services.lms_sync import request_sync
from catalogue.settings import Settings
from tests.fakes.moodle import MoodleSimulator
from tests.workers.sync.conftest import MoodleSite
from workers import runtime
from workers.lms.errors import LmsAuthError, LmsSettingsError, LmsTransientError
from workers.tasks import sync as tasks


@pytest.fixture
def wired(
    monkeypatch: pytest.MonkeyPatch,
    session: Session,
    lms_settings: Settings,
    http: httpx.Client,
) -> Settings:
    """The tasks use the test's settings, session and simulator instead of the process's.

    Eager retries run in a loop only when errors do not propagate (Celery's ``apply``).
    """
    monkeypatch.setitem(tasks.app.conf, "task_eager_propagates", False)
    monkeypatch.setattr(tasks, "get_settings", lambda: lms_settings)
    monkeypatch.setattr(
        tasks, "execute_sync", functools.partial(runtime.execute_sync, session=session, client=http)
    )
    return lms_settings


def test_the_tasks_retry_transient_failures_with_backoff_and_jitter_a_bounded_number_of_times() -> (
    None
):
    for task in tasks.TASKS.values():
        assert task.autoretry_for == (LmsTransientError, tasks.SyncBusyError)
        assert task.retry_backoff == tasks.RETRY_BACKOFF_FACTOR
        assert task.retry_jitter is True
        assert task.max_retries == 5
        assert task.acks_late is True
        assert task.soft_time_limit < task.time_limit


def test_moodle_down_is_retried_then_the_run_fails_with_a_clear_message(
    session: Session, wired: Settings, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    sim.fail_next(100, status=503)

    result = tasks.sync_courses.apply(task_id="retried-task", throw=False)

    assert isinstance(result.result, LmsTransientError)

    attempts = sim.calls_to("core_webservice_get_site_info")
    assert len(attempts) == tasks.sync_courses.max_retries + 1
    [run] = session.scalars(select(SyncRun).where(SyncRun.kind == SyncKind.COURSES)).all()
    assert run.task_id == "retried-task", "all attempts share the task's run"
    assert run.status is S.FAILED
    assert run.message == (
        f"Fejlet: Moodle ({sim.service.site_url}) svarede ikke efter 6 forsøg: Moodle svarede "
        "HTTP 503 ved core_webservice_get_site_info. Kurser hentet fra LMS'et: 0 oprettet, "
        "0 opdateret, 0 uændret, 0 fejlet."
    )


def test_a_bad_token_is_not_retried(
    session: Session, wired: Settings, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    sim.service.token = "rotated"

    result = tasks.sync_courses.apply()

    assert isinstance(result.result, LmsAuthError)

    assert len(sim.calls) == 1
    run = session.scalars(select(SyncRun).order_by(SyncRun.id.desc())).first()
    assert run is not None
    assert run.status is S.FAILED
    assert run.message is not None
    assert "invalidtoken" in run.message


def test_a_run_hr_queued_is_started_by_its_task(
    session: Session, wired: Settings, moodle_site: MoodleSite
) -> None:
    queued = request_sync(session, wired, kind=SyncKind.COURSES, dry_run=True, requested_by_id=None)
    session.commit()
    assert queued.status is S.QUEUED

    result = tasks.sync_courses.apply(kwargs={"dry_run": True}, task_id=queued.task_id)

    assert result.result["run_id"] == queued.id
    session.refresh(queued)
    assert queued.status is S.SUCCEEDED
    assert queued.dry_run
    assert queued.created_count == 1


def test_the_competencies_task_pushes_the_profile_and_a_second_run_writes_nothing(
    session: Session, wired: Settings, sim: MoodleSimulator
) -> None:
    first = tasks.push_competencies.apply()

    assert (first.result["kind"], first.result["status"]) == ("COMPETENCIES", "SUCCEEDED")
    assert first.result["created"] == 1 + 7 + 39
    assert [f.idnumber for f in sim.competency_frameworks.values()] == ["LTK-LEDER-V1"]
    before = len(sim.calls)

    second = tasks.push_competencies.apply()

    assert (second.result["created"], second.result["updated"]) == (0, 0)
    assert {call.wsfunction for call in sim.calls[before:]} == {
        "core_webservice_get_site_info",
        "core_competency_list_competency_frameworks",
        "core_competency_list_competencies",
    }, "no course is mapped yet, and nothing is written"


def test_a_run_hr_queued_under_an_unknown_lms_kind_fails_with_the_reason_and_no_retry(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The task's own sessions see the run, so the database is a file both can open."""
    database = f"sqlite:///{tmp_path / 'unknown-kind.sqlite3'}"
    migrate.upgrade(database)
    unknown = Settings(database_url=database, lms_kind="canvas")
    monkeypatch.setitem(tasks.app.conf, "task_eager_propagates", False)
    monkeypatch.setattr(tasks, "get_settings", lambda: unknown)
    engine = make_engine(database)
    try:
        with make_session_factory(engine)() as session:
            queued = request_sync(
                session, unknown, kind=SyncKind.COURSES, dry_run=False, requested_by_id=None
            )
            session.commit()

            result = tasks.sync_courses.apply(task_id=queued.task_id, throw=False)

            assert isinstance(result.result, LmsSettingsError)
            assert result.state == "FAILURE", "a settings error is not retried"
            session.refresh(queued)
            assert (queued.status, queued.message) == (
                S.FAILED,
                "Ikke startet: CATALOGUE_LMS_KIND=canvas er ikke et kendt LMS; "
                "brug en af: moodle, none.",
            )
    finally:
        engine.dispose()
