"""How Moodle's error bodies are classified, and that the errors survive Celery."""

from __future__ import annotations

import pickle

import pytest

from workers.lms.errors import (
    LmsAuthError,
    LmsError,
    LmsInvalidParameterError,
    LmsNotFoundError,
    LmsPermanentError,
    LmsTransientError,
    error_from_moodle_exception,
)


@pytest.mark.parametrize(
    ("exception", "errorcode", "expected"),
    [
        ("moodle_exception", "invalidtoken", LmsAuthError),
        ("webservice_access_exception", "accessexception", LmsAuthError),
        ("required_capability_exception", "nopermissions", LmsAuthError),
        ("invalid_parameter_exception", "invalidparameter", LmsInvalidParameterError),
        ("moodle_exception", "errorinvalidparam", LmsInvalidParameterError),
        ("dml_missing_record_exception", "invalidrecord", LmsNotFoundError),
        ("moodle_exception", "sitemaintenance", LmsTransientError),
        ("dml_read_exception", "dmlreadexception", LmsTransientError),
        ("moodle_exception", "wsusercannotassign", LmsPermanentError),
        ("moodle_exception", "nocriteriaset", LmsPermanentError),
        ("coding_exception", "codingerror", LmsPermanentError),
        # Moodle 4.4+ names its exception classes with a namespace.
        ("core\\exception\\invalid_parameter_exception", "someothercode", LmsInvalidParameterError),
        ("core_external\\webservice_access_exception", "x", LmsAuthError),
    ],
)
def test_moodle_exception_bodies_map_to_typed_errors(
    exception: str, errorcode: str, expected: type[LmsError]
) -> None:
    error = error_from_moodle_exception(
        "core_course_get_contents", exception=exception, errorcode=errorcode, message="m"
    )
    assert type(error) is expected
    assert error.errorcode == errorcode
    assert error.wsfunction == "core_course_get_contents"


def test_invalid_token_message_is_danish_and_names_the_function() -> None:
    error = error_from_moodle_exception(
        "core_webservice_get_site_info",
        exception="moodle_exception",
        errorcode="invalidtoken",
        message="Invalid token - token not found",
    )
    assert str(error).startswith(
        "Moodle afviste tokenet (invalidtoken) ved core_webservice_get_site_info: tokenet findes "
        "ikke i Moodle."
    )
    # Moodle deletes a token past its 'Valid until', so say where to make a new one.
    assert "'Valid until' er passeret" in str(error)
    assert "Site administration > Server > Web services > Manage tokens" in str(error)


def test_debuginfo_is_kept_and_shown() -> None:
    error = error_from_moodle_exception(
        "enrol_manual_unenrol_users",
        exception="invalid_parameter_exception",
        errorcode="invalidparameter",
        message="Invalid parameter value detected",
        debuginfo="User id not exist: 99",
    )
    assert error.debuginfo == "User id not exist: 99"
    assert "User id not exist: 99" in str(error)


def test_auth_and_parameter_errors_are_permanent() -> None:
    assert issubclass(LmsAuthError, LmsPermanentError)
    assert issubclass(LmsInvalidParameterError, LmsPermanentError)
    assert issubclass(LmsNotFoundError, LmsPermanentError)
    assert not issubclass(LmsTransientError, LmsPermanentError)


def test_errors_pickle_with_all_their_attributes() -> None:
    error = LmsTransientError(
        "Moodle svarede HTTP 429",
        errorcode="http429",
        wsfunction="core_enrol_get_enrolled_users",
        status_code=429,
        retry_after=30.0,
    )
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is LmsTransientError
    assert (copy.message, copy.errorcode, copy.wsfunction) == (
        error.message,
        error.errorcode,
        error.wsfunction,
    )
    assert (copy.status_code, copy.retry_after) == (429, 30.0)
