"""Completion pull: Moodle's completion facts reach the leader's enrolment and progress."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from catalogue.models import (
    ActivityCompletion,
    ChangeSource,
    Enrolment,
    EnrolmentStatus,
    Role,
    SyncKind,
    SyncRun,
)
from catalogue.models import SyncStatus as S
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from catalogue.services.lms_sync import completion_pull
from catalogue.services.profiles import current_profile
from catalogue.services.progress import StatementStatus, progress_for
from tests.enrolment.factories import started
from tests.fakes.moodle import MoodleSimulator
from tests.fakes.moodle.schema import WsError, missing_record
from tests.workers.sync.conftest import (
    HR,
    INTRO,
    LEADER,
    SEEDED_ON_INTRO,
    MoodleSite,
    Sync,
    course,
    person,
    viewer,
)
from tests.workers.sync.test_outbox_delivery import _enrol
from workers.lms.errors import LmsTransientError


def _completions(session: Session, email: str) -> list[ActivityCompletion]:
    session.expire_all()
    return list(
        session.scalars(
            select(ActivityCompletion)
            .where(ActivityCompletion.person_id == person(session, email).id)
            .order_by(ActivityCompletion.id)
        )
    )


def _k74(session: Session, email: str) -> StatementStatus:
    profile = current_profile(session)
    assert profile is not None
    statement = next(s for f in profile.fields for s in f.statements if s.key == "K7.4")
    progress = progress_for(session, [person(session, email).id])[person(session, email).id]
    return next(
        s.status for f in progress.fields for s in f.statements if s.statement_id == statement.id
    )


def test_completions_arrive_at_once_count_once_and_complete_the_course(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    """Moodle 4.x stores activity completion and aggregates the course at once, no cron."""
    sync(SyncKind.COURSES)
    enrolment = _enrol(session, LEADER)
    started(session, enrolment.course_run)  # completions belong to a run from its start
    session.commit()
    sync(SyncKind.OUTBOX)
    user = moodle_site.users[LEADER]
    first, *rest = moodle_site.intro_modules
    assert _k74(session, LEADER) is StatementStatus.PLANNED

    sim.set_activity_completion(user, first, 1)
    outcome = sync(SyncKind.COMPLETIONS)
    assert (outcome.status, outcome.created, outcome.updated) == (S.SUCCEEDED, 1, 0)
    [done] = _completions(session, LEADER)
    assert done.source is ChangeSource.LMS
    assert done.activity.lms_module_id == str(first)
    assert done.enrolment_id == enrolment.id
    session.refresh(enrolment)
    assert enrolment.status is EnrolmentStatus.IN_PROGRESS

    again = sync(SyncKind.COMPLETIONS)
    assert (again.created, again.updated) == (0, 0), "a completion seen twice counts once"
    assert len(_completions(session, LEADER)) == 1

    for cmid in rest:
        sim.set_activity_completion(user, cmid, 2)
    assert (user, moodle_site.intro) in sim.course_completions, "aggregated at once"
    outcome = sync(SyncKind.COMPLETIONS)
    assert (outcome.created, outcome.updated) == (2, 1), "the enrolment completed is an update"
    assert f"{LEADER} gennemførte {INTRO}" in outcome.changes
    assert "1 opdateret" in outcome.message
    session.refresh(enrolment)
    assert enrolment.status is EnrolmentStatus.COMPLETED
    assert _k74(session, LEADER) is StatementStatus.COVERED


def test_a_course_moodle_reports_completed_completes_the_enrolment(
    session: Session, sync: Sync, sim: MoodleSimulator
) -> None:
    """EL-FORVALTNING has no activities in the catalogue; Moodle's course completion decides."""
    email = "ida.juhl@demo.ltk.example"
    forvaltning = sim.add_course("Forvaltningsret", idnumber="EL-FORVALTNING")
    cmid = sim.add_module(forvaltning, "Cases", required_for_course=True)
    user = sim.add_user(email)
    sim.enrol_user(forvaltning, user)
    sync(SyncKind.COURSES)
    added = course(session, "EL-FORVALTNING").activities
    assert [(a.lms_module_id, a.required) for a in added] == [(str(cmid), False)]
    run = started(session, course(session, "EL-FORVALTNING").runs[0])
    session.commit()
    done_at = int(run.starts_at.timestamp()) + 3600

    sim.set_activity_completion(user, cmid, 1, time_completed=done_at)
    sim.run_cron()
    outcome = sync(SyncKind.COMPLETIONS)

    assert (outcome.status, outcome.created, outcome.updated) == (S.SUCCEEDED, 1, 1)
    enrolment = session.scalar(
        select(Enrolment).where(
            Enrolment.person_id == person(session, email).id,
            Enrolment.course_run_id == course(session, "EL-FORVALTNING").runs[0].id,
        )
    )
    assert enrolment is not None
    assert enrolment.status is EnrolmentStatus.COMPLETED
    assert enrolment.completed_at is not None
    assert int(enrolment.completed_at.timestamp()) == done_at


