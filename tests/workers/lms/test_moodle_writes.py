"""Enrolment and withdrawal through enrol_manual_*: idempotent, transactional, chunked."""

from __future__ import annotations

import pytest

from tests.fakes.moodle import MoodleSimulator
from workers.lms.errors import LmsInvalidParameterError, LmsNotFoundError, LmsPermanentError
from workers.lms.moodle import MoodleConnector
from workers.lms.protocol import LmsEnrolmentRequest


@pytest.fixture(autouse=True)
def _debugging_on(sim: MoodleSimulator) -> None:
    """These read Moodle's debuginfo, which a site sends only with debugging on."""
    sim.service.debug = True


@pytest.fixture
def course(sim: MoodleSimulator) -> int:
    return sim.add_course("Svære samtaler")


@pytest.fixture
def lea(sim: MoodleSimulator) -> int:
    return sim.add_user("lea@ltk.dk")


def test_enrol_sends_php_arrays_and_enrols(
    sim: MoodleSimulator, connector: MoodleConnector, course: int, lea: int
) -> None:
    warnings = connector.enrol([LmsEnrolmentRequest(user_id=lea, course_id=course)])

    assert warnings == []
    assert sim.enrolled_user_ids(course) == [lea]
    (call,) = sim.calls_to("enrol_manual_enrol_users")
    assert call.pairs[-3:] == [
        ("enrolments[0][roleid]", "5"),
        ("enrolments[0][userid]", str(lea)),
        ("enrolments[0][courseid]", str(course)),
    ]


def test_enrolling_twice_changes_nothing(
    sim: MoodleSimulator, connector: MoodleConnector, course: int, lea: int
) -> None:
    request = LmsEnrolmentRequest(lea, course)
    connector.enrol([request])
    connector.enrol([request])
    assert sim.enrolled_user_ids(course) == [lea]
    assert [user.id for user in connector.enrolled_users(course)] == [lea]


def test_unenrol_withdraws_and_is_idempotent(
    sim: MoodleSimulator, connector: MoodleConnector, course: int, lea: int
) -> None:
    sim.enrol_user(course, lea)
    assert connector.unenrol([LmsEnrolmentRequest(lea, course)]) == []
    assert connector.unenrol([LmsEnrolmentRequest(lea, course)]) == []
    assert sim.enrolled_user_ids(course) == []


def test_nothing_to_do_sends_nothing(sim: MoodleSimulator, connector: MoodleConnector) -> None:
    assert connector.enrol([]) == []
    assert connector.unenrol([]) == []
    assert sim.calls == []


def test_a_role_the_service_may_not_assign_fails_the_whole_call(
    sim: MoodleSimulator, connector: MoodleConnector, course: int, lea: int
) -> None:
    bo = sim.add_user("bo@ltk.dk")
    requests = [LmsEnrolmentRequest(lea, course), LmsEnrolmentRequest(bo, course, role_id=1)]

    with pytest.raises(LmsPermanentError) as caught:
        connector.enrol(requests)

    assert caught.value.errorcode == "wsusercannotassign"
    assert caught.value.wsfunction == "enrol_manual_enrol_users"
    assert sim.enrolled_user_ids(course) == []  # Moodle rolled back Lea's enrolment too


def test_enrolling_into_an_unknown_course_is_an_invalid_parameter(
    connector: MoodleConnector, lea: int
) -> None:
    with pytest.raises(LmsInvalidParameterError) as caught:
        connector.enrol([LmsEnrolmentRequest(lea, 9999)])
    assert caught.value.debuginfo == "Context does not exist"


def test_enrolling_an_unknown_user_is_moodles_coding_error(
    connector: MoodleConnector, course: int
) -> None:
    with pytest.raises(LmsPermanentError) as caught:
        connector.enrol([LmsEnrolmentRequest(9999, course)])
    assert caught.value.errorcode == "codingerror"
    assert "User ID does not exist" in str(caught.value)


def test_unenrolling_from_an_unknown_course_is_not_found(
    connector: MoodleConnector, lea: int
) -> None:
    with pytest.raises(LmsNotFoundError):
        connector.unenrol([LmsEnrolmentRequest(lea, 9999)])


