"""The sync schedule: the same intervals for Celery beat and for ``catalogue sync --watch``."""

from __future__ import annotations

from catalogue.models import SyncKind
from catalogue.settings import Settings
from workers.celery_app import beat_schedule
from workers.schedule import SYNC_ORDER, due_kinds, scheduled_kinds, sync_intervals


def test_beat_runs_every_kind_on_its_interval_only_when_an_lms_is_configured() -> None:
    # Without an LMS: the evaluation's tick (rounds closing, their e-mails) and the
    # recruitment retention.
    assert set(beat_schedule(Settings())) == {"evaluation-mail", "recruitment-retention"}
    settings = Settings(
        lms_kind="moodle",
        moodle_url="https://moodle.example.dk",
        moodle_token="t",
        sync_outbox_interval=30,
        moodle_push_competencies=True,
    )
    schedule = beat_schedule(settings)
    assert {entry["task"]: entry["schedule"] for entry in schedule.values()} == {
        "evaluation.send_due_mail": 900.0,
        "lms.sync_courses": 3600.0,
        "lms.drain_outbox": 30.0,
        "lms.reconcile_enrolments": 86400.0,
        "lms.sync_completions": 900.0,
        "lms.push_competencies": 86400.0,
        "catalogue.recruitment.erase_expired_candidates": 86400.0,
    }


def test_the_competency_push_is_scheduled_only_when_switched_on() -> None:
    moodle = {"lms_kind": "moodle", "moodle_url": "https://moodle.example.dk", "moodle_token": "t"}
    tasks = {entry["task"] for entry in beat_schedule(Settings(**moodle)).values()}
    assert "lms.push_competencies" not in tasks
    assert "lms.sync_courses" in tasks
    assert SyncKind.COMPETENCIES not in scheduled_kinds(Settings())
    assert scheduled_kinds(Settings(moodle_push_competencies=True)) == SYNC_ORDER


def test_a_kind_is_due_when_never_run_or_its_interval_has_passed() -> None:
    intervals = sync_intervals(
        Settings(sync_outbox_interval=60, sync_courses_interval=3600, moodle_push_competencies=True)
    )
    last = {SyncKind.OUTBOX: 1000.0, SyncKind.COURSES: 1000.0}

    assert due_kinds(SYNC_ORDER, intervals, {}, 0.0) == list(SYNC_ORDER)
    assert due_kinds(SYNC_ORDER, intervals, last, 1059.0) == [
        SyncKind.ENROLMENTS,
        SyncKind.COMPLETIONS,
        SyncKind.COMPETENCIES,
    ]
    assert SyncKind.OUTBOX in due_kinds(SYNC_ORDER, intervals, last, 1060.0)
    assert SyncKind.COURSES not in due_kinds(SYNC_ORDER, intervals, last, 1060.0)
