"""The whole stack over real HTTP: httpx's own transport, uvicorn, the simulator."""

from __future__ import annotations

import pytest

from tests.fakes.moodle import MoodleSimulator, serve_on_loopback
from workers.lms.errors import LmsTransientError
from workers.lms.moodle import MoodleConnector
from workers.lms.protocol import LmsEnrolmentRequest


def test_sync_round_trip_over_loopback_http(sim: MoodleSimulator) -> None:
    course = sim.add_course("Svære samtaler med medarbejdere")
    step = sim.add_module(course, "Forberedelse", required_for_course=True)
    lea = sim.add_user("lea.ørsted@ltk.dk", lastname="Ørsted")

    with (
        serve_on_loopback(sim) as base_url,
        MoodleConnector(base_url, sim.service.token, timeout=5) as connector,
    ):
        assert base_url.startswith("http://127.0.0.1:")
        assert [c.fullname for c in connector.list_courses()] == ["Svære samtaler med medarbejdere"]
        (user,) = connector.users_by_field("email", ["lea.ørsted@ltk.dk"])
        assert user.fullname == "Lea Ørsted"
        connector.enrol([LmsEnrolmentRequest(user.id, course)])
        assert [u.id for u in connector.enrolled_users(course)] == [lea]
        sim.set_activity_completion(lea, step, 1)
        sim.run_cron()
        assert connector.course_completion(course, lea).completed


def test_timeout_over_loopback_http(sim: MoodleSimulator) -> None:
    sim.slow(0.5)
    with (
        serve_on_loopback(sim) as base_url,
        MoodleConnector(base_url, sim.service.token, timeout=0.2) as connector,
    ):
        with pytest.raises(LmsTransientError) as caught:
            connector.site_info()
        assert caught.value.errorcode == "timeout"
        sim.slow(0)
