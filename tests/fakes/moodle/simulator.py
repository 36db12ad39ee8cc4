"""``MoodleSimulator``: the site, its web service, faults and a request log."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.fakes.moodle.app import build_app
from tests.fakes.moodle.faults import Faults, HttpFault
from tests.fakes.moodle.inprocess import InProcessTransport
from tests.fakes.moodle.phpform import parse_php_form
from tests.fakes.moodle.schema import WsError, invalid_parameter, missing_record, validate
from tests.fakes.moodle.service import ServiceConfig
from tests.fakes.moodle.site import MoodleSite
from tests.fakes.moodle.ws import FUNCTIONS

_WS_KEYS = ("wstoken", "wsfunction", "moodlewsrestformat")
_XML_EMPTY = '<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n</RESPONSE>\n'


@dataclass(frozen=True)
class LoggedCall:
    """One request as the site received it (after PHP parsing, token left out)."""

    wsfunction: str
    params: dict[str, Any]
    pairs: list[tuple[str, str]]
    status: int
    errorcode: str | None = None
    restformat: str | None = None


@dataclass(frozen=True)
class Reply:
    status: int
    body: str
    media_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


class MoodleSimulator(MoodleSite):
    """An in-memory Moodle site behind a protocol-faithful REST endpoint.

    Build data with the ``MoodleSite`` methods, talk to it through
    ``client()`` (in-process) or ``serve_on_loopback`` (real HTTP), and
    inspect ``calls`` to see what a connector sent.
    """

    def __init__(
        self,
        *,
        token: str = "sim-token-0123456789abcdef",
        site_url: str = "http://moodle.test",
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(clock=clock)
        self.service = ServiceConfig(
            token=token, site_url=site_url, implemented_functions=frozenset(FUNCTIONS)
        )
        self.faults = Faults()
        self.calls: list[LoggedCall] = []
        self.lock = threading.RLock()
        self.app = build_app(self)

    def __repr__(self) -> str:
        return f"<MoodleSimulator {len(self.courses)} courses, {len(self.users)} users>"

    # -- clients ----------------------------------------------------------------------

    def client(self, **kwargs: Any) -> httpx.Client:
        """An ``httpx.Client`` wired to the app in-process; close it when done."""
        return httpx.Client(transport=InProcessTransport(self.app), **kwargs)

    def calls_to(self, wsfunction: str) -> list[LoggedCall]:
        return [call for call in self.calls if call.wsfunction == wsfunction]

    # -- faults -----------------------------------------------------------------------

    def fail_next(
        self, n: int = 1, *, status: int = 503, retry_after: str | None = None, body: str = ""
    ) -> None:
        """The next ``n`` requests get ``status`` from "the proxy", Moodle never sees them."""
        text = body or f"<html><body><h1>{status}</h1></body></html>"
        self.faults.queued.extend(HttpFault(status, text, retry_after) for _ in range(n))

    def slow(self, seconds: float) -> None:
        """Delay every answer by ``seconds`` (0 to stop)."""
        self.faults.delay = seconds

    def rate_limit(self, max_requests_per_window: int | None, window_seconds: float = 1.0) -> None:
        """Answer 429 with Retry-After beyond ``max_requests_per_window`` (None to stop)."""
        self.faults.rate_max = max_requests_per_window
        self.faults.rate_window = window_seconds
        self.faults._window_start = self.faults.clock()
        self.faults._window_count = 0

    def respond_next(self, wsfunction: str, payload: Any) -> None:
        """Answer the next valid call of ``wsfunction`` with ``payload`` (JSON) instead."""
        self.faults.overrides.setdefault(wsfunction, deque()).append(payload)

    def warn_next(self, wsfunction: str, *warnings: dict[str, Any]) -> None:
        """Append Moodle-style warnings to the next answer of ``wsfunction``."""
        self.faults.warnings.setdefault(wsfunction, deque()).append(list(warnings))

    def fail_calls(
        self,
        wsfunction: str,
        when: Callable[[dict[str, Any]], bool],
        error: WsError,
    ) -> None:
        """Answer valid calls of ``wsfunction`` whose parameters match ``when`` with ``error``.

        For faults Moodle raises for one record only (a database error, a record
        deleted between two calls); it lasts until ``faults.errors`` is cleared.
        """
        self.faults.errors.append((wsfunction, when, error))

    def restrict_functions(self, names: set[str] | None) -> None:
        """Expose only ``names`` through the token's service (None: everything)."""
        self.service.allowed_functions = names

    def disable_web_services(self, disabled: bool = True) -> None:
        """Like switching off web services or REST: server.php answers 403 with no body.

        ``webservice/rest/server.php``: ``if (!webservice_protocol_is_enabled('rest'))
        { header("HTTP/1.0 403 Forbidden"); ... die; }``.
        """
        self.service.web_services_enabled = not disabled

    def assign_role_in_category_only(self, only: bool = True) -> None:
        """The service user's role assigned in a category, not in the system context."""
        self.service.role_in_system_context = not only

    def break_mail(self, broken: bool = True) -> None:
        """The site cannot send mail: every message (a course welcome message) fails."""
        self.mail_works = not broken

    # -- the endpoint -----------------------------------------------------------------

    def handle(self, pairs: list[tuple[str, str]]) -> Reply:
        """Answer one request; called by the ASGI app with the raw form pairs."""
        with self.lock:
            request = parse_php_form(pairs, max_input_vars=self.service.max_input_vars)
            wsfunction = str(request.get("wsfunction", ""))
            restformat = request.get("moodlewsrestformat")
            params = {k: v for k, v in request.items() if k not in _WS_KEYS}
            safe_pairs = [(k, v) for k, v in pairs if k != "wstoken"]
            reply, errorcode = self._answer(request, wsfunction, params)
            self.calls.append(
                LoggedCall(wsfunction, params, safe_pairs, reply.status, errorcode, restformat)
            )
            return reply

    def _answer(
        self, request: dict[str, Any], wsfunction: str, params: dict[str, Any]
    ) -> tuple[Reply, str | None]:
        fault = self.faults.http_fault()
        if fault is not None:
            return Reply(fault.status, fault.body, "text/html", fault.headers()), None
        if not self.service.web_services_enabled:
            return Reply(403, "", "text/html"), None
        as_json = request.get("moodlewsrestformat") == "json"
        try:
            result = self._execute(request, wsfunction, params)
        except WsError as error:
            if not as_json:
                return Reply(200, _xml_error(error), "application/xml"), error.errorcode
            return Reply(200, json.dumps(error.body(debug=self.service.debug))), error.errorcode
        if not as_json:
            return Reply(200, _XML_EMPTY, "application/xml"), None
        return Reply(200, json.dumps(result)), None

    def _execute(self, request: dict[str, Any], wsfunction: str, params: dict[str, Any]) -> Any:
        if not self.service.token or request.get("wstoken") != self.service.token:
            raise WsError(
                "invalidtoken",
                "Invalid token - token not found",
                exception="core\\exception\\moodle_exception",
            )
        valid_until = self.service.token_valid_until
        if valid_until is not None and valid_until < time.time():
            # authenticate_by_token: delete_records('external_tokens', ...) then this exception.
            self.service.token = ""
            raise WsError(
                "accessexception",
                "Access control exception",
                exception="webservice_access_exception",
                debuginfo="Invalid token - token expired - check validuntil time for the token",
            )
        if not self.service.role_in_system_context:
            # authenticate_user: has_capability("webservice/rest:use", $this->restricted_context)
            raise WsError(
                "accessexception",
                "Access control exception",
                exception="webservice_access_exception",
                debuginfo="You are not allowed to use the {$a} protocol "
                "(missing capability: webservice/rest:use)",
            )
        if not wsfunction:
            raise invalid_parameter("Missing function name")
        function = FUNCTIONS.get(wsfunction)
        if function is None:
            raise missing_record("external_functions")
        if wsfunction not in self.service.exposed_functions():
            raise WsError(
                "accessexception",
                "Access control exception",
                exception="webservice_access_exception",
                debuginfo=f"Access to the function {wsfunction}() is not allowed.",
            )
        validated = validate(function.parameters, params)
        injected = self.faults.error_for(wsfunction, validated)
        if injected is not None:
            raise injected
        overridden, payload = self.faults.take_override(wsfunction)
        if overridden:
            return payload
        result = function.handler(self, self.service, validated)
        extra = self.faults.take_warnings(wsfunction)
        if extra and isinstance(result, dict):
            result["warnings"] = [*result.get("warnings", []), *extra]
        return result


def _xml_error(error: WsError) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        f'<EXCEPTION class="{error.exception}">\n<ERRORCODE>{error.errorcode}</ERRORCODE>\n'
        f"<MESSAGE>{error.message}</MESSAGE>\n</EXCEPTION>\n"
    )
