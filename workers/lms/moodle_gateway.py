"""Moodle plugged into the catalogue's sync port (``catalogue.services.lms_sync.port``).

The sync rules see the LMS only through ``LmsGateway``, in the catalogue's
words. This adapter binds the Moodle client to the site's settings (category,
student role, user match field, competency scale), translates Moodle's
records and vocabulary (``cmid``, ``idnumber``, module types, HTML-escaped
names of at most 100 characters) into the port's records, and says which
Moodle errors stop a run and which only fail one item.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import httpx

from catalogue.models import ActivityKind
from catalogue.services.lms_sync.port import (
    FailureKind,
    LmsActivityRecord,
    LmsCompetencyFrameworkRecord,
    LmsCompetencyRecord,
    LmsCompletionRecord,
    LmsCourseRecord,
    LmsListingRecord,
    LmsUserRecord,
    LmsWarningRecord,
)
from catalogue.settings import Settings
from workers.lms.errors import (
    LmsAuthError,
    LmsError,
    LmsPermanentError,
    LmsSettingsError,
    LmsTransientError,
)
from workers.lms.moodle import COMPETENCY_FUNCTIONS, REQUIRED_FUNCTIONS, MoodleConnector
from workers.lms.protocol import (
    LmsCompetency,
    LmsCompetencyFramework,
    LmsCompletion,
    LmsConnector,
    LmsEnrolmentRequest,
    LmsItemWarning,
    LmsScale,
    LmsSiteInfo,
    UserField,
)

#: Errors that mean the whole site is misconfigured, not one item.
CONFIGURATION_ERRORCODES = frozenset(
    {
        "invalidurl",
        "webservicesnotenabled",
        "wsusercannotassign",
        "missingfunctions",
        "competenciesarenotenabled",
    }
)
#: The profile's framework names its levels: kompetencefelter are domains, statements
#: competencies (Moodle shows the terms in its competency pages).
COMPETENCY_TAXONOMIES = ("domain", "competency")
#: Course completion errors that mean "nothing to report (yet)", not a failure: the course
#: has no completion criteria or tracking, or the user is not on it yet (the outbox or the
#: reconciliation puts them there).
NO_COURSE_COMPLETION_ERRORCODES = frozenset({"nocriteriaset", "cannotviewreport", "usernotenroled"})


#: Moodle module types that say what kind of activity it is; the rest are e-learning.
MODULE_KINDS: dict[str, ActivityKind] = {
    "quiz": ActivityKind.EXAM,
    "assign": ActivityKind.ASSIGNMENT,
    "workshop": ActivityKind.ASSIGNMENT,
    "bigbluebuttonbn": ActivityKind.MEETING,
    "zoom": ActivityKind.MEETING,
    "attendance": ActivityKind.SESSION,
    "facetoface": ActivityKind.SESSION,
}
#: Moodle's competency and framework names (and idnumbers) are CHAR(100); longer ones fail
#: with a database error.
NAME_MAX = 100
ELLIPSIS = "…"


class MoodleGateway:
    """``LmsGateway`` over the Moodle client (or anything shaped like it, as in tests)."""

    def __init__(
        self,
        connector: LmsConnector,
        *,
        name: str,
        category_id: int | None = None,
        student_role_id: int = 5,
        match_field: UserField = "email",
        competency_scale: LmsScale | None = None,
    ) -> None:
        self.connector = connector
        self.name = name
        self.category_id = category_id
        self.student_role_id = student_role_id
        self.match_field = match_field
        self.competency_scale = competency_scale or LmsScale(id=2)
        self._site: LmsSiteInfo | None = None

    def describe(self) -> str:
        return self.name

    def check(self) -> None:
        self._require_functions(REQUIRED_FUNCTIONS, "")

    def check_competencies(self) -> None:
        self._require_functions(
            COMPETENCY_FUNCTIONS,
            " De bruges til at vise kompetenceprofilen i Moodle (catalogue sync competencies).",
        )

    def _require_functions(self, required: frozenset[str], purpose: str) -> None:
        if self._site is None:
            self._site = self.connector.site_info()
        missing = self._site.missing_functions(required)
        if missing:
            raise LmsAuthError(
                "Tokenets web-service i Moodle mangler funktionerne "
                f"{', '.join(sorted(missing))}; tilføj dem til servicen.{purpose}",
                errorcode="missingfunctions",
                wsfunction="core_webservice_get_site_info",
            )

    def list_courses(self) -> LmsListingRecord[LmsCourseRecord]:
        listing = self.connector.list_courses(self.category_id)
        return LmsListingRecord(
            items=tuple(
                LmsCourseRecord(
                    id=course.id,
                    code=course.idnumber,
                    title=course.fullname,
                    short_title=course.shortname,
                    summary=course.summary,
                    visible=course.visible,
                )
                for course in listing
            ),
            warnings=_warnings(listing.warnings),
        )

    def course_activities(self, course_id: int) -> list[LmsActivityRecord]:
        return [
            LmsActivityRecord(
                id=module.cmid,
                title=module.name,
                kind=MODULE_KINDS.get(module.modname, ActivityKind.E_LEARNING),
                completion_tracked=module.completion_tracked,
            )
            for module in self.connector.course_activities(course_id)
        ]

    def find_users(self, values: Sequence[str]) -> list[LmsUserRecord]:
        found = []
        for user in self.connector.users_by_field(self.match_field, values):
            value = getattr(user, self.match_field, None)
            found.append(
                LmsUserRecord(id=user.id, match_value=None if value is None else str(value))
            )
        return found

    def enrol(self, *, user_id: int, course_id: int) -> tuple[LmsWarningRecord, ...]:
        return _warnings(self.connector.enrol([self._request(user_id, course_id)]))

    def unenrol(self, *, user_id: int, course_id: int) -> tuple[LmsWarningRecord, ...]:
        return _warnings(self.connector.unenrol([self._request(user_id, course_id)]))

    def enrolled_user_ids(self, course_id: int) -> set[int]:
        return {user.id for user in self.connector.enrolled_users(course_id)}

    def activity_completions(
        self, *, course_id: int, user_id: int
    ) -> LmsListingRecord[LmsCompletionRecord]:
        listing = self.connector.activity_completions(course_id, user_id)
        return LmsListingRecord(
            items=tuple(_completion(completion) for completion in listing),
            warnings=_warnings(listing.warnings),
        )

    def course_completion(self, *, course_id: int, user_id: int) -> LmsCompletionRecord | None:
        try:
            return _completion(self.connector.course_completion(course_id, user_id))
        except LmsPermanentError as exc:
            if exc.errorcode in NO_COURSE_COMPLETION_ERRORCODES:
                return None
            raise

    def competency_name(self, text: str) -> str:
        return html.unescape(moodle_name(text))

    def find_competency_framework(self, code: str) -> LmsCompetencyFrameworkRecord | None:
        frameworks = self.connector.competency_frameworks(query=code)
        return next((_framework(f) for f in frameworks if f.idnumber == code), None)

    def create_competency_framework(
        self, *, code: str, name: str, description: str
    ) -> LmsCompetencyFrameworkRecord:
        return _framework(
            self.connector.create_competency_framework(
                idnumber=code,
                shortname=moodle_name(name),
                description=description,
                scale=self.competency_scale,
                taxonomies=COMPETENCY_TAXONOMIES,
            )
        )

    def update_competency_framework(
        self, framework_id: int, *, name: str, description: str, visible: bool
    ) -> None:
        self.connector.update_competency_framework(
            framework_id, shortname=moodle_name(name), description=description, visible=visible
        )

    def competencies(self, framework_id: int) -> list[LmsCompetencyRecord]:
        return [_competency(c) for c in self.connector.competencies(framework_id)]

    def create_competency(
        self,
        *,
        framework_id: int,
        code: str,
        name: str,
        description: str,
        parent_id: int | None,
    ) -> LmsCompetencyRecord:
        return _competency(
            self.connector.create_competency(
                framework_id,
                idnumber=code,
                shortname=moodle_name(name),
                description=description,
                parent_id=parent_id,
            )
        )

    def update_competency(self, competency_id: int, *, name: str, description: str) -> None:
        self.connector.update_competency(
            competency_id, shortname=moodle_name(name), description=description
        )

    def course_competencies(self, course_id: int) -> list[LmsCompetencyRecord]:
        return [
            _competency(link.competency) for link in self.connector.course_competencies(course_id)
        ]

    def add_course_competency(self, *, course_id: int, competency_id: int) -> None:
        self.connector.add_competency_to_course(course_id, competency_id)

    def remove_course_competency(self, *, course_id: int, competency_id: int) -> None:
        self.connector.remove_competency_from_course(course_id, competency_id)

    def unlisted_activities_advice(self, activity_types: Sequence[str]) -> str:
        """Moodle leaves a module out of ``core_course_get_contents`` (and of the activity
        completion statuses) when the service user lacks its ``mod/<type>:view``
        (``cm_info::is_user_access_restricted_by_capability``)."""
        types = sorted({name for name in activity_types if name})
        capabilities = ", ".join(f"mod/{name}:view" for name in types)
        wanted = capabilities or "mod/<type>:view for aktiviteternes typer"
        return (
            "Moodle udelader de aktiviteter, servicebrugeren ikke må se, af kursets indhold: giv "
            f"servicebrugerens rolle {wanted} (se README: Connecting a real Moodle), og hent "
            "kurserne igen (catalogue sync courses). Er aktiviteten ny, er det nok at hente "
            "kurserne igen."
        )

    def failure_kind(self, error: BaseException) -> FailureKind | None:
        if isinstance(error, LmsTransientError):
            return FailureKind.TRANSIENT
        if isinstance(error, LmsAuthError) or (
            isinstance(error, LmsError) and error.errorcode in CONFIGURATION_ERRORCODES
        ):
            return FailureKind.PERMANENT
        if isinstance(error, LmsError):
            return FailureKind.ITEM  # not found, rejected parameter, odd answer for one item
        return None

    def _request(self, user_id: int, course_id: int) -> LmsEnrolmentRequest:
        return LmsEnrolmentRequest(
            user_id=user_id, course_id=course_id, role_id=self.student_role_id
        )


@contextmanager
def moodle_gateway(
    settings: Settings, *, client: httpx.Client | None = None
) -> Iterator[MoodleGateway]:
    """The Moodle site in settings as a gateway; ``client`` lets tests route HTTP to a simulator."""
    if not settings.moodle_url or not settings.moodle_token:
        raise LmsSettingsError(
            "CATALOGUE_MOODLE_URL og CATALOGUE_MOODLE_TOKEN skal være sat, "
            "når CATALOGUE_LMS_KIND=moodle."
        )
    connector = MoodleConnector(
        settings.moodle_url,
        settings.moodle_token.get_secret_value(),
        client=client,
        timeout=settings.moodle_timeout_seconds,
    )
    try:
        yield MoodleGateway(
            connector,
            name=f"Moodle ({settings.moodle_url})",
            category_id=settings.moodle_category_id,
            student_role_id=settings.moodle_student_role_id,
            match_field=settings.moodle_user_match_field,
            competency_scale=LmsScale(id=settings.moodle_competency_scale_id),
        )
    finally:
        connector.close()


def moodle_name(text: str) -> str:
    """A name as sent to Moodle: one line, HTML-escaped, at most 100 characters.

    Moodle strips tags from names (``PARAM_TEXT``), so ``<`` and ``>`` go as
    entities, which it keeps and shows as the characters. A longer text is cut
    at a word and ends with "…".
    """
    name = " ".join(text.split())
    if len(_escape(name)) <= NAME_MAX:
        return _escape(name)
    limit = NAME_MAX - len(ELLIPSIS)
    while True:
        cut = name[:limit]
        if " " in cut:
            cut = cut[: cut.rfind(" ")]
        cut = cut.rstrip(" ,;:.–-")
        candidate = _escape(cut) + ELLIPSIS
        if len(candidate) <= NAME_MAX or not cut:
            return candidate[:NAME_MAX]
        limit = len(cut) - 1


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _warnings(warnings: Sequence[LmsItemWarning]) -> tuple[LmsWarningRecord, ...]:
    return tuple(
        LmsWarningRecord(code=w.warningcode, message=w.message, item=w.item, item_id=w.item_id)
        for w in warnings
    )


def _completion(completion: LmsCompletion) -> LmsCompletionRecord:
    return LmsCompletionRecord(
        activity_id=completion.cmid,
        completed=completion.completed,
        time_completed=completion.time_completed,
        activity_type=completion.modname,
        required=tuple(_completion(criterion) for criterion in completion.criteria),
    )


def _framework(framework: LmsCompetencyFramework) -> LmsCompetencyFrameworkRecord:
    """Names come back through ``format_string`` (a bare ``&`` escaped): the port's are plain."""
    return LmsCompetencyFrameworkRecord(
        id=framework.id,
        code=framework.idnumber,
        name=html.unescape(framework.shortname),
        description=framework.description,
        visible=framework.visible,
    )


def _competency(competency: LmsCompetency) -> LmsCompetencyRecord:
    return LmsCompetencyRecord(
        id=competency.id,
        framework_id=competency.framework_id,
        code=competency.idnumber,
        name=html.unescape(competency.shortname),
        description=competency.description,
        parent_id=competency.parent_id,
    )


if TYPE_CHECKING:
    from catalogue.services.lms_sync.port import LmsGateway

    def _is_a_gateway(gateway: MoodleGateway) -> LmsGateway:
        """mypy proves here that the adapter fits the port."""
        return gateway
