"""The LMS as the sync engine sees it: a port that ``workers`` plugs a connector into.

``catalogue`` never imports ``workers`` (DESIGN.md §2), yet the sync rules
(which course maps to which, what the catalogue owns, what counts as a change)
are catalogue rules and live in these services. So the engine programs against
the protocols below and receives a gateway by dependency injection: the Celery
tasks and the ``sync`` command build one from settings in ``workers.lms``.

The record protocols are structural and read-only, so the connector's own
value objects (``workers.lms.protocol.LmsCourse``...) pass through unchanged;
mypy proves in ``workers.lms.gateway`` that they fit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeVar

T_co = TypeVar("T_co", covariant=True)


class FailureKind(StrEnum):
    """What a failed LMS call means for the run, decided by the gateway that raised it."""

    #: Only this course, person or event failed; the run goes on with the rest.
    ITEM = "ITEM"
    #: The LMS is down, slow or rate limiting: stop, keep what is left, retry later.
    TRANSIENT = "TRANSIENT"
    #: Retrying cannot help (bad token, missing function, wrong setting): stop, fail the run.
    PERMANENT = "PERMANENT"


class LmsWarningRecord(Protocol):
    @property
    def warningcode(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def item(self) -> str | None: ...
    @property
    def item_id(self) -> int | None: ...


class LmsListingRecord(Protocol[T_co]):
    @property
    def warnings(self) -> Sequence[LmsWarningRecord]: ...
    def __iter__(self) -> Iterator[T_co]: ...


class LmsCourseRecord(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def idnumber(self) -> str | None: ...
    @property
    def shortname(self) -> str: ...
    @property
    def fullname(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def visible(self) -> bool: ...


class LmsActivityRecord(Protocol):
    @property
    def cmid(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def modname(self) -> str: ...
    @property
    def completion_tracked(self) -> bool: ...
    @property
    def section(self) -> int | None: ...


class LmsUserRecord(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def email(self) -> str | None: ...
    @property
    def idnumber(self) -> str | None: ...
    @property
    def username(self) -> str | None: ...


class LmsCompletionRecord(Protocol):
    @property
    def cmid(self) -> int | None: ...
    @property
    def completed(self) -> bool: ...
    @property
    def time_completed(self) -> datetime | None: ...


class LmsCompetencyFrameworkRecord(Protocol):
    """A competency framework in the LMS; texts as the LMS formats them (HTML, entities)."""

    @property
    def id(self) -> int: ...
    @property
    def idnumber(self) -> str: ...
    @property
    def shortname(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def visible(self) -> bool: ...


class LmsCompetencyRecord(Protocol):
    """A competency in the LMS; ``parent_id`` None at the top of its framework."""

    @property
    def id(self) -> int: ...
    @property
    def framework_id(self) -> int: ...
    @property
    def idnumber(self) -> str: ...
    @property
    def shortname(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def parent_id(self) -> int | None: ...


class LmsGateway(Protocol):
    """The LMS operations the sync uses, with the site's settings already bound.

    Reads may be repeated freely; ``enrol``/``unenrol`` must be idempotent
    (enrolling an enrolled user changes nothing), because the outbox delivers
    at least once.
    """

    def check(self) -> None:
        """Fail fast, with a permanent error, if the LMS refuses the token or lacks a function."""
        ...

    def list_courses(self) -> LmsListingRecord[LmsCourseRecord]: ...

    def course_activities(self, course_id: int) -> Sequence[LmsActivityRecord]: ...

    def find_users(self, values: Sequence[str]) -> Sequence[LmsUserRecord]:
        """Users whose match field (e-mail, idnumber or username) is one of ``values``."""
        ...

    def match_value(self, user: LmsUserRecord) -> str | None:
        """The value of ``user``'s match field, to pair found users with ``values``."""
        ...

    def enrol(self, *, user_id: int, course_id: int) -> Sequence[LmsWarningRecord]: ...

    def unenrol(self, *, user_id: int, course_id: int) -> Sequence[LmsWarningRecord]: ...

    def enrolled_user_ids(self, course_id: int) -> set[int]: ...

    def activity_completions(
        self, *, course_id: int, user_id: int
    ) -> LmsListingRecord[LmsCompletionRecord]: ...

    def course_completion(self, *, course_id: int, user_id: int) -> LmsCompletionRecord | None:
        """The course's own completion, or None when the course has no completion criteria."""
        ...

    # Competencies. Descriptions go to the LMS as HTML. Creating is not idempotent (the LMS
    # refuses a second framework or competency with the same idnumber): look first.

    def check_competencies(self) -> None:
        """Fail fast, with a permanent error, if the token's service lacks a competency function."""
        ...

    def find_competency_framework(self, idnumber: str) -> LmsCompetencyFrameworkRecord | None: ...

    def create_competency_framework(
        self, *, idnumber: str, shortname: str, description: str
    ) -> LmsCompetencyFrameworkRecord:
        """A visible framework rated on the site's configured scale."""
        ...

    def update_competency_framework(
        self, framework_id: int, *, shortname: str, description: str, visible: bool
    ) -> None: ...

    def competencies(self, framework_id: int) -> Sequence[LmsCompetencyRecord]: ...

    def create_competency(
        self,
        *,
        framework_id: int,
        idnumber: str,
        shortname: str,
        description: str,
        parent_id: int | None,
    ) -> LmsCompetencyRecord: ...

    def update_competency(
        self, competency_id: int, *, shortname: str, description: str
    ) -> None: ...

    def course_competencies(self, course_id: int) -> Sequence[LmsCompetencyRecord]:
        """The competencies linked to the LMS course, of any framework."""
        ...

    def add_course_competency(self, *, course_id: int, competency_id: int) -> None:
        """Link; linking a linked competency changes nothing."""
        ...

    def remove_course_competency(self, *, course_id: int, competency_id: int) -> None:
        """Unlink; unlinking an unlinked competency changes nothing."""
        ...

    def failure_kind(self, error: BaseException) -> FailureKind | None:
        """How to treat ``error``; None when it did not come from the LMS at all."""
        ...

    def describe(self) -> str:
        """The LMS in a few words for messages, e.g. ``Moodle på https://...``."""
        ...
