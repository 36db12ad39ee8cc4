"""Typed LMS errors, split by what the caller should do about them.

Transient errors are worth retrying with backoff (the Celery tasks own the
retry policy); permanent ones are not: retrying a refused token or a bad
parameter only hammers the LMS. Messages are Danish because HR reads them in
the SyncRun log; ``errorcode`` stays Moodle's English code for programs.

The errors pickle with all their attributes, so Celery can carry them.
"""

from __future__ import annotations

from typing import Any

#: Refusals of the token, service or capability: fixing them needs an admin.
AUTH_ERRORCODES = frozenset(
    {
        "invalidtoken",
        "accessexception",
        "webservicesnotenabled",
        "enablewsdescription",
        "nopermissions",
        "requireloginerror",
        "restrictedcontextexception",
        "usernotconfirmed",
        "passwordisexpired",
        "invalidtimedtoken",
        "forcepasswordchangenotice",
        "usernotfullysetup",
    }
)
INVALID_PARAMETER_ERRORCODES = frozenset({"invalidparameter", "errorinvalidparam"})
NOT_FOUND_ERRORCODES = frozenset({"invalidrecord", "invalidrecordunknown"})
#: Conditions that pass by themselves: maintenance mode, a database hiccup.
TRANSIENT_ERRORCODES = frozenset(
    {"sitemaintenance", "dbconnectionfailed", "dmlreadexception", "dmlwriteexception"}
)
#: ``webservice_server::authenticate_user`` checks ``webservice/rest:use`` in the token's
#: context, the system context unless the token is restricted: a role assigned only in a
#: category does not give it. Moodle shows why only with debugging on, so say it here.
ACCESS_HINT = (
    ". Tjek at servicebrugerens rolle er tildelt i systemkonteksten og giver webservice/rest:use,"
    " at brugeren er autoriseret til den eksterne service, og at tokenet ikke er udløbet (Manage"
    " tokens: Valid until; Moodle sletter et udløbet token ved første kald efter udløbet, og"
    " svarer derefter invalidtoken) (se README: Connecting a real Moodle)."
)
#: ``webservice_server::authenticate_user``: a token that is not in ``external_tokens``. Moodle
#: deletes a token whose ``validuntil`` has passed (and the token form sets one 30 days ahead by
#: default), so after a first ``accessexception`` an expired token is ``invalidtoken`` for good.
UNKNOWN_KEY_ADVICE = (
    ": tokenet findes ikke i Moodle. Det er forkert, eller det er slettet, fx fordi dets"
    " 'Valid until' er passeret (Moodle sletter udløbne tokens). Opret et nyt under Site"
    " administration > Server > Web services > Manage tokens og sæt CATALOGUE_MOODLE_TOKEN"
)
#: Exception classes that decide the type when the errorcode is unfamiliar.
_AUTH_EXCEPTION_CLASSES = frozenset(
    {"webservice_access_exception", "required_capability_exception"}
)


class LmsError(Exception):
    """Base class: ``errorcode`` and ``wsfunction`` say what failed where."""

    def __init__(
        self,
        message: str,
        *,
        errorcode: str = "",
        wsfunction: str = "",
        debuginfo: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errorcode = errorcode
        self.wsfunction = wsfunction
        self.debuginfo = debuginfo

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (self.message,), self.__dict__.copy())


class LmsTransientError(LmsError):
    """Worth retrying later; ``retry_after`` (seconds) is the LMS's own hint."""

    def __init__(
        self,
        message: str,
        *,
        errorcode: str = "",
        wsfunction: str = "",
        debuginfo: str | None = None,
        status_code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, errorcode=errorcode, wsfunction=wsfunction, debuginfo=debuginfo)
        self.status_code = status_code
        self.retry_after = retry_after


class LmsPermanentError(LmsError):
    """Retrying the same call will fail the same way."""


class LmsAuthError(LmsPermanentError):
    """The LMS refused the token, the service or a capability."""


class LmsInvalidParameterError(LmsPermanentError):
    """The LMS rejected the parameters we sent."""


class LmsNotFoundError(LmsPermanentError):
    """A course, user or module the call named does not exist in the LMS."""


def error_from_moodle_exception(
    wsfunction: str,
    *,
    exception: str,
    errorcode: str,
    message: str,
    debuginfo: str | None = None,
) -> LmsError:
    """Turn Moodle's ``{"exception", "errorcode", "message"}`` body into a typed error.

    Moodle 4.4+ reports namespaced classes (``core\\exception\\...``), so only the
    last segment of ``exception`` is compared.
    """
    exception_class = exception.rsplit("\\", 1)[-1]
    detail = f"{message} ({debuginfo})" if debuginfo else message
    kwargs: dict[str, Any] = {
        "errorcode": errorcode,
        "wsfunction": wsfunction,
        "debuginfo": debuginfo,
    }
    if errorcode == "invalidtoken":
        return LmsAuthError(
            f"Moodle afviste tokenet (invalidtoken) ved {wsfunction}{UNKNOWN_KEY_ADVICE}", **kwargs
        )
    if errorcode in AUTH_ERRORCODES or exception_class in _AUTH_EXCEPTION_CLASSES:
        hint = ACCESS_HINT if errorcode == "accessexception" else ""
        return LmsAuthError(
            f"Moodle nægtede adgang ({errorcode}) ved {wsfunction}: {detail}{hint}", **kwargs
        )
    if errorcode in TRANSIENT_ERRORCODES:
        return LmsTransientError(
            f"Moodle er midlertidigt utilgængelig ({errorcode}) ved {wsfunction}: {detail}",
            **kwargs,
        )
    if (
        errorcode in INVALID_PARAMETER_ERRORCODES
        or exception_class == "invalid_parameter_exception"
    ):
        return LmsInvalidParameterError(
            f"Moodle afviste parametrene ({errorcode}) ved {wsfunction}: {detail}", **kwargs
        )
    if errorcode in NOT_FOUND_ERRORCODES or exception_class == "dml_missing_record_exception":
        return LmsNotFoundError(
            f"Moodle fandt ikke det efterspurgte ({errorcode}) ved {wsfunction}: {detail}",
            **kwargs,
        )
    return LmsPermanentError(
        f"Moodle svarede med fejl ({errorcode}) ved {wsfunction}: {detail}", **kwargs
    )


class LmsSettingsError(Exception):
    """``CATALOGUE_LMS_KIND`` or a connector's own settings are missing or wrong.

    Raised before any LMS is called; the message is Danish and names the
    setting, for whoever runs the service. Never retried: only a change of
    settings helps.
    """
