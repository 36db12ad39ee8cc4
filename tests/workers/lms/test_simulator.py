"""The simulator itself answers like Moodle where the connector cannot show it."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import httpx
import pytest

from tests.fakes.moodle import SITE_COURSE_ID, MoodleSimulator
from tests.fakes.moodle.phpform import parse_php_form


@pytest.fixture(autouse=True)
def _debugging_on(sim: MoodleSimulator) -> None:
    """These read Moodle's debuginfo, which a site sends only with debugging on."""
    sim.service.debug = True


ENDPOINT = "http://moodle.test/webservice/rest/server.php"


def _post(client: httpx.Client, pairs: list[tuple[str, str]]) -> httpx.Response:
    return client.post(
        ENDPOINT,
        content=urlencode(pairs).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


def _ws(sim: MoodleSimulator, function: str, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("wstoken", sim.service.token),
        ("wsfunction", function),
        ("moodlewsrestformat", "json"),
        *extra,
    ]


def test_php_form_parsing_builds_nested_arrays_and_appends_empty_brackets() -> None:
    parsed = parse_php_form([("a[0][b]", "1"), ("a[0][c]", "2"), ("v[]", "x"), ("v[]", "y")])
    assert parsed == {"a": {"0": {"b": "1", "c": "2"}}, "v": {"0": "x", "1": "y"}}


def test_php_drops_variables_past_max_input_vars(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    course = sim.add_course("Ledelse")
    site = sim.large_site(courses=0, users=400)
    pairs = _ws(sim, "enrol_manual_enrol_users")
    for index, user_id in enumerate(site.user_ids):
        pairs += [
            (f"enrolments[{index}][roleid]", "5"),
            (f"enrolments[{index}][userid]", str(user_id)),
            (f"enrolments[{index}][courseid]", str(course)),
        ]

    body = _post(http_client, pairs).json()

    # PHP keeps 1000 variables: 3 ws ones, 332 whole enrolments and a lone roleid.
    assert body["errorcode"] == "invalidparameter"
    assert "332 => Invalid parameter value detected" in body["debuginfo"]
    assert "Missing required key in single structure: userid" in body["debuginfo"]
    assert sim.enrolled_user_ids(course) == []


def test_errors_are_http_200_with_an_exception_body(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    response = _post(http_client, _ws(sim, "core_course_get_contents", ("courseid", "abc")))
    assert response.status_code == 200
    body = response.json()
    assert body["exception"] == "core\\exception\\invalid_parameter_exception"
    assert body["errorcode"] == "invalidparameter"
    assert body["message"] == "Invalid parameter value detected"
    assert '"int" type' in body["debuginfo"]


def test_unexpected_parameters_are_rejected(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    pairs = _ws(sim, "core_course_get_courses_by_field", ("page", "2"))
    body = _post(http_client, pairs).json()
    assert body["errorcode"] == "invalidparameter"
    assert "Unexpected keys (page)" in body["debuginfo"]


def test_unknown_function_and_function_outside_the_service(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    assert _post(http_client, _ws(sim, "core_nope")).json()["errorcode"] == "invalidrecord"
    sim.restrict_functions({"core_webservice_get_site_info"})
    body = _post(http_client, _ws(sim, "core_course_get_contents", ("courseid", "2"))).json()
    assert (body["exception"], body["errorcode"]) == (
        "webservice_access_exception",
        "accessexception",
    )


def test_without_json_format_moodle_answers_xml(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    pairs = [("wstoken", "wrong"), ("wsfunction", "core_webservice_get_site_info")]
    response = _post(http_client, pairs)
    assert response.headers["content-type"].startswith("application/xml")
    assert "<ERRORCODE>invalidtoken</ERRORCODE>" in response.text


def test_site_front_page_is_a_course_in_category_zero(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    body = _post(http_client, _ws(sim, "core_course_get_courses_by_field")).json()
    (front,) = body["courses"]
    assert (front["id"], front["categoryid"], front["format"]) == (SITE_COURSE_ID, 0, "site")


def test_enrol_answers_json_null(sim: MoodleSimulator, http_client: httpx.Client) -> None:
    course, user = sim.add_course("Ledelse"), sim.add_user("lea@ltk.dk")
    pairs = _ws(
        sim,
        "enrol_manual_enrol_users",
        ("enrolments[0][roleid]", "5"),
        ("enrolments[0][userid]", str(user)),
        ("enrolments[0][courseid]", str(course)),
    )
    assert json.loads(_post(http_client, pairs).text) is None


def test_request_log_keeps_parameters_but_not_the_token(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    _post(http_client, _ws(sim, "core_course_get_contents", ("courseid", "5")))
    (call,) = sim.calls
    assert call.wsfunction == "core_course_get_contents"
    assert call.params == {"courseid": "5"}
    assert all(name != "wstoken" for name, _ in call.pairs)


def test_rate_limit_window_reopens(sim: MoodleSimulator, http_client: httpx.Client) -> None:
    now = [100.0]
    sim.faults.clock = lambda: now[0]
    sim.rate_limit(2, window_seconds=10)
    statuses = [_post(http_client, _ws(sim, "core_webservice_get_site_info")).status_code]
    statuses += [_post(http_client, _ws(sim, "core_webservice_get_site_info")).status_code]
    limited = _post(http_client, _ws(sim, "core_webservice_get_site_info"))
    assert statuses == [200, 200]
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "10")
    now[0] += 10
    assert _post(http_client, _ws(sim, "core_webservice_get_site_info")).status_code == 200


def test_large_site_has_thousands_of_courses_and_users(sim: MoodleSimulator) -> None:
    site = sim.large_site()
    assert (len(site.course_ids), len(site.user_ids)) == (5000, 20000)
    assert len(sim.users) == 20000


def test_in_process_client_enforces_read_timeouts(sim: MoodleSimulator) -> None:
    sim.slow(0.5)
    with sim.client(timeout=0.05) as client, pytest.raises(httpx.ReadTimeout):
        _post(client, _ws(sim, "core_webservice_get_site_info"))
