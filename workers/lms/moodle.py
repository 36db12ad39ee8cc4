"""Moodle Web Services (REST, ``moodlewsrestformat=json``) connector.

Moodle answers most failures with HTTP 200 and a body
``{"exception", "errorcode", "message"}``; proxies in front of it answer with
429/5xx. Both become typed ``LmsError``s here; nothing is retried here, the
Celery tasks own the retry policy. Every write call is safe to repeat:
enrolling an enrolled user, or unenrolling an unenrolled one, changes nothing;
adding a competency a course already has answers ``false`` and changes nothing.
Creating a framework or competency is not: Moodle refuses a second one with the
same idnumber (``invalidpersistenterror``), so callers look before they create.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar
from urllib.parse import urlencode

import httpx

from workers.lms.errors import (
    LmsAuthError,
    LmsError,
    LmsPermanentError,
    LmsTransientError,
    error_from_moodle_exception,
)
from workers.lms.params import PHP_MAX_INPUT_VARS, ParamValue, encode_php_params
from workers.lms.protocol import (
    CompletionState,
    LmsActivity,
    LmsCompetency,
    LmsCompetencyFramework,
    LmsCompletion,
    LmsConnector,
    LmsCourse,
    LmsCourseCompetency,
    LmsEnrolmentRequest,
    LmsItemWarning,
    LmsListing,
    LmsScale,
    LmsSiteInfo,
    LmsUser,
    UserField,
)

ENDPOINT_PATH = "/webservice/rest/server.php"
#: The functions this connector calls; check them with ``site_info().missing_functions``.
REQUIRED_FUNCTIONS = frozenset(
    {
        "core_webservice_get_site_info",
        "core_course_get_courses_by_field",
        "core_course_get_contents",
        "core_user_get_users_by_field",
        "enrol_manual_enrol_users",
        "enrol_manual_unenrol_users",
        "core_enrol_get_enrolled_users",
        "core_completion_get_course_completion_status",
        "core_completion_get_activities_completion_status",
    }
)
#: What the competency sync also calls; a site may leave competencies out of the service.
COMPETENCY_FUNCTIONS = frozenset(
    {
        "core_competency_list_competency_frameworks",
        "core_competency_create_competency_framework",
        "core_competency_update_competency_framework",
        "core_competency_list_competencies",
        "core_competency_create_competency",
        "core_competency_update_competency",
        "core_competency_list_course_competencies",
        "core_competency_add_competency_to_course",
        "core_competency_remove_competency_from_course",
    }
)
#: Moodle's ``FORMAT_HTML``: the descriptions this connector sends are HTML.
FORMAT_HTML = 1
TRANSIENT_HTTP_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: ``\core\message\manager::send_message_to_processors`` throws
#: ``new moodle_exception("Message was not sent.")``: the text is the errorcode.
WELCOME_MESSAGE_NOT_SENT = "Message was not sent."
#: ``COMPLETION_CRITERIA_TYPE_ACTIVITY`` in lib/completionlib.php.
COMPLETION_CRITERIA_TYPE_ACTIVITY = 4
_MODULE_LINK = re.compile(r"/mod/([a-z][a-z0-9_]*)/view\.php\?id=(\d+)")
USER_FIELDS = ("id", "username", "fullname", "email", "idnumber")

_log = logging.getLogger(__name__)
_T = TypeVar("_T")


class MoodleConnector:
    """``LmsConnector`` over Moodle's REST web service.

    ``max_items_per_call`` keeps each request under PHP's ``max_input_vars``
    (1000 by default), beyond which PHP silently drops parameters.
    ``page_size`` is the ``limitnumber`` used to page enrolled users.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        client: httpx.Client | None = None,
        timeout: float = 30.0,
        page_size: int = 500,
        max_items_per_call: int = 200,
    ) -> None:
        if not token:
            raise ValueError("a Moodle web service token is required")
        if page_size < 1 or not 1 <= max_items_per_call <= 300:
            raise ValueError("page_size must be >= 1 and max_items_per_call within 1..300")
        self.endpoint = base_url.rstrip("/") + ENDPOINT_PATH
        self._token = token
        self._owns_client = client is None
        self._client = client if client is not None else httpx.Client()
        self._timeout = httpx.Timeout(timeout)
        self._page_size = page_size
        self._max_items = max_items_per_call

    def __repr__(self) -> str:
        return f"MoodleConnector({self.endpoint!r})"

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- the LmsConnector operations -------------------------------------------------

    def site_info(self) -> LmsSiteInfo:
        fn = "core_webservice_get_site_info"
        shape = _Shape(fn)
        data = shape.obj(self.call(fn), "svaret")
        functions = frozenset(
            shape.text(shape.obj(item, "funktion"), "name")
            for item in shape.array(data.get("functions"), "functions")
        )
        return LmsSiteInfo(
            site_name=shape.text(data, "sitename"),
            site_url=shape.text(data, "siteurl"),
            username=shape.text(data, "username"),
            user_id=shape.integer(data, "userid"),
            release=shape.opt_text(data, "release"),
            version=shape.opt_text(data, "version"),
            functions=functions,
        )

    def list_courses(self, category_id: int | None = None) -> LmsListing[LmsCourse]:
        """All courses, or those directly in one category (not its subcategories).

        Moodle's ``core_course_get_courses_by_field`` has no paging; it returns
        every course in one response. The site's front page (category 0) is
        left out: it is not a course anyone enrols in.
        """
        fn = "core_course_get_courses_by_field"
        params: dict[str, ParamValue] = {}
        if category_id is not None:
            params = {"field": "category", "value": str(category_id)}
        shape = _Shape(fn)
        data = shape.obj(self.call(fn, params), "svaret")
        courses = tuple(
            course
            for course in (
                _course(shape, row) for row in shape.array(data.get("courses"), "courses")
            )
            if course.category_id != 0
        )
        return LmsListing(courses, _warnings(shape, data))

    def course_activities(self, course_id: int) -> list[LmsActivity]:
        fn = "core_course_get_contents"
        params: dict[str, ParamValue] = {
            "courseid": course_id,
            "options": [{"name": "excludecontents", "value": "1"}],
        }
        shape = _Shape(fn)
        activities: list[LmsActivity] = []
        for section_row in shape.array(self.call(fn, params), "svaret"):
            section = shape.obj(section_row, "sektion")
            number = shape.opt_integer(section, "section")
            for module_row in shape.array(section.get("modules"), "modules"):
                module = shape.obj(module_row, "modul")
                activities.append(
                    LmsActivity(
                        cmid=shape.integer(module, "id"),
                        course_id=course_id,
                        name=shape.text(module, "name"),
                        modname=shape.text(module, "modname"),
                        completion_tracked=(shape.opt_integer(module, "completion") or 0) > 0,
                        section=number,
                        visible=bool(shape.opt_integer(module, "visible", default=1)),
                    )
                )
        return activities

    def users_by_field(self, field: UserField, values: Sequence[str | int]) -> list[LmsUser]:
        """Users matching ``values``; values without a match are simply absent.

        Moodle also leaves out users whose ``field`` the service account may
        not see, and rejects the whole call with ``invalidparameter`` if cleaning
        would change one value (an e-mail with surrounding spaces, an upper-case
        username); an e-mail that is no address just finds nobody.
        """
        if field not in ("email", "idnumber", "id", "username"):
            raise ValueError(f"unsupported user field {field!r}")
        fn = "core_user_get_users_by_field"
        shape = _Shape(fn)
        found: dict[int, LmsUser] = {}
        for chunk in _chunks([str(value) for value in values], self._max_items):
            payload = self.call(fn, {"field": field, "values": chunk})
            for row in shape.array(payload, "svaret"):
                user = _user(shape, row)
                found.setdefault(user.id, user)
        return list(found.values())

    def enrol(self, requests: Sequence[LmsEnrolmentRequest]) -> list[LmsItemWarning]:
        """Manual enrolment; each chunk is one transaction in Moodle (all or nothing)."""
        rows = [
            {"roleid": r.role_id, "userid": r.user_id, "courseid": r.course_id} for r in requests
        ]
        return self._write("enrol_manual_enrol_users", rows)

    def unenrol(self, requests: Sequence[LmsEnrolmentRequest]) -> list[LmsItemWarning]:
        rows = [
            {"userid": r.user_id, "courseid": r.course_id, "roleid": r.role_id} for r in requests
        ]
        return self._write("enrol_manual_unenrol_users", rows)

    def enrolled_users(self, course_id: int) -> list[LmsUser]:
        """Every enrolled user, paged with ``limitfrom``/``limitnumber``.

        Only an empty page ends the walk: Moodle drops users it will not show
        from a page, so a short page does not prove the end. Users are keyed by
        id, since enrolments changing mid-walk can shift a user across pages.
        """
        fn = "core_enrol_get_enrolled_users"
        shape = _Shape(fn)
        users: dict[int, LmsUser] = {}
        offset = 0
        while True:
            options = {
                "limitfrom": offset,
                "limitnumber": self._page_size,
                "sortby": "id",
                "sortdirection": "ASC",
                "userfields": ",".join(USER_FIELDS),
            }
            params: dict[str, ParamValue] = {
                "courseid": course_id,
                "options": [{"name": k, "value": str(v)} for k, v in options.items()],
            }
            rows = shape.array(self.call(fn, params), "svaret")
            new = 0
            for row in rows:
                user = _user(shape, row)
                if user.id not in users:
                    users[user.id] = user
                    new += 1
            # A page without new users, or larger than asked, means paging is ignored.
            if not rows or new == 0 or len(rows) > self._page_size:
                return list(users.values())
            offset += self._page_size

    def course_completion(self, course_id: int, user_id: int) -> LmsCompletion:
        """Course completion as Moodle's cron last aggregated it.

        Moodle reports no course-level completion time; the latest time among
        the completed criteria stands in for it.
        """
        fn = "core_completion_get_course_completion_status"
        shape = _Shape(fn)
        data = shape.obj(self.call(fn, {"courseid": course_id, "userid": user_id}), "svaret")
        status = shape.obj(data.get("completionstatus"), "completionstatus")
        completed = shape.flag(status, "completed")
        times = []
        criteria = []
        for row in shape.array(status.get("completions"), "completions"):
            criterion = shape.obj(row, "kriterium")
            when = shape.opt_integer(criterion, "timecompleted") or 0
            times.append(when)
            module = _criterion_module(shape, criterion)
            if module is not None:
                modname, cmid = module
                done = bool(criterion.get("complete"))
                criteria.append(
                    LmsCompletion(
                        user_id=user_id,
                        course_id=course_id,
                        cmid=cmid,
                        state=CompletionState.COMPLETE if done else CompletionState.INCOMPLETE,
                        time_completed=_timestamp(when) if done else None,
                        modname=modname,
                    )
                )
        return LmsCompletion(
            user_id=user_id,
            course_id=course_id,
            cmid=None,
            state=CompletionState.COMPLETE if completed else CompletionState.INCOMPLETE,
            time_completed=_timestamp(max(times, default=0)) if completed else None,
            warnings=_warnings(shape, data),
            criteria=tuple(criteria),
        )

    def activity_completions(self, course_id: int, user_id: int) -> LmsListing[LmsCompletion]:
        """States of the activities that track completion (others are not listed)."""
        fn = "core_completion_get_activities_completion_status"
        shape = _Shape(fn)
        data = shape.obj(self.call(fn, {"courseid": course_id, "userid": user_id}), "svaret")
        completions: list[LmsCompletion] = []
        for row in shape.array(data.get("statuses"), "statuses"):
            status = shape.obj(row, "status")
            state = shape.state(status, "state")
            completions.append(
                LmsCompletion(
                    user_id=user_id,
                    course_id=course_id,
                    cmid=shape.integer(status, "cmid"),
                    state=state,
                    time_completed=(
                        None
                        if state is CompletionState.INCOMPLETE
                        else _timestamp(shape.opt_integer(status, "timecompleted") or 0)
                    ),
                    modname=shape.opt_text(status, "modname"),
                )
            )
        return LmsListing(tuple(completions), _warnings(shape, data))

    # -- competencies (core_competency_*) --------------------------------------------

    def competency_frameworks(self, query: str = "") -> list[LmsCompetencyFramework]:
        """Frameworks of the system context and every category, paged with ``skip``/``limit``.

        ``query`` matches part of the shortname or idnumber, case-insensitively
        (SQL LIKE), so a caller looking for one idnumber compares it exactly.
        Frameworks the service user may not see are left out by Moodle.
        """
        fn = "core_competency_list_competency_frameworks"
        shape = _Shape(fn)
        base: dict[str, ParamValue] = {
            "sort": "id",
            "order": "ASC",
            "limit": self._page_size,
            "context": {"contextlevel": "system", "instanceid": 0},
            "includes": "children",
        }
        if query:
            base["query"] = query
        return self._paged(
            fn, base, lambda row: _framework(shape, row), lambda f: f.id, shape=shape
        )

    def create_competency_framework(
        self,
        *,
        idnumber: str,
        shortname: str,
        description: str,
        scale: LmsScale,
        visible: bool = True,
        taxonomies: Sequence[str] = (),
    ) -> LmsCompetencyFramework:
        """A framework in the system context; ``description`` is HTML.

        Moodle keeps idnumbers unique on the site: a second framework with the
        same idnumber is refused with ``invalidpersistenterror``.
        """
        fn = "core_competency_create_competency_framework"
        record: dict[str, ParamValue] = {
            "shortname": shortname,
            "idnumber": idnumber,
            "description": description,
            "descriptionformat": FORMAT_HTML,
            "visible": visible,
            "scaleid": scale.id,
            "scaleconfiguration": scale_configuration(scale),
            "contextlevel": "system",
            "instanceid": 0,
            "taxonomies": ",".join(taxonomies),
        }
        return _framework(_Shape(fn), self.call(fn, {"competencyframework": record}))

    def update_competency_framework(
        self,
        framework_id: int,
        *,
        shortname: str | None = None,
        description: str | None = None,
        visible: bool | None = None,
    ) -> None:
        record: dict[str, ParamValue] = {"id": framework_id}
        if shortname is not None:
            record["shortname"] = shortname
        if description is not None:
            record["description"] = description
            record["descriptionformat"] = FORMAT_HTML
        if visible is not None:
            record["visible"] = visible
        self._expect_true(
            "core_competency_update_competency_framework", {"competencyframework": record}
        )

    def competencies(self, framework_id: int) -> list[LmsCompetency]:
        """Every competency of the framework, parents and children alike, by id."""
        fn = "core_competency_list_competencies"
        shape = _Shape(fn)
        base: dict[str, ParamValue] = {
            "filters": [{"column": "competencyframeworkid", "value": str(framework_id)}],
            "sort": "id",
            "order": "ASC",
            "limit": self._page_size,
        }
        return self._paged(
            fn, base, lambda row: _competency(shape, row), lambda c: c.id, shape=shape
        )

    def create_competency(
        self,
        framework_id: int,
        *,
        idnumber: str,
        shortname: str,
        description: str,
        parent_id: int | None = None,
    ) -> LmsCompetency:
        """A competency at the end of its parent's children; ``description`` is HTML.

        The idnumber must be unique in the framework (else ``invalidpersistenterror``);
        Moodle stores ``shortname`` and ``idnumber`` in CHAR(100) columns.
        """
        fn = "core_competency_create_competency"
        record: dict[str, ParamValue] = {
            "shortname": shortname,
            "idnumber": idnumber,
            "description": description,
            "descriptionformat": FORMAT_HTML,
            "competencyframeworkid": framework_id,
            "parentid": parent_id or 0,
        }
        return _competency(_Shape(fn), self.call(fn, {"competency": record}))

    def update_competency(
        self,
        competency_id: int,
        *,
        shortname: str | None = None,
        description: str | None = None,
    ) -> None:
        """Change texts; Moodle keeps the parent, order and framework whatever is sent."""
        record: dict[str, ParamValue] = {"id": competency_id}
        if shortname is not None:
            record["shortname"] = shortname
        if description is not None:
            record["description"] = description
            record["descriptionformat"] = FORMAT_HTML
        self._expect_true("core_competency_update_competency", {"competency": record})

    def course_competencies(self, course_id: int) -> list[LmsCourseCompetency]:
        fn = "core_competency_list_course_competencies"
        shape = _Shape(fn)
        links: list[LmsCourseCompetency] = []
        for row in shape.array(self.call(fn, {"id": course_id}), "svaret"):
            entry = shape.obj(row, "kursuskompetence")
            link = shape.obj(entry.get("coursecompetency"), "coursecompetency")
            links.append(
                LmsCourseCompetency(
                    id=shape.integer(link, "id"),
                    course_id=shape.integer(link, "courseid"),
                    competency=_competency(shape, entry.get("competency")),
                    sort_order=shape.opt_integer(link, "sortorder") or 0,
                    rule_outcome=shape.opt_integer(link, "ruleoutcome") or 0,
                )
            )
        return links

    def add_competency_to_course(self, course_id: int, competency_id: int) -> bool:
        fn = "core_competency_add_competency_to_course"
        payload = self.call(fn, {"courseid": course_id, "competencyid": competency_id})
        return _Shape(fn).flag({"svar": payload}, "svar")

    def remove_competency_from_course(self, course_id: int, competency_id: int) -> bool:
        fn = "core_competency_remove_competency_from_course"
        payload = self.call(fn, {"courseid": course_id, "competencyid": competency_id})
        return _Shape(fn).flag({"svar": payload}, "svar")

    # -- transport -----------------------------------------------------------------

    def call(self, wsfunction: str, params: Mapping[str, ParamValue] | None = None) -> object:
        """One web service call; returns the decoded JSON or raises ``LmsError``."""
        pairs = encode_php_params(params or {})
        if len(pairs) + 3 > PHP_MAX_INPUT_VARS:
            raise ValueError(
                f"{wsfunction}: {len(pairs)} parameters exceed PHP's max_input_vars; chunk them"
            )
        head = [
            ("wstoken", self._token),
            ("wsfunction", wsfunction),
            ("moodlewsrestformat", "json"),
        ]
        body = urlencode([*head, *pairs])
        started = time.monotonic()
        try:
            response = self._client.post(
                self.endpoint,
                content=body.encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                timeout=self._timeout,
            )
        except httpx.TimeoutException as exc:
            raise LmsTransientError(
                f"Moodle svarede ikke i tide ved {wsfunction} ({type(exc).__name__})",
                errorcode="timeout",
                wsfunction=wsfunction,
            ) from exc
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise LmsPermanentError(
                f"Ugyldig Moodle-adresse {self.endpoint!r} ved {wsfunction}: {exc}",
                errorcode="invalidurl",
                wsfunction=wsfunction,
            ) from exc
        except httpx.TransportError as exc:
            raise LmsTransientError(
                f"Kunne ikke forbinde til Moodle ved {wsfunction}: {exc}",
                errorcode="connectionerror",
                wsfunction=wsfunction,
            ) from exc
        _log.debug(
            "moodle call %s -> HTTP %s in %.3fs",
            wsfunction,
            response.status_code,
            time.monotonic() - started,
        )
        return _decode(wsfunction, response)

    def _paged(
        self,
        wsfunction: str,
        base: dict[str, ParamValue],
        parse: Callable[[object], _T],
        key: Callable[[_T], int],
        *,
        shape: _Shape,
    ) -> list[_T]:
        """Walk ``skip``/``limit`` pages until a short page (Moodle pages these in SQL)."""
        found: dict[int, _T] = {}
        skip = 0
        while True:
            rows = shape.array(self.call(wsfunction, {**base, "skip": skip}), "svaret")
            new = 0
            for row in rows:
                item = parse(row)
                if key(item) not in found:
                    found[key(item)] = item
                    new += 1
            # A short page ends the walk; a page without new items means paging is ignored.
            if len(rows) < self._page_size or new == 0:
                return list(found.values())
            skip += self._page_size

    def _expect_true(self, wsfunction: str, params: Mapping[str, ParamValue]) -> None:
        """Update functions answer ``true``; anything else is not a success."""
        payload = self.call(wsfunction, params)
        if payload is not True:
            raise _Shape(wsfunction).fail("true", payload)

    def _write(self, wsfunction: str, rows: list[dict[str, int]]) -> list[LmsItemWarning]:
        shape = _Shape(wsfunction)
        warnings: list[LmsItemWarning] = []
        for chunk in _chunks(rows, self._max_items):
            try:
                payload = self.call(wsfunction, {"enrolments": chunk})
            except LmsError as exc:
                if exc.errorcode != WELCOME_MESSAGE_NOT_SENT:
                    raise
                warnings.append(_welcome_message_not_sent(wsfunction, chunk))
                continue
            if payload is None:  # Moodle's documented success answer
                continue
            data = shape.obj(payload, "null eller en liste af advarsler")
            if set(data) - {"warnings"}:
                raise shape.fail("null eller en liste af advarsler", payload)
            warnings.extend(_warnings(shape, data))
        return warnings


