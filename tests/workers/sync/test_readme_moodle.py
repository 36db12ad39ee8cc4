"""The README's "Connecting a real Moodle" says what a fresh Moodle 4.4 needs, no more, no less."""

from __future__ import annotations

import re

import pytest

from catalogue.settings import PROJECT_ROOT
from tests.fakes.moodle.service import MODULE_VIEW_CAPABILITIES
from workers.lms.moodle import REQUIRED_FUNCTIONS

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Connecting a real Moodle\n", 1)[1].split("\n## ", 1)[0]
#: The section as one line of prose, Markdown's line breaks and emphasis left out.
PROSE = " ".join(SECTION.replace("*", "").split())


def _step(number: int) -> str:
    found = re.search(rf"^{number}\. (.*?)(?=^\d+\. |\Z)", SECTION, flags=re.M | re.S)
    assert found, f"step {number}"
    return " ".join(found.group(1).replace("*", "").split())


def test_the_role_names_the_view_capability_of_every_activity_type_moodle_hides() -> None:
    """cm_info::is_user_access_restricted_by_capability: without it, no link, no completions."""
    role = _step(3)
    missing = sorted(c for c in MODULE_VIEW_CAPABILITIES if f"`{c}`" not in role)
    assert missing == []
    assert "`moodle/course:viewhiddenactivities`" in role


def test_the_role_is_assigned_in_the_system_context_and_may_be_assigned_there() -> None:
    role = _step(3)
    assert "Context types where this role may be assigned" in role
    assert "tick System" in role
    assert "Assign it in the system context" in role
    assert "in the category you sync" not in PROSE


def test_the_welcome_message_and_how_to_switch_it_off_are_explained() -> None:
    welcome = _step(2)
    assert "`Message was not sent.`" in welcome
    assert "Manual enrolments > Send course welcome message: No" in welcome
    assert "Enrolment methods > Manual enrolments > Edit > Send course welcome message: No" in (
        welcome
    )


def test_web_services_switched_off_are_recognisable_by_the_403() -> None:
    assert "HTTP 403 and an empty body" in _step(1)


def test_completion_is_not_said_to_wait_for_cron_when_moodle_sets_it_at_once() -> None:
    assert "only after cron" not in PROSE
    assert "after Moodle's cron" not in PROSE
    assert "Moodle marks the course complete at once" in _step(1)


@pytest.mark.parametrize("function", sorted(REQUIRED_FUNCTIONS))
def test_the_service_needs_at_least_the_functions_the_connector_calls(function: str) -> None:
    service = _step(4)
    assert "at least these" in service
    assert "exactly these functions" not in PROSE
    assert f"`{function}`" in service


def test_the_token_step_warns_of_the_default_expiry_and_the_one_time_display() -> None:
    """A real Moodle's token form ticks 'Valid until' 30 days ahead; the token shows once."""
    token = _step(4)
    assert "Valid until is ticked and set 30 days ahead by default" in token
    assert "untick its Enable" in token
    assert "Moodle deletes a token" in token
    assert "shows the token once only" in token


def test_the_capabilities_moodle_calls_missing_are_said_to_be_unneeded() -> None:
    """The Authorised users page lists two; granting moodle/user:update would be a risk."""
    role = _step(3)
    assert "Missing capabilities: 2" in role
    assert "Not `moodle/course:useremail` nor `moodle/user:update`" in role


def test_every_menu_step_names_the_page_it_happens_on() -> None:
    assert "Site administration > Users > Accounts > Add a new user" in _step(3)
    assert "Use role or archetype: No role" in _step(3)
    assert "Site administration > Server > Web services > Manage tokens > Create token" in _step(4)
    assert "Plugins > Web services" not in PROSE  # Manage protocols is under Server