def test_a_course_completed_in_moodle_before_the_run_starts_is_a_warning_not_a_failure(
    session: Session, sync: Sync, sim: MoodleSimulator
) -> None:
    """Seen on a real Moodle: e-learning done before the run's start completes the course at once.

    Every completions run failed that enrolment again (PARTIAL for good) though nothing was
    wrong with the sync; now the fact is told as a warning, the run succeeds, and the
    enrolment stays underway, as the completion does not count for the run.
    """
    email = "ida.juhl@demo.ltk.example"
    forvaltning = sim.add_course("Forvaltningsret", idnumber="EL-FORVALTNING")
    cmid = sim.add_module(forvaltning, "Cases", required_for_course=True)
    user = sim.add_user(email)
    sim.enrol_user(forvaltning, user)
    sync(SyncKind.COURSES)
    run = course(session, "EL-FORVALTNING").runs[0]
    early = int(utcnow().timestamp()) - 3600  # an hour ago, the run still ahead
    assert run.starts_at.timestamp() > early + 86400
    sim.set_activity_completion(user, cmid, 1, time_completed=early)
    sim.run_cron()
    enrolment = session.scalar(
        select(Enrolment).where(
            Enrolment.person_id == person(session, email).id, Enrolment.course_run_id == run.id
        )
    )
    assert enrolment is not None

    for _ in range(2):  # the same every run, never a failure
        outcome = sync(SyncKind.COMPLETIONS)
        assert outcome.status is S.SUCCEEDED, outcome.message
        assert outcome.failed == 0
        stored = session.get(SyncRun, outcome.run_id)
        assert stored is not None
        [warning] = [e for e in stored.errors if e["code"] == "completedbeforerun"]
        assert warning["level"] == "warning"
        assert warning["message"].startswith(
            f"{email} gennemførte EL-FORVALTNING i LMS'et før holdets start: Gennemførelsen ("
        )
        assert "Tilmeldingen er stadig i gang." in warning["message"]
        session.refresh(enrolment)
        assert enrolment.status is not EnrolmentStatus.COMPLETED


