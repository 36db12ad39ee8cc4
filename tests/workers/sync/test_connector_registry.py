"""The connector registry: a second LMS plugs in by kind, with no change to the sync rules.

``Reol`` is a made-up LMS defined only here: it implements the port
(``catalogue.services.lms_sync.port``) over two in-memory courses and is
registered under its own ``CATALOGUE_LMS_KIND``. The course pull runs against
it through the same entry point the tasks and the ``sync`` command use.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import ActivityKind, Course, CourseStatus, SyncKind, SyncRun
from catalogue.models import SyncStatus as S
from catalogue.services.lms_sync.port import (
    FailureKind,
    LmsActivityRecord,
    LmsCourseRecord,
    LmsListingRecord,
    LmsWarningRecord,
)
from catalogue.settings import Settings
from workers.lms.errors import LmsSettingsError, LmsTransientError
from workers.lms.registry import register_connector, unregister_connector
from workers.runtime import execute_sync
from workers.tasks import sync as tasks

KIND = "reol"


class ShelfMissingError(Exception):
    """Reol's own error for one course it cannot read."""


class ReolClosedError(Exception):
    """Reol's own error for "closed for now, come back later"."""


@dataclass
class Reol:
    """The made-up LMS: courses, their activities, and which course it cannot read."""

    courses: list[LmsCourseRecord] = field(default_factory=list)
    activities: dict[int, list[LmsActivityRecord]] = field(default_factory=dict)
    unreadable: set[int] = field(default_factory=set)
    closed_for_now: bool = False
    opened: int = 0
    closed: int = 0


class ReolGateway:
    """Just what the course pull calls; anything else would be a bug in this test."""

    def __init__(self, lms: Reol) -> None:
        self.lms = lms

    def check(self) -> None:
        if self.lms.closed_for_now:
            raise ReolClosedError("Reol holder lukket; prøv igen senere.")

    def describe(self) -> str:
        return "Reol (test)"

    def list_courses(self) -> LmsListingRecord[LmsCourseRecord]:
        warning = LmsWarningRecord(code="shelfdusty", message="Reol: hylde 3 er støvet.")
        return LmsListingRecord(items=tuple(self.lms.courses), warnings=(warning,))

    def course_activities(self, course_id: int) -> Sequence[LmsActivityRecord]:
        if course_id in self.lms.unreadable:
            raise ShelfMissingError(f"Reol kan ikke finde hylde {course_id}.")
        return self.lms.activities.get(course_id, [])

    def failure_kind(self, error: BaseException) -> FailureKind | None:
        if isinstance(error, ReolClosedError):
            return FailureKind.TRANSIENT
        return FailureKind.ITEM if isinstance(error, ShelfMissingError) else None

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the course pull should not call {name}")


@pytest.fixture
def reol() -> Iterator[Reol]:
    lms = Reol()

    @contextmanager
    def factory(settings: Settings, *, client: httpx.Client | None = None) -> Iterator[ReolGateway]:
        lms.opened += 1
        try:
            yield ReolGateway(lms)
        finally:
            lms.closed += 1

    register_connector(KIND, factory)
    try:
        yield lms
    finally:
        unregister_connector(KIND)


def _course(lms_id: int, code: str | None, title: str) -> LmsCourseRecord:
    return LmsCourseRecord(
        id=lms_id,
        code=code,
        title=title,
        short_title=title[:10],
        summary="<p>Fra Reol &amp; venner</p>",
        visible=True,
    )


def test_a_second_lms_registered_by_kind_runs_the_course_pull(
    session: Session, settings: Settings, reol: Reol
) -> None:
    reol.courses = [_course(901, "REOL-1", "Læsning for ledere"), _course(902, None, "Ulæselig")]
    reol.activities[901] = [
        LmsActivityRecord(
            id=11, title="Velkommen", kind=ActivityKind.E_LEARNING, completion_tracked=True
        ),
        LmsActivityRecord(id=12, title="Prøve", kind=ActivityKind.EXAM, completion_tracked=True),
        LmsActivityRecord(
            id=13, title="Opslagstavle", kind=ActivityKind.E_LEARNING, completion_tracked=False
        ),
    ]
    reol.unreadable.add(902)
    reol_settings = settings.model_copy(update={"lms_kind": KIND})

    outcome = execute_sync(reol_settings, SyncKind.COURSES, session=session)

    assert (outcome.status, outcome.created, outcome.failed) == (S.PARTIAL, 1, 1)
    assert "Reol: hylde 3 er støvet." in " ".join(outcome.issues)
    assert "Reol kan ikke finde hylde 902." in " ".join(outcome.issues)
    draft = session.scalar(select(Course).where(Course.code == "REOL-1"))
    assert draft is not None
    assert (draft.status, draft.lms_course_id, draft.summary) == (
        CourseStatus.DRAFT,
        "901",
        "Fra Reol & venner",
    )
    assert [(a.title, a.kind, a.lms_module_id) for a in draft.activities] == [
        ("Velkommen", ActivityKind.E_LEARNING, "11"),
        ("Prøve", ActivityKind.EXAM, "12"),
    ]
    assert (reol.opened, reol.closed) == (1, 1), "the gateway is closed after the run"

    reol.unreadable.clear()
    again = execute_sync(reol_settings, SyncKind.COURSES, session=session)

    assert (again.status, again.created, again.unchanged) == (S.SUCCEEDED, 1, 1)


def test_its_transient_failure_is_retried_like_moodles(
    session: Session, settings: Settings, reol: Reol
) -> None:
    """The tasks retry ``LmsTransientError`` only; Reol's own error is raised as one."""
    reol.closed_for_now = True
    reol_settings = settings.model_copy(update={"lms_kind": KIND})

    with pytest.raises(LmsTransientError) as raised:
        execute_sync(reol_settings, SyncKind.COURSES, session=session, final_attempt=False)

    assert isinstance(raised.value.__cause__, ReolClosedError)
    assert tasks.sync_courses.autoretry_for == (LmsTransientError, tasks.SyncBusyError)
    run = session.scalars(select(SyncRun).order_by(SyncRun.id.desc())).first()
    assert run is not None
    assert run.status is S.RUNNING, "left for the retry"


def test_the_kind_is_read_case_and_space_insensitively() -> None:
    assert Settings(lms_kind="  Reol ").lms_kind == KIND
    assert Settings(lms_kind="").lms_connected is False


def test_an_unknown_kind_is_a_danish_settings_error_naming_the_known_ones(
    session: Session, settings: Settings
) -> None:
    unknown = settings.model_copy(update={"lms_kind": "canvas"})

    with pytest.raises(LmsSettingsError) as raised:
        execute_sync(unknown, SyncKind.COURSES, session=session)

    assert str(raised.value) == (
        "CATALOGUE_LMS_KIND=canvas er ikke et kendt LMS; brug en af: moodle, none."
    )


def test_no_lms_is_a_settings_error_too(session: Session, settings: Settings) -> None:
    with pytest.raises(LmsSettingsError, match="Der er ikke forbundet noget LMS"):
        execute_sync(settings, SyncKind.COURSES, session=session)
