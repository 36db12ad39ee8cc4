"""Run bookkeeping: one run per kind at a time, and a run killed midway can be finished."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from catalogue.models import Course, SyncKind, SyncRun
from catalogue.models import SyncStatus as S
from catalogue.services.lms_sync import SyncBusyError, run_sync, sync_lock
from catalogue.services.lms_sync.runs import INTERRUPTED_MESSAGE
from catalogue.settings import Settings
from tests.backends import require_redis
from tests.fakes.moodle import MoodleSimulator
from tests.workers.sync.conftest import INTRO, MoodleSite, Sync, course
from workers.lms.moodle_gateway import MoodleGateway, moodle_gateway


def test_two_runs_of_the_same_kind_never_overlap(
    session: Session, sync: Sync, moodle_site: MoodleSite
) -> None:
    held = sync_lock(sync.settings, SyncKind.COURSES, session.get_bind())
    assert held.acquire()
    try:
        with pytest.raises(SyncBusyError):
            sync(SyncKind.COURSES)
        assert sync(SyncKind.OUTBOX).status is S.SUCCEEDED, "other kinds are not blocked"
    finally:
        held.release()
    assert sync(SyncKind.COURSES).status is S.SUCCEEDED


def test_the_redis_lock_is_held_by_one_holder_at_a_time(settings: Settings, engine: Engine) -> None:
    redis_settings = settings.model_copy(update={"redis_url": require_redis()})
    bind = engine
    first = sync_lock(redis_settings, SyncKind.COMPLETIONS, bind)
    second = sync_lock(redis_settings, SyncKind.COMPLETIONS, bind)
    other_kind = sync_lock(redis_settings, SyncKind.COURSES, bind)
    assert first.acquire()
    try:
        assert not second.acquire()
        assert other_kind.acquire()
        other_kind.release()
    finally:
        first.release()
    assert second.acquire()
    second.release()


class _DiesOnSecondCourse(MoodleGateway):
    """As if the worker process were killed while the second course was being pulled."""

    def course_activities(self, course_id: int):  # type: ignore[no-untyped-def]
        if course_id != self.first_course:
            raise SystemExit("killed")
        return super().course_activities(course_id)

    first_course = 0


def test_a_run_killed_midway_is_closed_and_the_next_run_finishes_the_job(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    with moodle_gateway(sync.settings, client=sync.http) as healthy:
        dying = _DiesOnSecondCourse(
            healthy.connector, name=healthy.name, match_field=healthy.match_field
        )
        dying.first_course = moodle_site.intro
        lock = sync_lock(sync.settings, SyncKind.COURSES, session.get_bind())
        with pytest.raises(SystemExit):
            run_sync(session, dying, kind=SyncKind.COURSES, lock=lock, task_id="killed-task")
    session.rollback()
    killed = session.scalar(select(SyncRun).where(SyncRun.task_id == "killed-task"))
    assert killed is not None
    assert killed.status is S.RUNNING
    assert course(session, INTRO).lms_course_id == str(moodle_site.intro), "kept: committed"
    draft_code = f"LMS-{moodle_site.new_course}"
    assert session.scalar(select(Course).where(Course.code == draft_code)) is None

    outcome = sync(SyncKind.COURSES)

    session.refresh(killed)
    assert (killed.status, killed.message) == (S.FAILED, INTERRUPTED_MESSAGE)
    assert (outcome.status, outcome.created, outcome.unchanged) == (S.SUCCEEDED, 1, 1)


def test_a_redelivered_task_resumes_its_own_run(
    session: Session, sync: Sync, moodle_site: MoodleSite
) -> None:
    """acks_late: a worker lost mid-task gets the same task (same id) again."""
    first = sync(SyncKind.COURSES, task_id="same-task")
    again = sync(SyncKind.COURSES, task_id="same-task")

    assert first.status is S.SUCCEEDED
    assert again.run_id is None, "that run already ended: nothing to do"
    assert session.scalars(select(SyncRun).where(SyncRun.task_id == "same-task")).all()