def test_activities_moodle_hid_from_the_contents_are_named_in_a_warning_once(
    session: Session, sync: Sync, sim: MoodleSimulator
) -> None:
    """Without mod/quiz:view Moodle leaves the quiz out of the contents; its criteria name it."""
    email = "ida.juhl@demo.ltk.example"
    forvaltning = sim.add_course("Forvaltningsret", idnumber="EL-FORVALTNING")
    cases = sim.add_module(forvaltning, "Cases", required_for_course=True)
    quiz = sim.add_module(forvaltning, "Prøve", modname="quiz", required_for_course=True)
    user = sim.add_user(email)
    sim.enrol_user(forvaltning, user)
    sim.service.capabilities.discard("mod/quiz:view")
    sync(SyncKind.COURSES)
    added = course(session, "EL-FORVALTNING").activities
    assert [a.lms_module_id for a in added] == [str(cases)], "the quiz was never listed"

    sim.set_activity_completion(user, quiz, 1)
    outcome = sync(SyncKind.COMPLETIONS)

    assert (outcome.status, outcome.created, outcome.failed) == (S.SUCCEEDED, 0, 0)
    [warning] = [issue for issue in outcome.issues if "EL-FORVALTNING" in issue]
    assert warning.startswith("advarsel: kursus EL-FORVALTNING:")
    assert f"{quiz} (quiz)" in warning
    assert "mod/quiz:view" in warning
    assert str(cases) not in warning.split("LMS'et nævner", 1)[1].split("i gennemf", 1)[0]
    run = _last_run(session)
    assert [e["code"] for e in run.errors] == ["lmsactivitiesunlisted"]

    sim.service.capabilities.add("mod/quiz:view")  # the administrator follows the advice
    sync(SyncKind.COURSES)
    healed = sync(SyncKind.COMPLETIONS)
    assert healed.created == 1
    assert not [issue for issue in healed.issues if "EL-FORVALTNING" in issue]


def test_someone_not_yet_in_moodle_is_a_warning_not_a_failure(
    session: Session, sync: Sync, moodle_site: MoodleSite
) -> None:
    sync(SyncKind.COURSES)
    enrolments.enrol(
        session,
        actor=viewer(session, HR, Role.HR),
        course_run_id=course(session, INTRO).runs[0].id,
        person_id=person(session, "karsten.moeller@demo.ltk.example").id,
    )
    session.commit()

    outcome = sync(SyncKind.COMPLETIONS)

    assert outcome.status is S.SUCCEEDED
    assert outcome.failed == 0


def _last_run(session: Session) -> SyncRun:
    session.expire_all()
    run = session.scalar(
        select(SyncRun).where(SyncRun.kind == SyncKind.COMPLETIONS).order_by(SyncRun.id.desc())
    )
    assert run is not None
    return run


