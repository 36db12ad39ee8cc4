"""What the Moodle Web Services client returns, in Moodle's own words.

``LmsConnector`` is the client's contract (``workers.lms.moodle`` implements
it; tests may wrap it). The records keep Moodle's names (``cmid``,
``idnumber``, ``modname``) and carry Moodle's ids and completion facts
verbatim; ``workers.lms.moodle_gateway`` translates them into the sync port's
records. Another LMS does not implement this: its connector implements the
port (``catalogue.services.lms_sync.port.LmsGateway``) directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Generic, Literal, Protocol, TypeAlias, TypeVar, overload

T = TypeVar("T")

UserField: TypeAlias = Literal["email", "idnumber", "id", "username"]

#: Moodle's default id of the "student" role; sites can renumber roles.
DEFAULT_STUDENT_ROLE_ID = 5


class CompletionState(IntEnum):
    """Moodle's completion states (``COMPLETION_*`` constants in completionlib)."""

    INCOMPLETE = 0
    COMPLETE = 1
    COMPLETE_PASS = 2
    COMPLETE_FAIL = 3


@dataclass(frozen=True, slots=True)
class LmsItemWarning:
    """A per-item warning the LMS returned next to otherwise good data."""

    warningcode: str
    message: str
    item: str | None = None
    item_id: int | None = None
    wsfunction: str = ""


@dataclass(frozen=True, slots=True)
class LmsListing(Generic[T]):
    """Items plus the warnings that came with them, so none are dropped."""

    items: tuple[T, ...]
    warnings: tuple[LmsItemWarning, ...] = ()

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return self.items[index]


@dataclass(frozen=True, slots=True)
class LmsSiteInfo:
    site_name: str
    site_url: str
    username: str
    user_id: int
    release: str | None
    version: str | None
    functions: frozenset[str]

    def missing_functions(self, required: Iterable[str]) -> frozenset[str]:
        """Functions the token's service does not expose; empty when all are there."""
        return frozenset(required) - self.functions


@dataclass(frozen=True, slots=True)
class LmsCourse:
    """A course as the LMS sees it.

    ``idnumber`` and ``time_modified`` are None when the service account lacks
    the capability to see them (Moodle returns them to course managers only).
    """

    id: int
    idnumber: str | None
    shortname: str
    fullname: str
    summary: str
    category_id: int
    visible: bool
    time_modified: datetime | None


@dataclass(frozen=True, slots=True)
class LmsActivity:
    cmid: int
    course_id: int
    name: str
    modname: str
    completion_tracked: bool
    section: int | None = None
    visible: bool = True


@dataclass(frozen=True, slots=True)
class LmsUser:
    """A user; fields the service account may not see are None."""

    id: int
    username: str | None
    email: str | None
    idnumber: str | None
    fullname: str


@dataclass(frozen=True, slots=True)
class LmsEnrolmentRequest:
    user_id: int
    course_id: int
    role_id: int = DEFAULT_STUDENT_ROLE_ID


@dataclass(frozen=True, slots=True)
class LmsCompletion:
    """Completion of an activity (``cmid`` set) or of the whole course (``cmid`` None)."""

    user_id: int
    course_id: int
    cmid: int | None
    state: CompletionState
    time_completed: datetime | None
    warnings: tuple[LmsItemWarning, ...] = field(default=(), compare=False)
    #: The module type (``quiz``, ``assign``...) when Moodle names it.
    modname: str | None = None
    #: For the course: its activity criteria, each with its module's own state. Moodle lists
    #: them whether or not the service account may see the module.
    criteria: tuple[LmsCompletion, ...] = field(default=(), compare=False)

    @property
    def completed(self) -> bool:
        """A failed attempt (COMPLETE_FAIL) is done but not completed."""
        return self.state in (CompletionState.COMPLETE, CompletionState.COMPLETE_PASS)


@dataclass(frozen=True, slots=True)
class LmsCompetencyFramework:
    """A competency framework; ``shortname`` and ``description`` as the LMS formats them (HTML)."""

    id: int
    idnumber: str
    shortname: str
    description: str
    visible: bool
    scale_id: int | None
    context_id: int
    competency_count: int | None = None


@dataclass(frozen=True, slots=True)
class LmsCompetency:
    """A competency in a framework; ``parent_id`` is None at the framework's top level."""

    id: int
    framework_id: int
    idnumber: str
    shortname: str
    description: str
    parent_id: int | None
    sort_order: int


@dataclass(frozen=True, slots=True)
class LmsCourseCompetency:
    """A competency linked to a course; ``id`` is the link's own id."""

    id: int
    course_id: int
    competency: LmsCompetency
    sort_order: int
    rule_outcome: int


@dataclass(frozen=True, slots=True)
class LmsScale:
    """The scale a framework rates with, and which of its items (1-based) mean what."""

    id: int
    default_item: int = 1
    proficient_item: int = 2


class LmsConnector(Protocol):
    """Operations the sync needs from an LMS.

    Implementations raise ``workers.lms.errors.LmsError`` subclasses: transient
    ones may be retried by the caller, permanent ones must not be.
    """

    def site_info(self) -> LmsSiteInfo: ...

    def list_courses(self, category_id: int | None = None) -> LmsListing[LmsCourse]: ...

    def course_activities(self, course_id: int) -> list[LmsActivity]: ...

    def users_by_field(self, field: UserField, values: Sequence[str | int]) -> list[LmsUser]: ...

    def enrol(self, requests: Sequence[LmsEnrolmentRequest]) -> list[LmsItemWarning]: ...

    def unenrol(self, requests: Sequence[LmsEnrolmentRequest]) -> list[LmsItemWarning]: ...

    def enrolled_users(self, course_id: int) -> list[LmsUser]: ...

    def course_completion(self, course_id: int, user_id: int) -> LmsCompletion: ...

    def activity_completions(self, course_id: int, user_id: int) -> LmsListing[LmsCompletion]: ...

    # Competencies: frameworks, their competencies, and the competencies of a course.
    # Descriptions are HTML; names are plain text that the LMS may return entity-escaped.

    def competency_frameworks(self, query: str = "") -> list[LmsCompetencyFramework]: ...

    def create_competency_framework(
        self,
        *,
        idnumber: str,
        shortname: str,
        description: str,
        scale: LmsScale,
        visible: bool = True,
        taxonomies: Sequence[str] = (),
    ) -> LmsCompetencyFramework: ...

    def update_competency_framework(
        self,
        framework_id: int,
        *,
        shortname: str | None = None,
        description: str | None = None,
        visible: bool | None = None,
    ) -> None: ...

    def competencies(self, framework_id: int) -> list[LmsCompetency]: ...

    def create_competency(
        self,
        framework_id: int,
        *,
        idnumber: str,
        shortname: str,
        description: str,
        parent_id: int | None = None,
    ) -> LmsCompetency: ...

    def update_competency(
        self,
        competency_id: int,
        *,
        shortname: str | None = None,
        description: str | None = None,
    ) -> None: ...

    def course_competencies(self, course_id: int) -> list[LmsCourseCompetency]: ...

    def add_competency_to_course(self, course_id: int, competency_id: int) -> bool:
        """True if linked now, False if it already was."""
        ...

    def remove_competency_from_course(self, course_id: int, competency_id: int) -> bool:
        """True if unlinked now, False if it was not linked."""
        ...
