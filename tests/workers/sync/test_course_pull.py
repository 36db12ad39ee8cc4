"""Course pull against the simulated Moodle: mapping, drafts, ownership, idempotency, dry runs."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import Activity, ActivityKind, Course, CourseStatus, SyncKind, SyncRun
from catalogue.models import SyncStatus as S
from tests.fakes.moodle import MoodleSimulator
from tests.workers.sync.conftest import INTRO, INTRO_ACTIVITIES, MoodleSite, Sync, course


def _snapshot(session: Session) -> dict[str, object]:
    session.expire_all()
    courses = session.execute(select(Course.code, Course.updated_at, Course.lms_course_id)).all()
    activities = session.execute(
        select(Activity.code, Activity.updated_at, Activity.lms_module_id)
    ).all()
    return {"courses": sorted(courses), "activities": sorted(activities)}


def test_courses_map_by_idnumber_and_unknown_ones_arrive_as_drafts(
    session: Session, sync: Sync, moodle_site: MoodleSite
) -> None:
    before = session.scalar(select(func.count()).select_from(Course))
    outcome = sync(SyncKind.COURSES)

    assert outcome.status is S.SUCCEEDED
    assert (outcome.created, outcome.updated, outcome.unchanged, outcome.failed) == (1, 1, 0, 0)
    assert session.scalar(select(func.count()).select_from(Course)) == (before or 0) + 1

    intro = course(session, INTRO)
    assert intro.lms_course_id == str(moodle_site.intro)
    assert intro.status is CourseStatus.PUBLISHED
    assert intro.title == "Kend Lyngby-Taarbæk Kommune – e-læring for nye ledere"
    linked = {a.title: a.lms_module_id for a in intro.activities}
    assert linked == {
        title: str(cmid)
        for title, cmid in zip(INTRO_ACTIVITIES, moodle_site.intro_modules, strict=True)
    }, "activities are matched by title once, then by module id; the forum tracks nothing"

    draft = course(session, f"LMS-{moodle_site.new_course}")
    assert draft.status is CourseStatus.DRAFT
    assert draft.title == "Trivsel i teamet"
    assert draft.summary == "Om trivsel & samarbejde.\nTo moduler."
    assert [(a.title, a.kind, a.required, a.lms_module_id) for a in draft.activities] == [
        ("Introduktion", ActivityKind.E_LEARNING, True, str(moodle_site.new_modules[0])),
        ("Quiz om trivsel", ActivityKind.EXAM, True, str(moodle_site.new_modules[1])),
    ]


def test_a_second_pull_with_nothing_changed_writes_nothing(
    session: Session, sync: Sync, moodle_site: MoodleSite
) -> None:
    sync(SyncKind.COURSES)
    before = _snapshot(session)

    outcome = sync(SyncKind.COURSES)

    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 2)
    assert _snapshot(session) == before, "no row and no updated_at may change"


def test_the_catalogue_keeps_its_texts_and_moodle_adds_new_modules_as_optional(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    sync(SyncKind.COURSES)
    sim.courses[moodle_site.intro].fullname = "Omdøbt i Moodle"
    sim.courses[moodle_site.intro].summary = "<p>Ny tekst i Moodle</p>"
    extra = sim.add_module(moodle_site.intro, "Ekstra video", modname="h5pactivity")

    outcome = sync(SyncKind.COURSES)

    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    intro = course(session, INTRO)
    session.refresh(intro)
    assert intro.title == "Kend Lyngby-Taarbæk Kommune – e-læring for nye ledere"
    assert intro.summary.startswith("Selvstudie om kommunens organisation")
    added = intro.activities[-1]
    assert (added.title, added.lms_module_id, added.required) == ("Ekstra video", str(extra), False)
    assert added.code == f"{INTRO}-M{extra}"


def test_a_dry_run_counts_what_a_real_run_would_do_and_stores_only_the_run(
    session: Session, sync: Sync, moodle_site: MoodleSite
) -> None:
    before = _snapshot(session)

    dry = sync(SyncKind.COURSES, dry_run=True)

    assert _snapshot(session) == before
    assert dry.dry_run
    assert (dry.created, dry.updated, dry.unchanged, dry.failed) == (1, 1, 0, 0)
    assert dry.message.startswith("Prøvekørsel, intet er gemt.")
    stored = session.get(SyncRun, dry.run_id)
    assert stored is not None
    assert stored.dry_run
    assert stored.status is S.SUCCEEDED

    real = sync(SyncKind.COURSES)
    assert (real.created, real.updated, real.unchanged) == (dry.created, dry.updated, 0)


def test_one_bad_course_does_not_stop_the_others(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    sim.respond_next("core_course_get_contents", {"unexpected": "shape"})

    outcome = sync(SyncKind.COURSES)

    assert outcome.status is S.PARTIAL
    assert (outcome.created, outcome.updated, outcome.failed) == (1, 0, 1)
    run = session.get(SyncRun, outcome.run_id)
    assert run is not None
    [error] = [e for e in run.errors if e["level"] == "error"]
    assert error["item_id"] == str(moodle_site.intro)
    assert error["code"] == "invalidresponse"
    assert "core_course_get_contents" in error["message"]
    assert course(session, INTRO).lms_course_id is None, "the failed course is rolled back whole"

    again = sync(SyncKind.COURSES)
    assert (again.status, again.updated, again.unchanged) == (S.SUCCEEDED, 1, 1)


def test_only_the_configured_category_is_pulled(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    other = sim.add_category("Andet")
    sim.add_course("Ikke for ledere", category_id=other)
    sync.settings = sync.settings.model_copy(update={"moodle_category_id": 1})

    outcome = sync(SyncKind.COURSES)

    assert outcome.created + outcome.updated + outcome.unchanged == 2
    assert session.scalar(select(Course).where(Course.title == "Ikke for ledere")) is None


def test_a_module_hidden_by_a_lost_view_capability_is_not_said_only_to_be_gone(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    """Seen on a real Moodle: without mod/<type>:view the module leaves the contents.

    The warning said the module no longer existed, though it was there and only hidden
    from the service user; it now names that cause and the capability to check.
    """
    hidden = sim.add_module(moodle_site.intro, "Afsluttende quiz", modname="quiz")
    sync(SyncKind.COURSES)
    assert session.scalar(select(Activity).where(Activity.lms_module_id == str(hidden)))
    sim.service.capabilities.discard("mod/quiz:view")

    outcome = sync(SyncKind.COURSES)

    run = session.get(SyncRun, outcome.run_id)
    assert run is not None
    [warning] = [w for w in run.errors if f"LMS-modul {hidden}," in w["message"]]
    assert warning["code"] == "lmsmodulemissing"
    assert "servicebrugeren må ikke længere se det" in warning["message"]
    assert "mod/<type>:view" in warning["message"]
    assert session.scalar(select(Activity).where(Activity.lms_module_id == str(hidden)))


def test_a_module_gone_from_moodle_is_reported_not_deleted(
    session: Session, sync: Sync, sim: MoodleSimulator, moodle_site: MoodleSite
) -> None:
    sync(SyncKind.COURSES)
    gone = moodle_site.intro_modules[2]
    sim.course_modules[moodle_site.intro].remove(gone)
    del sim.modules[gone]

    outcome = sync(SyncKind.COURSES)

    assert outcome.status is S.SUCCEEDED
    run = session.get(SyncRun, outcome.run_id)
    assert run is not None
    [warning] = run.errors
    assert warning["level"] == "warning"
    assert warning["code"] == "lmsmodulemissing"
    assert session.scalar(select(Activity).where(Activity.lms_module_id == str(gone)))
