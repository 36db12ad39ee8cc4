"""Read operations of MoodleConnector against the simulated site, in-process."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from tests.fakes.moodle import COMPLETION_TRACKING_NONE, MoodleSimulator
from workers.lms.errors import LmsInvalidParameterError, LmsNotFoundError, LmsPermanentError
from workers.lms.moodle import REQUIRED_FUNCTIONS, MoodleConnector
from workers.lms.protocol import LmsItemWarning


def test_site_info_lists_the_functions_the_token_may_call(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    info = connector.site_info()
    assert info.site_name == "Lyngby-Taarbæk Kommune Læring"
    assert info.username == "ws_kompetencekatalog"
    assert info.missing_functions(REQUIRED_FUNCTIONS) == frozenset()

    sim.restrict_functions({"core_webservice_get_site_info", "core_course_get_contents"})
    missing = connector.site_info().missing_functions(REQUIRED_FUNCTIONS)
    assert "enrol_manual_enrol_users" in missing
    assert "core_course_get_contents" not in missing


def test_list_courses_returns_courses_but_not_the_front_page(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    first = sim.add_course("Svære samtaler", idnumber="LTK-K3-01", summary="<p>Om LUS</p>")
    hidden = sim.add_course("Strategisk ledelse", visible=False)

    listing = connector.list_courses()

    assert [course.id for course in listing] == [first, hidden]
    course = listing[0]
    assert (course.fullname, course.idnumber, course.summary) == (
        "Svære samtaler",
        "LTK-K3-01",
        "<p>Om LUS</p>",
    )
    assert course.category_id == 1
    assert course.time_modified is not None
    assert course.time_modified.tzinfo is UTC
    assert listing[1].visible is False
    assert listing.warnings == ()
    assert [call.params for call in sim.calls_to("core_course_get_courses_by_field")] == [{}]


def test_list_courses_in_a_category_sends_field_category(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    other = sim.add_category("Sundhed")
    sim.add_course("Ledelse 1")
    wanted = sim.add_course("Ledelse i sundhed", category_id=other)

    listing = connector.list_courses(other)

    assert [course.id for course in listing] == [wanted]
    assert sim.calls_to("core_course_get_courses_by_field")[-1].params == {
        "field": "category",
        "value": str(other),
    }


def test_course_fields_for_managers_only_come_back_as_none(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    sim.add_course("Ledelse", idnumber="X1")
    sim.service.sees_manager_fields = False

    (course,) = connector.list_courses()

    assert course.idnumber is None
    assert course.time_modified is None


def test_course_warnings_are_returned_not_dropped(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    sim.add_course("Ledelse")
    sim.warn_next(
        "core_course_get_courses_by_field",
        {"item": "course", "itemid": 77, "warningcode": "1", "message": "No access rights"},
    )

    listing = connector.list_courses()

    assert len(listing) == 1
    assert listing.warnings == (
        LmsItemWarning(
            warningcode="1",
            message="No access rights",
            item="course",
            item_id=77,
            wsfunction="core_course_get_courses_by_field",
        ),
    )


def test_list_courses_of_a_large_site_is_one_call(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    site = sim.large_site(courses=5000, users=20000)
    listing = connector.list_courses()
    assert len(listing) == 5000
    assert {course.id for course in listing} == set(site.course_ids)
    assert len(sim.calls) == 1


def test_course_activities_flatten_sections_and_read_completion_tracking(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    course = sim.add_course("Forandringsledelse")
    intro = sim.add_module(course, "Velkommen", modname="label", section=0, completion=0)
    quiz = sim.add_module(course, "Test dig selv", modname="quiz", section=2)
    untracked = sim.add_module(course, "Læs mere", completion=COMPLETION_TRACKING_NONE)

    activities = connector.course_activities(course)

    by_cmid = {activity.cmid: activity for activity in activities}
    assert list(by_cmid) == [intro, untracked, quiz]  # section order, as Moodle lists them
    assert by_cmid[quiz].modname == "quiz"
    assert by_cmid[quiz].section == 2
    assert by_cmid[quiz].completion_tracked is True
    assert by_cmid[untracked].completion_tracked is False
    assert all(activity.course_id == course for activity in activities)
    assert sim.calls_to("core_course_get_contents")[0].params["options"] == {
        "0": {"name": "excludecontents", "value": "1"}
    }


def test_course_activities_of_an_unknown_course_is_not_found(connector: MoodleConnector) -> None:
    with pytest.raises(LmsNotFoundError) as caught:
        connector.course_activities(9999)
    assert caught.value.errorcode == "invalidrecord"


def test_users_by_email_skips_unknown_values(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    lea = sim.add_user("lea@ltk.dk", firstname="Lea", lastname="Ørsted", idnumber="MA1")
    sim.add_user("bo@ltk.dk")

    users = connector.users_by_field("email", ["lea@ltk.dk", "ukendt@ltk.dk"])

    assert len(users) == 1
    user = users[0]
    assert (user.id, user.email, user.fullname, user.idnumber) == (
        lea,
        "lea@ltk.dk",
        "Lea Ørsted",
        "MA1",
    )


def test_users_by_id_accept_ints(sim: MoodleSimulator, connector: MoodleConnector) -> None:
    lea = sim.add_user("lea@ltk.dk")
    assert [user.id for user in connector.users_by_field("id", [lea])] == [lea]


def test_an_email_moodle_would_clean_fails_the_whole_lookup_one_that_is_no_address_does_not(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    """As a real Moodle 4.5 answered: email is PARAM_RAW_TRIMMED, not PARAM_EMAIL."""
    lea = sim.add_user("lea@ltk.dk")
    found = connector.users_by_field("email", ["lea@ltk.dk", "not-an-address"])
    assert [user.id for user in found] == [lea]
    with pytest.raises(LmsInvalidParameterError) as caught:
        connector.users_by_field("email", ["lea@ltk.dk", " anne@ltk.dk"])
    assert caught.value.errorcode == "invalidparameter"
    sim.service.debug = True  # only with debugging on does Moodle name the value
    with pytest.raises(LmsInvalidParameterError) as named:
        connector.users_by_field("email", ["lea@ltk.dk", " anne@ltk.dk"])
    assert "anne@ltk.dk" in str(named.value)


def test_many_lookups_are_chunked_below_php_max_input_vars(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    site = sim.large_site(courses=0, users=1500)
    emails = [f"leder{user_id}@ltk.example.dk" for user_id in site.user_ids]

    users = connector.users_by_field("email", emails)

    assert len(users) == 1500
    calls = sim.calls_to("core_user_get_users_by_field")
    assert len(calls) == 8
    assert all(len(call.pairs) < sim.service.max_input_vars for call in calls)


def test_unexpected_null_instead_of_a_user_list_is_a_permanent_error(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    sim.respond_next("core_user_get_users_by_field", None)
    with pytest.raises(LmsPermanentError) as caught:
        connector.users_by_field("email", ["lea@ltk.dk"])
    assert caught.value.errorcode == "invalidresponse"
    assert "core_user_get_users_by_field" in str(caught.value)
    assert "null" in str(caught.value)


def test_courses_answer_without_the_courses_key_is_a_shape_error(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    sim.respond_next("core_course_get_courses_by_field", {"warnings": []})
    with pytest.raises(LmsPermanentError, match="core_course_get_courses_by_field"):
        connector.list_courses()


def test_enrolled_users_pages_through_a_large_course(
    sim: MoodleSimulator, http_client: httpx.Client
) -> None:
    site = sim.large_site(courses=1, users=2300)
    course = site.course_ids[0]
    sim.enrol_many(course, site.user_ids)
    connector = MoodleConnector(
        sim.service.site_url, sim.service.token, client=http_client, page_size=1000
    )

    users = connector.enrolled_users(course)

    assert sorted(user.id for user in users) == list(site.user_ids)
    offsets = [
        call.params["options"]["0"]["value"]
        for call in sim.calls_to("core_enrol_get_enrolled_users")
    ]
    assert offsets == ["0", "1000", "2000", "3000"]  # the empty page ends the walk
    assert users[0].email == f"leder{site.user_ids[0]}@ltk.example.dk"


def test_enrolled_users_stop_when_the_site_ignores_paging(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    course = sim.add_course("Ledelse")
    lea = sim.add_user("lea@ltk.dk")
    sim.enrol_user(course, lea)
    row = {"id": lea, "fullname": "Lea Leder", "email": "lea@ltk.dk"}
    sim.respond_next("core_enrol_get_enrolled_users", [row])
    sim.respond_next("core_enrol_get_enrolled_users", [row])  # same page again

    assert [user.id for user in connector.enrolled_users(course)] == [lea]
    assert len(sim.calls_to("core_enrol_get_enrolled_users")) == 2


def test_time_modified_is_converted_from_unix_time() -> None:
    sim = MoodleSimulator(clock=lambda: 1_700_000_000.0)
    sim.add_course("Ledelse")
    with sim.client() as client:
        (course,) = MoodleConnector(
            sim.service.site_url, sim.service.token, client=client
        ).list_courses()
    assert course.time_modified == datetime.fromtimestamp(1_700_000_000, UTC)
