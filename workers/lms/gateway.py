"""A connector plugged into the catalogue's sync port (``catalogue.services.lms_sync.port``).

The catalogue's sync engine sees the LMS only through ``LmsGateway``; this
adapter binds a connector to the site's settings (category, student role,
user match field) and says which connector errors stop a run and which only
fail one item.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import httpx

from catalogue.services.lms_sync.port import FailureKind, LmsUserRecord
from catalogue.settings import LmsKind, Settings
from workers.lms.errors import (
    LmsAuthError,
    LmsError,
    LmsPermanentError,
    LmsTransientError,
)
from workers.lms.moodle import COMPETENCY_FUNCTIONS, REQUIRED_FUNCTIONS, MoodleConnector
from workers.lms.protocol import (
    LmsActivity,
    LmsCompetency,
    LmsCompetencyFramework,
    LmsCompletion,
    LmsConnector,
    LmsCourse,
    LmsEnrolmentRequest,
    LmsItemWarning,
    LmsListing,
    LmsScale,
    LmsSiteInfo,
    LmsUser,
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


class ConnectorGateway:
    """``LmsGateway`` over any ``LmsConnector``."""

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

    def list_courses(self) -> LmsListing[LmsCourse]:
        return self.connector.list_courses(self.category_id)

    def course_activities(self, course_id: int) -> list[LmsActivity]:
        return self.connector.course_activities(course_id)

    def find_users(self, values: Sequence[str]) -> list[LmsUser]:
        return self.connector.users_by_field(self.match_field, values)

    def match_value(self, user: LmsUserRecord) -> str | None:
        value = getattr(user, self.match_field, None)
        return str(value) if value is not None else None

    def enrol(self, *, user_id: int, course_id: int) -> list[LmsItemWarning]:
        return self.connector.enrol([self._request(user_id, course_id)])

    def unenrol(self, *, user_id: int, course_id: int) -> list[LmsItemWarning]:
        return self.connector.unenrol([self._request(user_id, course_id)])

    def enrolled_user_ids(self, course_id: int) -> set[int]:
        return {user.id for user in self.connector.enrolled_users(course_id)}

    def activity_completions(self, *, course_id: int, user_id: int) -> LmsListing[LmsCompletion]:
        return self.connector.activity_completions(course_id, user_id)

    def course_completion(self, *, course_id: int, user_id: int) -> LmsCompletion | None:
        try:
            return self.connector.course_completion(course_id, user_id)
        except LmsPermanentError as exc:
            if exc.errorcode in NO_COURSE_COMPLETION_ERRORCODES:
                return None
            raise

    def find_competency_framework(self, idnumber: str) -> LmsCompetencyFramework | None:
        frameworks = self.connector.competency_frameworks(query=idnumber)
        return next((f for f in frameworks if f.idnumber == idnumber), None)

    def create_competency_framework(
        self, *, idnumber: str, shortname: str, description: str
    ) -> LmsCompetencyFramework:
        return self.connector.create_competency_framework(
            idnumber=idnumber,
            shortname=shortname,
            description=description,
            scale=self.competency_scale,
            taxonomies=COMPETENCY_TAXONOMIES,
        )

    def update_competency_framework(
        self, framework_id: int, *, shortname: str, description: str, visible: bool
    ) -> None:
        self.connector.update_competency_framework(
            framework_id, shortname=shortname, description=description, visible=visible
        )

    def competencies(self, framework_id: int) -> list[LmsCompetency]:
        return self.connector.competencies(framework_id)

    def create_competency(
        self,
        *,
        framework_id: int,
        idnumber: str,
        shortname: str,
        description: str,
        parent_id: int | None,
    ) -> LmsCompetency:
        return self.connector.create_competency(
            framework_id,
            idnumber=idnumber,
            shortname=shortname,
            description=description,
            parent_id=parent_id,
        )

    def update_competency(self, competency_id: int, *, shortname: str, description: str) -> None:
        self.connector.update_competency(
            competency_id, shortname=shortname, description=description
        )

    def course_competencies(self, course_id: int) -> list[LmsCompetency]:
        return [link.competency for link in self.connector.course_competencies(course_id)]

    def add_course_competency(self, *, course_id: int, competency_id: int) -> None:
        self.connector.add_competency_to_course(course_id, competency_id)

    def remove_course_competency(self, *, course_id: int, competency_id: int) -> None:
        self.connector.remove_competency_from_course(course_id, competency_id)

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
def gateway_from_settings(
    settings: Settings, *, client: httpx.Client | None = None
) -> Iterator[ConnectorGateway]:
    """The configured LMS as a gateway; ``client`` lets tests route HTTP to a simulator."""
    if settings.lms_kind is LmsKind.NONE or not settings.moodle_url or not settings.moodle_token:
        raise LmsNotConfiguredError()
    connector = MoodleConnector(
        settings.moodle_url,
        settings.moodle_token.get_secret_value(),
        client=client,
        timeout=settings.moodle_timeout_seconds,
    )
    try:
        yield ConnectorGateway(
            connector,
            name=f"Moodle ({settings.moodle_url})",
            category_id=settings.moodle_category_id,
            student_role_id=settings.moodle_student_role_id,
            match_field=settings.moodle_user_match_field,
            competency_scale=LmsScale(id=settings.moodle_competency_scale_id),
        )
    finally:
        connector.close()


class LmsNotConfiguredError(Exception):
    def __init__(self) -> None:
        super().__init__(
            "Der er ikke forbundet noget LMS: sæt CATALOGUE_LMS_KIND=moodle, "
            "CATALOGUE_MOODLE_URL og CATALOGUE_MOODLE_TOKEN."
        )


if TYPE_CHECKING:
    from catalogue.services.lms_sync.port import LmsGateway

    def _is_a_gateway(gateway: ConnectorGateway) -> LmsGateway:
        """mypy proves here that the adapter (and the connector's records) fit the port."""
        return gateway
