"""HR's screens in Chromium: axe-core (WCAG 2.1 A/AA) on every page, 375 px, and the journey.

The journey: HR creates a course, links it to two statements and publishes it; then a
leader finds it. This base has no leader search page yet, so the leader's last step
asks the public GraphQL catalogue (``courses(filter: {statementKey, search})``), as
that page will. The journey runs twice: with the mouse, and with the keyboard alone
(Tab to each control, type, arrows in selects, Enter).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page

from tests.web.browser import (
    PHONE,
    LiveServer,
    assert_accessible,
    assert_fits_phone,
    assert_one_h1,
    login_as,
    screenshot,
)

HR = "Nanna Stougaard"
LEADER = "Karsten Møller"
LIST_PAGES = ["/hr/kurser", "/hr/kurser/nyt", "/hr/daekning", "/hr/log", "/hr/synkronisering"]
_titles = itertools.count(1)


def _ok(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.ok, f"{url} svarede {response.status}"


def _detail_pages(page: Page, server: LiveServer) -> list[str]:
    """An editor, and a run, an activity and a link page from the demo catalogue."""
    _ok(page, f"{server.url}/hr/kurser?status=PUBLISHED")
    editor = page.locator("tbody a[href^='/hr/kurser/']").first.get_attribute("href")
    assert editor
    paths = [editor]
    for pattern in ("/hr/hold/", "/hr/aktiviteter/", "/hr/koblinger/"):
        for candidate in page.locator("tbody a[href^='/hr/kurser/']").all()[:15]:
            href = candidate.get_attribute("href")
            html = page.context.request.get(server.url + str(href)).text()
            found = re.search(rf'href="({re.escape(pattern)}\d+)"', html)
            if found:
                paths.append(found.group(1))
                break
    assert len(paths) == 4, f"demo-data mangler hold, aktiviteter eller koblinger: {paths}"
    return paths


def test_hr_pages_are_accessible(page: Page, live_server: LiveServer) -> None:
    login_as(page, live_server, HR)
    for path in [*LIST_PAGES, *_detail_pages(page, live_server)]:
        _ok(page, live_server.url + path)
        assert page.evaluate("document.documentElement.lang") == "da"
        assert_one_h1(page)
        assert_accessible(page)
    for path, name in (
        ("/hr/kurser", "hr-kurser"),
        ("/hr/daekning", "hr-daekning"),
        ("/hr/log", "hr-log"),
    ):
        _ok(page, live_server.url + path)
        screenshot(page, f"{name}-desktop")


def test_a_form_with_errors_is_accessible_and_keeps_what_was_typed(
    page: Page, live_server: LiveServer
) -> None:
    login_as(page, live_server, HR)
    _ok(page, f"{live_server.url}/hr/kurser/nyt")
    page.get_by_label("Resumé").fill("Et resumé, der ikke må gå tabt")
    page.get_by_label("ECTS-point").fill("mange")
    page.get_by_role("button", name="Opret kladde").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Der er problemer med formularen").is_visible()
    assert page.locator("#title-error").inner_text().endswith("Titlen skal udfyldes.")
    assert page.locator("#ects-error").inner_text().endswith("ECTS skal være et tal, fx 7,5.")
    assert page.get_by_label("Resumé").input_value() == "Et resumé, der ikke må gå tabt"
    assert page.get_by_label("ECTS-point").input_value() == "mange"
    assert page.get_by_label("ECTS-point").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    screenshot(page, "hr-formularfejl-desktop")


def test_hr_pages_fit_a_phone(browser: Browser, live_server: LiveServer) -> None:
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    try:
        page = context.new_page()
        login_as(page, live_server, HR)
        for path in [*LIST_PAGES, *_detail_pages(page, live_server)]:
            _ok(page, live_server.url + path)
            assert_fits_phone(page)
            assert_accessible(page)
            if path in ("/hr/kurser", "/hr/daekning"):
                screenshot(page, f"hr-{path.rsplit('/', 1)[1]}-telefon")
    finally:
        context.close()


# --- the journey --------------------------------------------------------------------------


def _leader_finds(page: Page, server: LiveServer, title: str, key: str) -> list[str]:
    """The public catalogue's answer for courses linked to statement ``key`` matching ``title``."""
    query = (
        "query($filter: CourseFilterInput) { courses(filter: $filter, first: 20) "
        "{ nodes { title status } } }"
    )
    response = page.context.request.post(
        f"{server.url}/graphql",
        data={
            "query": query,
            "variables": {"filter": {"statementKey": key, "search": title}},
        },
    )
    assert response.ok, response.text()
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return [node["title"] for node in body["data"]["courses"]["nodes"]]