def test_unenrolling_an_unknown_user_is_an_invalid_parameter(
    connector: MoodleConnector, course: int
) -> None:
    with pytest.raises(LmsInvalidParameterError, match="User id not exist: 9999"):
        connector.unenrol([LmsEnrolmentRequest(9999, course)])


def test_large_batches_are_chunked_so_php_drops_no_enrolments(
    sim: MoodleSimulator, connector: MoodleConnector, course: int
) -> None:
    site = sim.large_site(courses=0, users=700)

    connector.enrol([LmsEnrolmentRequest(user_id, course) for user_id in site.user_ids])

    assert sim.enrolled_user_ids(course) == list(site.user_ids)
    calls = sim.calls_to("enrol_manual_enrol_users")
    assert [len(call.params["enrolments"]) for call in calls] == [200, 200, 200, 100]


def test_call_refuses_more_parameters_than_php_accepts(
    sim: MoodleSimulator, connector: MoodleConnector, course: int
) -> None:
    """PHP would silently drop the excess (see the simulator tests), so refuse to send it."""
    rows = [{"roleid": 5, "userid": n, "courseid": course} for n in range(400)]
    with pytest.raises(ValueError, match="max_input_vars"):
        connector.call("enrol_manual_enrol_users", {"enrolments": rows})
    assert sim.calls == []


def test_warnings_in_a_write_answer_are_returned(
    sim: MoodleSimulator, connector: MoodleConnector, course: int, lea: int
) -> None:
    sim.respond_next(
        "enrol_manual_enrol_users",
        {"warnings": [{"item": "user", "itemid": lea, "warningcode": "x1", "message": "m"}]},
    )
    (warning,) = connector.enrol([LmsEnrolmentRequest(lea, course)])
    assert (warning.item, warning.item_id, warning.warningcode) == ("user", lea, "x1")
    assert warning.wsfunction == "enrol_manual_enrol_users"


def test_data_where_null_is_expected_is_a_shape_error(
    sim: MoodleSimulator, connector: MoodleConnector, course: int, lea: int
) -> None:
    sim.respond_next("enrol_manual_enrol_users", {"status": True})
    with pytest.raises(LmsPermanentError, match="enrol_manual_enrol_users"):
        connector.enrol([LmsEnrolmentRequest(lea, course)])


def test_a_welcome_message_moodle_cannot_send_is_a_warning_for_a_saved_enrolment(
    sim: MoodleSimulator, connector: MoodleConnector, course: int, lea: int
) -> None:
    """Moodle 4.4 sends the welcome message after the commit, then answers its failure."""
    sim.enrol_user(course, sim.add_user("laerer@ltk.dk"), role_id=3)  # the course contact
    sim.break_mail()

    warnings = connector.enrol([LmsEnrolmentRequest(user_id=lea, course_id=course)])

    assert lea in sim.enrolled_user_ids(course)
    (call,) = sim.calls_to("enrol_manual_enrol_users")
    assert call.errorcode == "Message was not sent.", "the simulator answers as Moodle does"
    [warning] = warnings
    assert warning.warningcode == "welcomemessagenotsent"
    assert "Tilmeldingen er gemt i Moodle" in warning.message
    assert "velkomstbesked" in warning.message


def test_without_a_course_contact_no_welcome_message_is_sent_so_nothing_fails(
    sim: MoodleSimulator, connector: MoodleConnector, course: int, lea: int
) -> None:
    sim.break_mail()
    assert connector.enrol([LmsEnrolmentRequest(user_id=lea, course_id=course)]) == []


def test_a_welcome_message_switched_off_is_not_sent(
    sim: MoodleSimulator, connector: MoodleConnector, course: int, lea: int
) -> None:
    sim.enrol_user(course, sim.add_user("laerer@ltk.dk"), role_id=3)
    sim.courses[course].welcome_message = 0  # "Send course welcome message": No
    sim.break_mail()
    assert connector.enrol([LmsEnrolmentRequest(user_id=lea, course_id=course)]) == []