def _first_module_done_by_all(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> tuple[str, ...]:
    """Everyone on the intro course in Moodle has completed its first module; cron has run."""
    sync(SyncKind.COURSES)
    _enrol(session, LEADER)
    sync(SyncKind.OUTBOX)
    people = (*SEEDED_ON_INTRO, LEADER)
    for email in people:
        sim.set_activity_completion(moodle_site.users[email], moodle_site.intro_modules[0], 1)
    sim.run_cron()
    return people


@pytest.fixture
def one_enrolment_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every enrolment on a page of its own, so three enrolments make three pages."""
    monkeypatch.setattr(completion_pull, "PAGE_SIZE", 1)


@pytest.mark.usefixtures("one_enrolment_a_page")
def test_enrolments_over_several_pages_are_each_pulled_once(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    people = _first_module_done_by_all(session, sync, sim, moodle_site)

    outcome = sync(SyncKind.COMPLETIONS)

    assert (outcome.status, outcome.created, outcome.failed) == (S.SUCCEEDED, 3, 0)
    for email in people:
        assert [c.activity.lms_module_id for c in _completions(session, email)] == [
            str(moodle_site.intro_modules[0])
        ], email
    assert sync(SyncKind.COMPLETIONS).created == 0


def test_a_run_the_lms_stops_midway_keeps_what_it_had_read(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    people = _first_module_done_by_all(session, sync, sim, moodle_site)
    last = moodle_site.users[LEADER]  # enrolled last, so polled last
    sim.fail_calls(
        "core_completion_get_activities_completion_status",
        lambda params: params["userid"] == last,
        WsError("dmlreadexception", "Error reading from database"),
    )

    with pytest.raises(LmsTransientError):
        sync(SyncKind.COMPLETIONS)

    assert [len(_completions(session, email)) for email in people] == [1, 1, 0]
    stopped = _last_run(session)
    assert (stopped.status, stopped.created_count) == (S.FAILED, 2), "it says what it saved"
    assert "2 oprettet" in (stopped.message or "")
    sim.faults.errors.clear()
    healed = sync(SyncKind.COMPLETIONS)
    assert (healed.status, healed.created) == (S.SUCCEEDED, 1)
    assert [len(_completions(session, email)) for email in people] == [1, 1, 1]


def test_a_retried_run_still_counts_what_its_first_attempt_saved(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    """Each retry finds the saved rows unchanged; the run must not end "0 oprettet"."""
    people = _first_module_done_by_all(session, sync, sim, moodle_site)
    last = moodle_site.users[LEADER]
    sim.fail_calls(
        "core_completion_get_activities_completion_status",
        lambda params: params["userid"] == last,
        WsError("dmlreadexception", "Error reading from database"),
    )

    with pytest.raises(LmsTransientError):
        sync(SyncKind.COMPLETIONS, task_id="retried", attempt=1, final_attempt=False)
    assert _last_run(session).status is S.RUNNING
    with pytest.raises(LmsTransientError):
        sync(SyncKind.COMPLETIONS, task_id="retried", attempt=2, final_attempt=True)

    run = _last_run(session)
    assert [len(_completions(session, email)) for email in people] == [1, 1, 0]
    assert (run.status, run.task_id, run.created_count) == (S.FAILED, "retried", 2)
    assert "2 oprettet" in (run.message or "")


def test_an_lms_error_for_one_enrolment_fails_it_alone_and_the_page_goes_on(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    people = _first_module_done_by_all(session, sync, sim, moodle_site)
    middle = moodle_site.users[people[1]]
    sim.fail_calls(
        "core_completion_get_activities_completion_status",
        lambda params: params["userid"] == middle,
        missing_record("course_modules"),
    )

    outcome = sync(SyncKind.COMPLETIONS)

    assert (outcome.status, outcome.created, outcome.failed) == (S.PARTIAL, 2, 1)
    assert [len(_completions(session, email)) for email in people] == [1, 0, 1]
    assert any(issue.startswith("fejl: tilmelding ") for issue in outcome.issues), outcome.issues


def _refuse_completions_of(session: Session, person_id: int) -> None:
    """A database trigger refusing one person's completions: a row the batch cannot write."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "CREATE FUNCTION refuse_completion() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'afvist af testen' USING ERRCODE = 'check_violation'; "
                "END $$ LANGUAGE plpgsql"
            )
        )
        session.execute(
            text(
                "CREATE TRIGGER refuse_completion BEFORE INSERT ON activity_completion "
                f"FOR EACH ROW WHEN (NEW.person_id = {person_id}) "
                "EXECUTE FUNCTION refuse_completion()"
            )
        )
    else:
        session.execute(
            text(
                "CREATE TRIGGER refuse_completion BEFORE INSERT ON activity_completion "
                f"WHEN NEW.person_id = {person_id} "
                "BEGIN SELECT RAISE(ABORT, 'afvist af testen'); END"
            )
        )


def test_a_page_whose_batch_fails_is_recorded_one_enrolment_at_a_time(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    people = _first_module_done_by_all(session, sync, sim, moodle_site)
    _refuse_completions_of(session, person(session, people[0]).id)

    outcome = sync(SyncKind.COMPLETIONS)

    assert (outcome.status, outcome.created, outcome.failed) == (S.PARTIAL, 2, 1)
    assert [len(_completions(session, email)) for email in people] == [0, 1, 1]
    [failure] = [issue for issue in outcome.issues if issue.startswith("fejl:")]
    assert "Databasen afviste ændringen" in failure
    assert "afvist af testen" in failure


@pytest.mark.usefixtures("one_enrolment_a_page")
def test_a_run_stopped_while_preparing_the_next_page_keeps_the_page_already_read(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    people = _first_module_done_by_all(session, sync, sim, moodle_site)
    person(session, LEADER).lms_user_id = None  # polled last, and must be looked up first
    session.commit()
    sim.fail_calls(
        "core_user_get_users_by_field",
        lambda params: LEADER in params["values"],
        WsError("dmlreadexception", "Error reading from database"),
    )

    with pytest.raises(LmsTransientError):
        sync(SyncKind.COMPLETIONS)

    assert [len(_completions(session, email)) for email in people] == [1, 1, 0]