def _link(page: Page, key: str, rationale: str) -> None:
    page.get_by_label("Udsagn", exact=True).select_option(key)
    page.get_by_label("Styrke").select_option("PRIMARY")
    page.get_by_label("Begrundelse", exact=True).fill(rationale)
    page.get_by_role("button", name="Kobl udsagnet").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text() == "Udsagnet er koblet til kurset."


def test_hr_creates_links_and_publishes_a_course_that_a_leader_then_finds(
    browser: Browser, page: Page, live_server: LiveServer
) -> None:
    title = f"Den svære samtale i praksis {next(_titles)}"
    login_as(page, live_server, HR)
    _ok(page, f"{live_server.url}/hr/kurser")
    page.get_by_role("link", name="Opret kursus").click()
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Slags tilbud").select_option("SHORT_COURSE")
    page.get_by_label("Resumé").fill("Træning i svære samtaler med medarbejdere.")
    page.get_by_role("button", name="Opret kladde").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.locator("#status").inner_text() == "Kladde"
    assert _leader_finds(page, live_server, title, "K3.2") == [], "en kladde er ikke i kataloget"

    _link(page, "K3.2", "Kurset træner den svære samtale.")
    _link(page, "K3.3", "Kurset giver redskaber til feedback.")
    page.get_by_role("button", name="Udgiv kurset").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text().startswith("Kurset er udgivet")
    assert page.locator("#status").inner_text() == "Udgivet"
    screenshot(page, "hr-kursusredigering-desktop")

    leader = browser.new_context(locale="da-DK").new_page()
    login_as(leader, live_server, LEADER)
    assert _leader_finds(leader, live_server, title, "K3.2") == [title]
    assert _leader_finds(leader, live_server, title, "K3.3") == [title]
    assert _leader_finds(leader, live_server, title, "K1.1") == []
    leader.context.close()


def _tab_to(page: Page, target: Locator, *, limit: int = 250) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    handle = target.element_handle()
    assert handle is not None
    for _ in range(limit):
        if handle.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab nåede aldrig {target} på {page.url}")


def _type_into(page: Page, target: Locator, value: str) -> None:
    _tab_to(page, target)
    page.keyboard.type(value)


def _choose(page: Page, target: Locator, value: str) -> None:
    """Pick an option of a select with the arrow keys."""
    _tab_to(page, target)
    values: list[str] = target.evaluate("s => Array.from(s.options).map(o => o.value)")
    current: int = target.evaluate("s => s.selectedIndex")
    wanted = values.index(value)
    key = "ArrowDown" if wanted > current else "ArrowUp"
    for _ in range(abs(wanted - current)):
        page.keyboard.press(key)
    assert target.input_value() == value


def _press(page: Page, control: Locator) -> None:
    """Enter on a link or button, waiting for the page it leads to."""
    _tab_to(page, control)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_hr_journey_with_the_keyboard_alone(page: Page, live_server: LiveServer) -> None:
    title = f"Feedback, der virker {next(_titles)}"
    login_as(page, live_server, HR)
    _ok(page, f"{live_server.url}/hr/kurser")
    _press(page, page.get_by_role("link", name="Opret kursus"))
    assert page.url.endswith("/hr/kurser/nyt")
    _type_into(page, page.get_by_label("Titel"), title)
    _choose(page, page.get_by_label("Slags tilbud"), "E_LEARNING")
    _press(page, page.get_by_role("button", name="Opret kladde"))
    assert page.get_by_role("heading", level=1).inner_text() == title

    for key in ("K3.2", "K5.1"):
        _choose(page, page.get_by_label("Udsagn", exact=True), key)
        _choose(page, page.get_by_label("Styrke"), "SUPPORTING")
        _type_into(page, page.get_by_label("Begrundelse", exact=True), f"Støtter {key}.")
        _press(page, page.get_by_role("button", name="Kobl udsagnet"))
        assert page.get_by_role("status").inner_text() == "Udsagnet er koblet til kurset."
    _press(page, page.get_by_role("button", name="Udgiv kurset"))
    assert page.locator("#status").inner_text() == "Udgivet"
    assert page.locator("#koblinger ~ div table tbody tr").count() == 2
    assert _leader_finds(page, live_server, title, "K5.1") == [title]
