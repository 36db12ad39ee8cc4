"""The LMS as the sync engine sees it: a port that ``workers`` plugs a connector into.

``catalogue`` never imports ``workers`` (docs/architecture.md), yet the sync
rules (which course maps to which, what the catalogue owns, what counts as a
change) are catalogue rules and live in these services. So the engine
programs against ``LmsGateway`` and receives one by dependency injection: the
Celery tasks and the ``sync`` command pick the connector for
``CATALOGUE_LMS_KIND`` from the registry in ``workers.lms.registry``.

The port speaks the catalogue's words. Each connector translates its LMS's
records, vocabulary and limits (for Moodle: ``cmid``, ``idnumber``, module
types, names of at most 100 characters) into these records, so adding an LMS
touches no rule here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from catalogue.models import ActivityKind

T = TypeVar("T")


class FailureKind(StrEnum):
    """What a failed LMS call means for the run, decided by the gateway that raised it."""

    #: Only this course, person or event failed; the run goes on with the rest.
    ITEM = "ITEM"
    #: The LMS is down, slow or rate limiting: stop, keep what is left, retry later.
    TRANSIENT = "TRANSIENT"
    #: Retrying cannot help (bad token, missing function, wrong setting): stop, fail the run.
    PERMANENT = "PERMANENT"


@dataclass(frozen=True, slots=True)
class LmsWarningRecord:
    """A per-item warning the LMS gave next to otherwise good data; ``code`` is the LMS's."""

    code: str
    message: str
    item: str | None = None
    item_id: int | None = None


@dataclass(frozen=True, slots=True)
class LmsListingRecord(Generic[T]):
    """Items plus the warnings that came with them, so none are dropped."""

    items: tuple[T, ...]
    warnings: tuple[LmsWarningRecord, ...] = ()

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True, slots=True)
class LmsCourseRecord:
    """A course in the LMS.

    ``code`` is the LMS's own reference for the course, matched with the
    catalogue's course code (None when the LMS has none or hides it from the
    service account). ``summary`` is HTML.
    """

    id: int
    code: str | None
    title: str
    short_title: str
    summary: str
    visible: bool


@dataclass(frozen=True, slots=True)
class LmsActivityRecord:
    """An activity of an LMS course, its kind already in the catalogue's terms."""

    id: int
    title: str
    kind: ActivityKind
    completion_tracked: bool


@dataclass(frozen=True, slots=True)
class LmsUserRecord:
    """A user found by the connector's match field; ``match_value`` is that field's value."""

    id: int
    match_value: str | None


@dataclass(frozen=True, slots=True)
class LmsCompletionRecord:
    """Completion of an activity (``activity_id`` set) or of the whole course (None).

    ``activity_type`` is the LMS's own name for the activity's type, for messages
    only. A course's ``required`` are the activities its completion requires,
    each with its own state, as the LMS names them: an LMS may list these even
    where it leaves the activity out of the course's contents.
    """

    activity_id: int | None
    completed: bool
    time_completed: datetime | None
    activity_type: str | None = None
    required: tuple[LmsCompletionRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class LmsCompetencyFrameworkRecord:
    """A competency framework; ``name`` plain text, ``description`` HTML, as the LMS keeps them."""

    id: int
    code: str
    name: str
    description: str
    visible: bool


@dataclass(frozen=True, slots=True)
class LmsCompetencyRecord:
    """A competency; ``parent_id`` None at the top of its framework; texts as for frameworks."""

    id: int
    framework_id: int
    code: str
    name: str
    description: str
    parent_id: int | None


class LmsGateway(Protocol):
    """The LMS operations the sync uses, with the site's settings already bound.

    Reads may be repeated freely; ``enrol``/``unenrol`` must be idempotent
    (enrolling an enrolled user changes nothing), because the outbox delivers
    at least once.
    """

    def check(self) -> None:
        """Fail fast, with a permanent error, if the LMS refuses the sync's access."""
        ...

    def list_courses(self) -> LmsListingRecord[LmsCourseRecord]: ...

    def course_activities(self, course_id: int) -> Sequence[LmsActivityRecord]: ...

    def find_users(self, values: Sequence[str]) -> Sequence[LmsUserRecord]:
        """Users whose match field (chosen in the connector's settings) is one of ``values``."""
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

    # Competencies. Names are plain text, descriptions HTML. Creating is not idempotent (the
    # LMS refuses a second framework or competency with the same code): look first.

    def check_competencies(self) -> None:
        """Fail fast, with a permanent error, if the LMS does not let the sync push competencies."""
        ...

    def competency_name(self, text: str) -> str:
        """The name the LMS keeps for a framework or competency called ``text``.

        Its limits applied (a length, say, with the text shortened at a word),
        so the sync can tell an unchanged name from a changed one.
        """
        ...

    def find_competency_framework(self, code: str) -> LmsCompetencyFrameworkRecord | None: ...

    def create_competency_framework(
        self, *, code: str, name: str, description: str
    ) -> LmsCompetencyFrameworkRecord:
        """A visible framework, on the scale set for the site."""
        ...

    def update_competency_framework(
        self, framework_id: int, *, name: str, description: str, visible: bool
    ) -> None: ...

    def competencies(self, framework_id: int) -> Sequence[LmsCompetencyRecord]: ...

    def create_competency(
        self,
        *,
        framework_id: int,
        code: str,
        name: str,
        description: str,
        parent_id: int | None,
    ) -> LmsCompetencyRecord: ...

    def update_competency(self, competency_id: int, *, name: str, description: str) -> None: ...

    def course_competencies(self, course_id: int) -> Sequence[LmsCompetencyRecord]:
        """The competencies linked to the LMS course, of any framework."""
        ...

    def add_course_competency(self, *, course_id: int, competency_id: int) -> None:
        """Link; linking a linked competency changes nothing."""
        ...

    def remove_course_competency(self, *, course_id: int, competency_id: int) -> None:
        """Unlink; unlinking an unlinked competency changes nothing."""
        ...

    def unlisted_activities_advice(self, activity_types: Sequence[str]) -> str:
        """What to change in the LMS when it named activities its course contents left out.

        ``activity_types`` are the activities' ``activity_type`` (empty when unknown).
        """
        ...

    def failure_kind(self, error: BaseException) -> FailureKind | None:
        """How to treat ``error``; None when it did not come from the LMS at all."""
        ...

    def describe(self) -> str:
        """The LMS in a few words for messages, e.g. ``Moodle (https://...)``."""
        ...
