"""Entry point for tests: ``from tests.fakes.moodle_simulator import MoodleSimulator``.

The implementation is split into small modules under ``tests/fakes/moodle/``.
"""

from tests.fakes.moodle import (
    COMPLETION_TRACKING_AUTOMATIC,
    COMPLETION_TRACKING_MANUAL,
    COMPLETION_TRACKING_NONE,
    SITE_COURSE_ID,
    LargeSite,
    LoggedCall,
    MoodleSimulator,
    serve_on_loopback,
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
