"""Every page, for each role: no axe-core WCAG 2.1 A/AA violation, one h1, lang="da",
nothing sideways at 375 px; and the screenshots of the main pages for the README."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.web.browser import (
    PHONE,
    LiveServer,
    assert_accessible,
    assert_fits_phone,
    assert_one_h1,
    login_as,
    screenshot,
)

PUBLIC_PAGES = ["/", "/log-ind", "/profil", "/kurser", "/kurser?udsagn=K3.2", "/kurser?fra=x"]
LEADER_PAGES = ["/", "/profil", "/kurser?udsagn=K3.2", "COURSE", "/mine/tilmeldinger"]
LEADER_PAGES += ["/mine/fremskridt"]
CHEF_PAGES = ["/", "/team", "TEAM_MEMBER", "/godkendelser", "/mine/tilmeldinger"]
#: Who logs in for each role, and the pages that role has.
ROLES = {
    "leder": ("Sofie Nørgaard", LEADER_PAGES),
    "chef": ("Mette Kjærgaard", CHEF_PAGES),
    "hr": ("Nanna Stougaard", ["/", "/profil", "/kurser", "COURSE"]),
}
#: Page -> screenshot name, for the README.
SCREENSHOT_NAMES = {
    ("leder", "/"): "leder-forside",
    ("leder", "/kurser?udsagn=K3.2"): "leder-kurser-k3-2",
    ("leder", "COURSE"): "leder-kursus",
    ("leder", "/mine/tilmeldinger"): "leder-tilmeldinger",
    ("leder", "/mine/fremskridt"): "leder-fremskridt",
    ("leder", "/profil"): "leder-profil",
    ("chef", "/team"): "chef-team",
    ("chef", "/godkendelser"): "chef-godkendelser",
}


def _resolve(page: Page, server: LiveServer, path: str) -> str:
    """Pages whose address is found through the app: a K3.2 course, a team member."""
    if path == "COURSE":
        page.goto(f"{server.url}/kurser?udsagn=K3.2")
        href = page.locator(".card-list a").first.get_attribute("href")
    elif path == "TEAM_MEMBER":
        page.goto(f"{server.url}/team")
        href = page.locator("table a").first.get_attribute("href")
    else:
        href = path
    assert href
    return server.url + href


def _check(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status < 500, f"{url} svarede {response.status}"
    assert page.evaluate("document.documentElement.lang") == "da"
    assert_one_h1(page)
    assert_accessible(page)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_accessible(page: Page, live_server: LiveServer, path: str) -> None:
    _check(page, live_server.url + path)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_roles_pages_are_accessible(page: Page, live_server: LiveServer, role: str) -> None:
    name, paths = ROLES[role]
    login_as(page, live_server, name)
    for path in paths:
        _check(page, _resolve(page, live_server, path))
        if (role, path) in SCREENSHOT_NAMES:
            screenshot(page, f"{SCREENSHOT_NAMES[role, path]}-desktop")


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_roles_pages_fit_a_phone(browser: Browser, live_server: LiveServer, role: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    try:
        page = context.new_page()
        name, paths = ROLES[role]
        login_as(page, live_server, name)
        for path in [*PUBLIC_PAGES, *paths]:
            page.goto(_resolve(page, live_server, path))
            assert_fits_phone(page)
            if (role, path) in SCREENSHOT_NAMES:
                screenshot(page, f"{SCREENSHOT_NAMES[role, path]}-telefon")
    finally:
        context.close()


def test_a_refused_page_is_accessible_too(page: Page, live_server: LiveServer) -> None:
    login_as(page, live_server, "Sofie Nørgaard")
    _check(page, live_server.url + "/team")  # a leader has no team: 403 page
    assert "Ingen adgang" in page.locator("h1").inner_text()


def test_graphiql_works_offline(page: Page, live_server: LiveServer) -> None:
    """Every request that leaves our origin is refused; GraphiQL still starts."""
    outside: list[str] = []

    def only_ours(route: object) -> None:
        request = route.request  # type: ignore[attr-defined]
        if request.url.startswith(live_server.url):
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(request.url)
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", only_ours)
    page.goto(f"{live_server.url}/graphql")
    page.locator(".graphiql-container").wait_for(timeout=20_000)
    assert outside == []


def test_the_phone_menu_opens_and_is_accessible(browser: Browser, live_server: LiveServer) -> None:
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    try:
        page = context.new_page()
        login_as(page, live_server, "Sofie Nørgaard")
        page.get_by_role("button", name="Menu").click()
        drawer = page.locator(".mobile-drawer")
        drawer.get_by_role("link", name="Mine tilmeldinger").wait_for()
        assert_accessible(page)
        drawer.get_by_role("link", name="Mine tilmeldinger").click()
        page.wait_for_url("**/mine/tilmeldinger")
        assert page.locator("h1").inner_text() == "Mine tilmeldinger"
    finally:
        context.close()
