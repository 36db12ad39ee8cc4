"""Every way Moodle (or what stands in front of it) says no, as a typed error."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from tests.fakes.moodle import MoodleSimulator
from workers.lms.errors import (
    UNKNOWN_KEY_ADVICE,
    LmsAuthError,
    LmsPermanentError,
    LmsTransientError,
)
from workers.lms.moodle import MoodleConnector


def test_wrong_token_is_an_auth_error_after_a_single_request(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    connector = MoodleConnector(sim.service.site_url, "forkert-token", client=http_client)
    started = time.monotonic()

    with pytest.raises(LmsAuthError) as caught:
        connector.site_info()

    assert time.monotonic() - started < 1
    assert len(sim.calls) == 1
    assert caught.value.errorcode == "invalidtoken"
    assert str(caught.value) == (
        "Moodle afviste tokenet (invalidtoken) ved core_webservice_get_site_info"
        + UNKNOWN_KEY_ADVICE
    )
    assert "forkert-token" not in str(caught.value)
    assert "forkert-token" not in repr(connector)


def test_function_missing_from_the_service_is_an_auth_error(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    sim.restrict_functions({"core_webservice_get_site_info"})
    with pytest.raises(LmsAuthError) as caught:
        connector.enrolled_users(2)
    assert caught.value.errorcode == "accessexception"


def test_403_without_a_body_says_web_services_or_rest_are_probably_off(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    sim.disable_web_services()
    with pytest.raises(LmsAuthError) as caught:
        connector.site_info()
    assert sim.calls[-1].status == 403
    assert caught.value.errorcode == "webservicesnotenabled"
    assert "web services eller REST-protokollen er sandsynligvis slået fra" in str(caught.value)


def test_a_403_with_a_body_is_a_refusal_not_a_switched_off_service(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    sim.fail_next(status=403, body="<html><body>Forbidden by the proxy</body></html>")
    with pytest.raises(LmsAuthError) as caught:
        connector.site_info()
    assert caught.value.errorcode == "http403"


def test_an_empty_200_from_an_older_moodle_also_says_web_services_are_off(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    sim.fail_next(status=200, body=" ")
    with pytest.raises(LmsAuthError) as caught:
        connector.site_info()
    assert caught.value.errorcode == "webservicesnotenabled"


def test_a_role_assigned_only_in_a_category_is_refused_with_the_system_context_hint(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    """webservice/rest:use is checked in the system context, before any function runs."""
    sim.assign_role_in_category_only()
    with pytest.raises(LmsAuthError) as caught:
        connector.site_info()
    assert caught.value.errorcode == "accessexception"
    assert "tildelt i systemkonteksten" in str(caught.value)
    assert "webservice/rest:use" in str(caught.value)


def test_503_is_transient_with_the_retry_after_hint_and_is_not_retried_here(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    sim.fail_next(1, status=503, retry_after="30")

    with pytest.raises(LmsTransientError) as caught:
        connector.site_info()

    assert (caught.value.status_code, caught.value.retry_after) == (503, 30.0)
    assert caught.value.errorcode == "http503"
    assert "prøv igen om 30 s" in str(caught.value)
    assert len(sim.calls) == 1
    assert connector.site_info().site_name  # the fault was one-off


@pytest.mark.parametrize("status", [500, 502, 504])
def test_gateway_failures_are_transient(
    sim: MoodleSimulator, connector: MoodleConnector, status: int
) -> None:
    sim.fail_next(status=status)
    with pytest.raises(LmsTransientError) as caught:
        connector.list_courses()
    assert caught.value.retry_after is None


def test_rate_limit_answers_429_with_retry_after(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    sim.rate_limit(3, window_seconds=60)
    for _ in range(3):
        connector.site_info()

    with pytest.raises(LmsTransientError) as caught:
        connector.site_info()

    assert caught.value.status_code == 429
    assert caught.value.retry_after is not None
    assert 59 <= caught.value.retry_after <= 60


def test_retry_after_as_an_http_date(sim: MoodleSimulator, connector: MoodleConnector) -> None:
    when = datetime.now(UTC) + timedelta(seconds=120)
    sim.fail_next(status=429, retry_after=format_datetime(when, usegmt=True))
    with pytest.raises(LmsTransientError) as caught:
        connector.site_info()
    assert caught.value.retry_after is not None
    assert 100 < caught.value.retry_after <= 120


def test_maintenance_mode_is_transient(sim: MoodleSimulator, connector: MoodleConnector) -> None:
    sim.respond_next(
        "core_webservice_get_site_info",
        {"exception": "moodle_exception", "errorcode": "sitemaintenance", "message": "Vedligehold"},
    )
    with pytest.raises(LmsTransientError) as caught:
        connector.site_info()
    assert caught.value.errorcode == "sitemaintenance"


@pytest.mark.parametrize(("status", "error"), [(403, LmsAuthError), (404, LmsPermanentError)])
def test_client_errors_are_permanent(
    sim: MoodleSimulator, connector: MoodleConnector, status: int, error: type[Exception]
) -> None:
    sim.fail_next(status=status)
    with pytest.raises(error) as caught:
        connector.site_info()
    assert not isinstance(caught.value, LmsTransientError)


def test_html_where_json_is_expected_is_permanent(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    sim.fail_next(status=200, body="<html><body>Login</body></html>")
    with pytest.raises(LmsPermanentError) as caught:
        connector.site_info()
    assert caught.value.errorcode == "invalidresponse"


def test_slow_answer_is_a_transient_timeout(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    connector = MoodleConnector(
        sim.service.site_url, sim.service.token, client=http_client, timeout=0.05
    )
    sim.slow(0.5)
    with pytest.raises(LmsTransientError) as caught:
        connector.site_info()
    assert caught.value.errorcode == "timeout"


def test_refused_connection_is_transient() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        MoodleConnector(f"http://127.0.0.1:{port}", "token", timeout=2) as connector,
        pytest.raises(LmsTransientError) as caught,
    ):
        connector.site_info()
    assert caught.value.errorcode == "connectionerror"


def test_unusable_base_url_is_permanent() -> None:
    with (
        MoodleConnector("ftp://moodle.example", "token") as connector,
        pytest.raises(LmsPermanentError) as caught,
    ):
        connector.site_info()
    assert caught.value.errorcode == "invalidurl"


def test_a_token_is_required() -> None:
    with pytest.raises(ValueError, match="token"):
        MoodleConnector("http://moodle.test", "")


def test_an_expired_token_is_refused_once_as_access_then_as_unknown_and_both_say_so(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    """Seen on a real Moodle: the token form's 'Valid until' is on, 30 days ahead, by default.

    The first call after it has passed deletes the token and answers accessexception (its
    debuginfo, naming the expiry, only with debugging on); every call after is invalidtoken.
    """
    sim.service.debug = False  # a production site: no debuginfo
    sim.service.token_valid_until = time.time() - 60
    connector = MoodleConnector(sim.service.site_url, sim.service.token, client=http_client)

    with pytest.raises(LmsAuthError) as first:
        connector.site_info()
    assert first.value.errorcode == "accessexception"
    assert "tokenet ikke er udløbet (Manage tokens: Valid until" in str(first.value)

    with pytest.raises(LmsAuthError) as then:
        connector.site_info()
    assert then.value.errorcode == "invalidtoken"
    assert "'Valid until' er passeret" in str(then.value)
