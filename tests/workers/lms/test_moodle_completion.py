"""Completion arrives late: the web services show it only after Moodle's cron."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.fakes.moodle import COMPLETION_TRACKING_NONE, MoodleSimulator
from workers.lms.errors import LmsNotFoundError, LmsPermanentError
from workers.lms.moodle import MoodleConnector
from workers.lms.protocol import CompletionState

DONE_AT = 1_760_000_000


@pytest.fixture
def setup(sim: MoodleSimulator) -> tuple[int, int, int, int]:
    """A course with two criteria activities and an enrolled leader."""
    course = sim.add_course("Svære samtaler")
    first = sim.add_module(course, "Forberedelse", required_for_course=True)
    second = sim.add_module(course, "Øvelse", modname="assign", required_for_course=True)
    lea = sim.add_user("lea@ltk.dk")
    sim.enrol_user(course, lea)
    return course, first, second, lea


def test_activity_completion_is_visible_at_once(
    sim: MoodleSimulator, connector: MoodleConnector, setup: tuple[int, int, int, int]
) -> None:
    """completion_info::update_state stores the state at once; no cron in between."""
    course, first, _, lea = setup
    sim.set_activity_completion(lea, first, 1, time_completed=DONE_AT)

    after = {c.cmid: c for c in connector.activity_completions(course, lea)}
    assert after[first].completed
    assert after[first].time_completed == datetime.fromtimestamp(DONE_AT, UTC)
    assert after[first].user_id == lea
    assert after[first].course_id == course
    assert after[first].modname == "page"


def test_course_completes_at_once_when_its_last_activity_criterion_is_done(
    sim: MoodleSimulator, connector: MoodleConnector, setup: tuple[int, int, int, int]
) -> None:
    """Moodle 4.0+ aggregates the user's course completion when an activity's state changes."""
    course, first, second, lea = setup
    sim.set_activity_completion(lea, first, 1, time_completed=DONE_AT)
    assert not connector.course_completion(course, lea).completed

    sim.set_activity_completion(lea, second, 2, time_completed=DONE_AT + 60)

    completion = connector.course_completion(course, lea)
    assert completion.completed
    assert completion.cmid is None
    assert completion.time_completed == datetime.fromtimestamp(DONE_AT + 60, UTC)
    assert completion.warnings == ()
    assert [(c.cmid, c.modname, c.completed) for c in completion.criteria] == [
        (first, "page", True),
        (second, "assign", True),
    ]


def test_modules_the_service_user_may_not_view_are_left_out_but_criteria_name_them(
    sim: MoodleSimulator, connector: MoodleConnector, setup: tuple[int, int, int, int]
) -> None:
    """Without mod/assign:view, contents and statuses leave the assignment out; criteria don't."""
    course, first, second, lea = setup
    sim.service.capabilities.discard("mod/assign:view")
    forum = sim.add_module(course, "Opslag", modname="forum")  # forum has no :view capability

    assert [a.cmid for a in connector.course_activities(course)] == [first, forum]
    assert [c.cmid for c in connector.activity_completions(course, lea)] == [first, forum]
    criteria = connector.course_completion(course, lea).criteria
    assert [(c.cmid, c.modname) for c in criteria] == [(first, "page"), (second, "assign")]


def test_a_failed_attempt_is_done_but_not_completed(
    sim: MoodleSimulator, connector: MoodleConnector, setup: tuple[int, int, int, int]
) -> None:
    course, first, second, lea = setup
    sim.set_activity_completion(lea, first, 1)
    sim.set_activity_completion(lea, second, 3)  # COMPLETION_COMPLETE_FAIL
    sim.run_cron()

    states = {c.cmid: c for c in connector.activity_completions(course, lea)}
    assert states[second].state is CompletionState.COMPLETE_FAIL
    assert not states[second].completed
    assert states[second].time_completed is not None
    assert not connector.course_completion(course, lea).completed


def test_untracked_activities_are_not_listed(
    sim: MoodleSimulator, connector: MoodleConnector, setup: tuple[int, int, int, int]
) -> None:
    course, first, second, lea = setup
    sim.add_module(course, "Litteratur", completion=COMPLETION_TRACKING_NONE)
    assert [c.cmid for c in connector.activity_completions(course, lea)] == [first, second]


def test_course_without_criteria_answers_nocriteriaset(
    sim: MoodleSimulator, connector: MoodleConnector
) -> None:
    course = sim.add_course("Uden kriterier")
    sim.add_module(course, "Side")
    lea = sim.add_user("lea@ltk.dk")
    sim.enrol_user(course, lea)

    with pytest.raises(LmsPermanentError) as caught:
        connector.course_completion(course, lea)

    assert caught.value.errorcode == "nocriteriaset"
    assert caught.value.wsfunction == "core_completion_get_course_completion_status"


def test_course_completion_of_a_user_not_enrolled(
    sim: MoodleSimulator, connector: MoodleConnector, setup: tuple[int, int, int, int]
) -> None:
    course = setup[0]
    bo = sim.add_user("bo@ltk.dk")
    with pytest.raises(LmsPermanentError) as caught:
        connector.course_completion(course, bo)
    assert caught.value.errorcode == "usernotenroled"


@pytest.mark.parametrize(("course", "user"), [(9999, None), (None, 9999)])
def test_completion_for_unknown_course_or_user_is_not_found(
    connector: MoodleConnector,
    setup: tuple[int, int, int, int],
    course: int | None,
    user: int | None,
) -> None:
    course_id = course if course is not None else setup[0]
    user_id = user if user is not None else setup[3]
    with pytest.raises(LmsNotFoundError):
        connector.activity_completions(course_id, user_id)
    with pytest.raises(LmsNotFoundError):
        connector.course_completion(course_id, user_id)


def test_unknown_completion_state_is_a_shape_error(
    sim: MoodleSimulator, connector: MoodleConnector, setup: tuple[int, int, int, int]
) -> None:
    course, first, _, lea = setup
    sim.respond_next(
        "core_completion_get_activities_completion_status",
        {"statuses": [{"cmid": first, "state": 7, "timecompleted": 0}], "warnings": []},
    )
    with pytest.raises(LmsPermanentError, match="0-3"):
        connector.activity_completions(course, lea)


def test_completion_warnings_are_returned(
    sim: MoodleSimulator, connector: MoodleConnector, setup: tuple[int, int, int, int]
) -> None:
    course, _, _, lea = setup
    warning = {"item": "module", "itemid": 5, "warningcode": "cmhidden", "message": "skjult"}
    sim.warn_next("core_completion_get_activities_completion_status", warning)
    sim.warn_next("core_completion_get_course_completion_status", warning)

    assert [w.warningcode for w in connector.activity_completions(course, lea).warnings] == [
        "cmhidden"
    ]
    assert [w.item_id for w in connector.course_completion(course, lea).warnings] == [5]