def _decode(wsfunction: str, response: httpx.Response) -> object:
    status = response.status_code
    if status in TRANSIENT_HTTP_STATUSES:
        retry_after = _retry_after(response.headers.get("Retry-After"))
        hint = f"; prøv igen om {retry_after:g} s" if retry_after is not None else ""
        raise LmsTransientError(
            f"Moodle svarede HTTP {status} ved {wsfunction}{hint}",
            errorcode=f"http{status}",
            wsfunction=wsfunction,
            status_code=status,
            retry_after=retry_after,
        )
    if status == 403 and not response.content.strip():
        # webservice/rest/server.php: header("HTTP/1.0 403 Forbidden") and die, when
        # webservice_protocol_is_enabled('rest') is false.
        raise LmsAuthError(
            f"Moodle svarede HTTP 403 uden indhold ved {wsfunction}; web services eller "
            "REST-protokollen er sandsynligvis slået fra (Moodles menuer: Site administration > "
            "General > Advanced features: Enable web services, og Site administration > Server > "
            "Web services > Manage protocols: REST)",
            errorcode="webservicesnotenabled",
            wsfunction=wsfunction,
        )
    if status in (401, 403):
        raise LmsAuthError(
            f"Moodle afviste forespørgslen med HTTP {status} ved {wsfunction}",
            errorcode=f"http{status}",
            wsfunction=wsfunction,
        )
    if status >= 400:
        raise LmsPermanentError(
            f"Moodle svarede HTTP {status} ved {wsfunction}; er adressen {response.url} rigtig?",
            errorcode=f"http{status}",
            wsfunction=wsfunction,
        )
    if not response.content.strip():
        # server.php dies silently when web services or REST are switched off.
        raise LmsAuthError(
            f"Moodle sendte et tomt svar ved {wsfunction}; "
            "web services eller REST-protokollen er sandsynligvis slået fra",
            errorcode="webservicesnotenabled",
            wsfunction=wsfunction,
        )
    try:
        payload: object = response.json()
    except ValueError as exc:
        raise LmsPermanentError(
            f"Moodle svarede ikke med JSON ved {wsfunction}: {response.text[:120]!r}",
            errorcode="invalidresponse",
            wsfunction=wsfunction,
        ) from exc
    if isinstance(payload, dict) and "exception" in payload and "errorcode" in payload:
        debuginfo = payload.get("debuginfo")
        raise error_from_moodle_exception(
            wsfunction,
            exception=str(payload["exception"]),
            errorcode=str(payload["errorcode"]),
            message=str(payload.get("message", "")),
            debuginfo=str(debuginfo) if debuginfo else None,
        )
    return payload


