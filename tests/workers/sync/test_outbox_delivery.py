"""Outbox delivery: enrolments and withdrawals reach Moodle at least once, in effect once."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    CourseRun,
    Enrolment,
    OutboxEvent,
    Role,
    SyncKind,
    SyncRun,
)
from catalogue.models import SyncStatus as S
from catalogue.services import enrolments
from tests.fakes.moodle import MoodleSimulator
from tests.fakes.moodle.simulator import Reply
from tests.workers.sync.conftest import (
    HR,
    INTRO,
    LEADER,
    MoodleSite,
    Sync,
    course,
    person,
    viewer,
)
from workers.lms.errors import UNKNOWN_KEY_ADVICE, LmsAuthError, LmsTransientError


def _intro_run(session: Session) -> CourseRun:
    run = session.scalar(select(CourseRun).where(CourseRun.code == f"{INTRO}-H1"))
    assert run is not None
    return run


def _enrol(session: Session, email: str) -> Enrolment:
    enrolment = enrolments.enrol(
        session,
        actor=viewer(session, HR, Role.HR),
        course_run_id=_intro_run(session).id,
        person_id=person(session, email).id,
    )
    session.commit()
    return enrolment


def _pending(session: Session) -> list[OutboxEvent]:
    session.expire_all()
    return list(
        session.scalars(
            select(OutboxEvent).where(OutboxEvent.delivered_at.is_(None)).order_by(OutboxEvent.id)
        )
    )


@pytest.fixture
def mapped(session: Session, sync: Sync, moodle_site: MoodleSite) -> MoodleSite:
    sync(SyncKind.COURSES)
    return moodle_site


def test_an_enrolment_and_a_withdrawal_reach_moodle_and_are_marked_delivered(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: MoodleSite
) -> None:
    enrolment = _enrol(session, LEADER)
    user_id = mapped.users[LEADER]
    [event] = _pending(session)
    assert event.topic == "enrolment.enrolled"

    outcome = sync(SyncKind.OUTBOX)

    assert (outcome.status, outcome.created, outcome.failed) == (S.SUCCEEDED, 1, 0)
    assert sim.enrolments[mapped.intro][user_id] == 5
    assert _pending(session) == []
    session.refresh(event)
    assert event.delivered_at is not None
    assert event.attempts == 1
    assert person(session, LEADER).lms_user_id == str(user_id), "found by e-mail, then stored"

    enrolments.withdraw(session, actor=viewer(session, HR, Role.HR), enrolment_id=enrolment.id)
    session.commit()
    outcome = sync(SyncKind.OUTBOX)

    assert (outcome.created, outcome.updated) == (0, 1)
    assert user_id not in sim.enrolments[mapped.intro]
    assert _pending(session) == []


def test_delivering_the_same_events_again_changes_nothing_in_moodle(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: MoodleSite
) -> None:
    _enrol(session, LEADER)
    sync(SyncKind.OUTBOX)
    delivered = session.scalars(select(OutboxEvent)).all()
    for event in delivered:  # as if the worker died before it could mark them
        event.delivered_at = None
    session.commit()
    before = {course: dict(users) for course, users in sim.enrolments.items()}

    outcome = sync(SyncKind.OUTBOX)

    assert outcome.status is S.SUCCEEDED
    assert sim.enrolments == before
    assert _pending(session) == []


def test_events_apply_the_current_state_so_late_or_reordered_events_are_harmless(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: MoodleSite
) -> None:
    enrolment = _enrol(session, LEADER)
    enrolments.withdraw(session, actor=viewer(session, HR, Role.HR), enrolment_id=enrolment.id)
    session.commit()
    assert [e.topic for e in _pending(session)] == ["enrolment.enrolled", "enrolment.withdrawn"]

    outcome = sync(SyncKind.OUTBOX)

    assert outcome.status is S.SUCCEEDED
    assert mapped.users[LEADER] not in sim.enrolments.get(mapped.intro, {})
    assert sim.calls_to("enrol_manual_enrol_users") == [], "never enrolled someone who left"


def test_moodle_down_keeps_every_event_for_the_next_drain(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: MoodleSite
) -> None:
    _enrol(session, LEADER)
    sim.fail_next(50, status=503)

    with pytest.raises(LmsTransientError):
        sync(SyncKind.OUTBOX, task_id="task-1", attempt=1, final_attempt=False)
    run = session.scalars(select(SyncRun).order_by(SyncRun.id.desc())).first()
    assert run is not None
    assert run.status is S.RUNNING
    assert run.message is not None
    assert run.message.startswith("Forsøg 1 mislykkedes: Moodle svarede HTTP 503")

    with pytest.raises(LmsTransientError):  # the task's last retry: same task id, same run
        sync(SyncKind.OUTBOX, task_id="task-1", attempt=6, final_attempt=True)
    session.refresh(run)
    assert run.status is S.FAILED
    assert run.message is not None
    assert "svarede ikke efter 6 forsøg" in run.message

    [event] = _pending(session)
    assert event.attempts == 0, "check() failed before any event was tried"
    sim.faults.queued.clear()
    assert sync(SyncKind.OUTBOX).created == 1
    assert _pending(session) == []


def _fail_first_call_to(sim: MoodleSimulator, wsfunction: str, status: int) -> None:
    """The proxy in front of Moodle answers ``status`` to the first call of ``wsfunction``."""
    original = sim.handle
    armed = [True]

    def handle(pairs: list[tuple[str, str]]) -> Reply:
        if armed and ("wsfunction", wsfunction) in pairs:
            armed.clear()
            sim.fail_next(1, status=status)
        return original(pairs)

    sim.handle = handle  # type: ignore[method-assign]


def test_moodle_failing_mid_drain_counts_the_attempt_and_stops(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: MoodleSite
) -> None:
    sim.add_user("karsten.moeller@demo.ltk.example")
    _enrol(session, LEADER)
    _enrol(session, "karsten.moeller@demo.ltk.example")
    _fail_first_call_to(sim, "enrol_manual_enrol_users", 504)

    with pytest.raises(LmsTransientError):
        sync(SyncKind.OUTBOX, final_attempt=False)

    first, second = _pending(session)
    assert first.attempts == 1
    assert first.last_error == "Moodle svarede HTTP 504 ved enrol_manual_enrol_users"
    assert second.attempts == 0, "the drain stops at the first transient failure"
    outcome = sync(SyncKind.OUTBOX)
    assert (outcome.status, outcome.created) == (S.SUCCEEDED, 2)
    assert _pending(session) == []


def test_a_person_missing_in_moodle_fails_only_their_event(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: MoodleSite
) -> None:
    _enrol(session, "karsten.moeller@demo.ltk.example")  # no Moodle user
    _enrol(session, LEADER)

    outcome = sync(SyncKind.OUTBOX)

    assert (outcome.status, outcome.created, outcome.failed) == (S.PARTIAL, 1, 1)
    [left] = _pending(session)
    assert left.attempts == 1
    assert left.last_error == (
        "Karsten Møller (karsten.moeller@demo.ltk.example) findes ikke som bruger i LMS'et endnu."
    )
    assert mapped.users[LEADER] in sim.enrolments[mapped.intro]

    sim.add_user("karsten.moeller@demo.ltk.example")
    assert sync(SyncKind.OUTBOX).created == 1
    assert _pending(session) == []


def test_a_bad_token_fails_fast_with_a_clear_message(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: MoodleSite
) -> None:
    _enrol(session, LEADER)
    sync.settings = sync.settings.model_copy(update={"moodle_token": SecretStr("wrong")})
    calls = len(sim.calls)

    with pytest.raises(LmsAuthError):
        sync(SyncKind.OUTBOX, final_attempt=False)

    assert len(sim.calls) == calls + 1
    run = session.scalars(select(SyncRun).order_by(SyncRun.id.desc())).first()
    assert run is not None
    assert run.status is S.FAILED
    assert run.message == (
        f"Fejlet: Moodle ({sim.service.site_url}) afviste synkroniseringen: Moodle afviste "
        f"tokenet (invalidtoken) ved core_webservice_get_site_info{UNKNOWN_KEY_ADVICE}. "
        "Ret opsætningen. "
        "Tilmeldinger og afmeldinger sendt til LMS'et: 0 oprettet, 0 opdateret, 0 uændret, "
        "0 fejlet."
    )
    assert len(_pending(session)) == 1


def test_events_for_courses_outside_the_lms_are_delivered_without_a_call(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    _enrol(session, LEADER)  # the intro course is not mapped yet: no course pull ran
    session.add(
        OutboxEvent(topic="course.published", aggregate_type="course", aggregate_id=1, payload={})
    )
    session.commit()

    outcome = sync(SyncKind.OUTBOX)

    assert (outcome.status, outcome.unchanged) == (S.SUCCEEDED, 2)
    assert _pending(session) == []
    assert sim.calls_to("enrol_manual_enrol_users") == []
    assert course(session, INTRO).lms_course_id is None


def test_a_slow_moodle_times_out_as_a_transient_failure_and_loses_nothing(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: MoodleSite
) -> None:
    _enrol(session, LEADER)
    sync.settings = sync.settings.model_copy(update={"moodle_timeout_seconds": 0.2})
    sim.slow(1.0)

    with pytest.raises(LmsTransientError, match="svarede ikke i tide"):
        sync(SyncKind.OUTBOX, task_id="slow", attempt=6, final_attempt=True)

    run = session.scalar(select(SyncRun).where(SyncRun.task_id == "slow"))
    assert run is not None
    assert run.status is S.FAILED
    assert run.message is not None
    assert "svarede ikke efter 6 forsøg: Moodle svarede ikke i tide" in run.message
    assert len(_pending(session)) == 1
    sim.slow(0)
    assert sync(SyncKind.OUTBOX).created == 1


def test_moodle_failing_to_send_the_welcome_mail_delivers_the_enrolment_with_a_warning(
    session: Session, sync: Sync, sim: MoodleSimulator, mapped: MoodleSite
) -> None:
    """Moodle 4.4 answers "Message was not sent." after saving the enrolment."""
    sim.enrol_user(mapped.intro, sim.add_user("laerer@demo.ltk.example"), role_id=3)
    sim.break_mail()
    _enrol(session, LEADER)

    outcome = sync(SyncKind.OUTBOX)

    assert (outcome.status, outcome.created, outcome.failed) == (S.SUCCEEDED, 1, 0)
    assert mapped.users[LEADER] in sim.enrolments[mapped.intro]
    assert _pending(session) == []
    [warning] = [issue for issue in outcome.issues if issue.startswith("advarsel:")]
    assert "velkomstbesked" in warning
    assert sync(SyncKind.ENROLMENTS).failed == 0
