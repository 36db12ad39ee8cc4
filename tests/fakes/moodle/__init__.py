"""A protocol-faithful Moodle Web Services simulator (see ``simulator.py``)."""

from tests.fakes.moodle.loopback import serve_on_loopback
from tests.fakes.moodle.simulator import LoggedCall, MoodleSimulator
from tests.fakes.moodle.site import (
    COMPLETION_TRACKING_AUTOMATIC,
    COMPLETION_TRACKING_MANUAL,
    COMPLETION_TRACKING_NONE,
    SITE_COURSE_ID,
    LargeSite,
)

__all__ = [
    "COMPLETION_TRACKING_AUTOMATIC",
    "COMPLETION_TRACKING_MANUAL",
    "COMPLETION_TRACKING_NONE",
    "SITE_COURSE_ID",
    "LargeSite",
    "LoggedCall",
    "MoodleSimulator",
    "serve_on_loopback",
]