def _welcome_message_not_sent(wsfunction: str, chunk: list[dict[str, int]]) -> LmsItemWarning:
    """Enrolled, but the welcome message failed: Moodle sends it after the commit.

    ``enrol_manual_enrol_users`` enrols in one transaction; the welcome message
    (Moodle 4.4: on by default, "From the course contact") is buffered until
    that transaction commits and only then sent, and a mail that cannot be sent
    throws ``moodle_exception("Message was not sent.")`` out of the call. The
    enrolments are saved by then.
    """
    courses = ", ".join(str(c) for c in sorted({row["courseid"] for row in chunk}))
    return LmsItemWarning(
        warningcode="welcomemessagenotsent",
        message=(
            f"Moodle tilmeldte brugeren (kursus {courses}), men kunne ikke sende kursets "
            'velkomstbesked ("Message was not sent."). Tilmeldingen er gemt i Moodle. Slå '
            "velkomstbeskeden fra under Manuelle tilmeldinger (se README) eller ret Moodles "
            "udgående mail."
        ),
        item="course",
        item_id=chunk[0]["courseid"] if len(chunk) == 1 else None,
        wsfunction=wsfunction,
    )


def _criterion_module(shape: _Shape, criterion: Mapping[str, object]) -> tuple[str, int] | None:
    """The module an activity criterion names, from the link Moodle puts in its details.

    ``completion_criteria_activity::get_details`` links the module's view page
    (``/mod/<type>/view.php?id=<cmid>``); a module without a view page (a
    label) is named without a link and cannot be told apart.
    """
    if shape.opt_integer(criterion, "type") != COMPLETION_CRITERIA_TYPE_ACTIVITY:
        return None
    details = criterion.get("details")
    text = details.get("criteria") if isinstance(details, dict) else None
    found = _MODULE_LINK.search(text) if isinstance(text, str) else None
    return (found.group(1), int(found.group(2))) if found else None


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _chunks(items: Sequence[_T], size: int) -> Iterator[list[_T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _timestamp(value: int) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value > 0 else None


def _course(shape: _Shape, row: object) -> LmsCourse:
    course = shape.obj(row, "kursus")
    modified = shape.opt_integer(course, "timemodified")
    return LmsCourse(
        id=shape.integer(course, "id"),
        idnumber=shape.opt_text(course, "idnumber"),
        shortname=shape.text(course, "shortname"),
        fullname=shape.text(course, "fullname"),
        summary=shape.opt_text(course, "summary") or "",
        category_id=shape.integer(course, "categoryid"),
        # Moodle hides "visible" from accounts that cannot open the course; those
        # only ever see visible courses.
        visible=bool(shape.opt_integer(course, "visible", default=1)),
        time_modified=_timestamp(modified) if modified is not None else None,
    )


def scale_configuration(scale: LmsScale) -> str:
    """The JSON tool_lp's scale dialog stores: the scale id, then the flagged items."""
    rows: list[dict[str, object]] = [{"scaleid": str(scale.id)}]
    for item in sorted({scale.default_item, scale.proficient_item}):
        rows.append(
            {
                "id": item,
                "scaledefault": int(item == scale.default_item),
                "proficient": int(item == scale.proficient_item),
            }
        )
    return json.dumps(rows, separators=(",", ":"))


def _framework(shape: _Shape, row: object) -> LmsCompetencyFramework:
    data = shape.obj(row, "kompetenceramme")
    return LmsCompetencyFramework(
        id=shape.integer(data, "id"),
        idnumber=shape.opt_text(data, "idnumber") or "",
        shortname=shape.text(data, "shortname"),
        description=shape.opt_text(data, "description") or "",
        visible=shape.flag(data, "visible"),
        scale_id=shape.opt_integer(data, "scaleid"),
        context_id=shape.integer(data, "contextid"),
        competency_count=shape.opt_integer(data, "competenciescount"),
    )


def _competency(shape: _Shape, row: object) -> LmsCompetency:
    data = shape.obj(row, "kompetence")
    parent = shape.opt_integer(data, "parentid") or 0
    return LmsCompetency(
        id=shape.integer(data, "id"),
        framework_id=shape.integer(data, "competencyframeworkid"),
        idnumber=shape.opt_text(data, "idnumber") or "",
        shortname=shape.text(data, "shortname"),
        description=shape.opt_text(data, "description") or "",
        parent_id=parent or None,
        sort_order=shape.opt_integer(data, "sortorder") or 0,
    )


def _user(shape: _Shape, row: object) -> LmsUser:
    user = shape.obj(row, "bruger")
    fullname = shape.opt_text(user, "fullname")
    if fullname is None:
        parts = (shape.opt_text(user, "firstname"), shape.opt_text(user, "lastname"))
        fullname = " ".join(part for part in parts if part)
    return LmsUser(
        id=shape.integer(user, "id"),
        username=shape.opt_text(user, "username"),
        email=shape.opt_text(user, "email"),
        idnumber=shape.opt_text(user, "idnumber"),
        fullname=fullname,
    )


def _warnings(shape: _Shape, data: Mapping[str, object]) -> tuple[LmsItemWarning, ...]:
    """Moodle's optional ``warnings`` list; absent means none."""
    if data.get("warnings") is None:
        return ()
    result = []
    for row in shape.array(data["warnings"], "warnings"):
        warning = shape.obj(row, "advarsel")
        result.append(
            LmsItemWarning(
                warningcode=str(warning.get("warningcode", "")),
                message=shape.opt_text(warning, "message") or "",
                item=shape.opt_text(warning, "item"),
                item_id=shape.opt_integer(warning, "itemid"),
                wsfunction=shape.wsfunction,
            )
        )
    return tuple(result)


class _Shape:
    """Checks a decoded JSON value and names the function when it is off."""

    def __init__(self, wsfunction: str) -> None:
        self.wsfunction = wsfunction

    def fail(self, expected: str, got: object) -> LmsPermanentError:
        shown = json.dumps(got, ensure_ascii=False, default=str)
        if len(shown) > 120:
            shown = shown[:117] + "..."
        return LmsPermanentError(
            f"Uventet svar fra Moodle ved {self.wsfunction}: forventede {expected}, fik {shown}",
            errorcode="invalidresponse",
            wsfunction=self.wsfunction,
        )

    def obj(self, value: object, what: str) -> Mapping[str, object]:
        if not isinstance(value, dict):
            raise self.fail(f"et objekt ({what})", value)
        return value

    def array(self, value: object, what: str) -> list[object]:
        if not isinstance(value, list):
            raise self.fail(f"en liste ({what})", value)
        return value

    def integer(self, data: Mapping[str, object], key: str) -> int:
        value = self.opt_integer(data, key)
        if value is None:
            raise self.fail(f"et heltal i {key!r}", dict(data))
        return value

    def opt_integer(
        self, data: Mapping[str, object], key: str, default: int | None = None
    ) -> int | None:
        value = data.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
        raise self.fail(f"et heltal i {key!r}", value)

    def text(self, data: Mapping[str, object], key: str) -> str:
        value = self.opt_text(data, key)
        if value is None:
            raise self.fail(f"tekst i {key!r}", dict(data))
        return value

    def opt_text(self, data: Mapping[str, object], key: str) -> str | None:
        value = data.get(key)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise self.fail(f"tekst i {key!r}", value)

    def flag(self, data: Mapping[str, object], key: str) -> bool:
        value = data.get(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise self.fail(f"sand/falsk i {key!r}", value)

    def state(self, data: Mapping[str, object], key: str) -> CompletionState:
        value = self.integer(data, key)
        try:
            return CompletionState(value)
        except ValueError:
            raise self.fail(f"en fuldførelsesstatus 0-3 i {key!r}", value) from None


if TYPE_CHECKING:

    def _is_an_lms_connector(connector: MoodleConnector) -> LmsConnector:
        """mypy proves here that MoodleConnector satisfies the protocol."""
        return connector


__all__ = [
    "COMPETENCY_FUNCTIONS",
    "ENDPOINT_PATH",
    "REQUIRED_FUNCTIONS",
    "MoodleConnector",
    "scale_configuration",
]
