"""Every page, for each role: no axe-core WCAG 2.1 A/AA violation, one h1, fits 375 px."""

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

PUBLIC_PAGES = ["/", "/log-ind"]
#: Who logs in for each role, and the pages that role has.
ROLES = {
    "leder": ("Sofie Nørgaard", ["/"]),
    "chef": ("Mette Kjærgaard", ["/"]),
}


def _check(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.ok, f"{url} svarede {response.status}"
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
        _check(page, live_server.url + path)
        if path == "/":
            screenshot(page, f"{role}-forside-desktop")


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_roles_pages_fit_a_phone(browser: Browser, live_server: LiveServer, role: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    try:
        page = context.new_page()
        name, paths = ROLES[role]
        login_as(page, live_server, name)
        for path in [*PUBLIC_PAGES, *paths]:
            page.goto(live_server.url + path)
            assert_fits_phone(page)
            assert_accessible(page)
            if path == "/":
                screenshot(page, f"{role}-forside-telefon")
    finally:
        context.close()
