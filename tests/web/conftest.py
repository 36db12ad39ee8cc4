"""Fixtures of the browser tests: one Chromium, one live server, a fresh context per test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.seeding.loader import seed
from catalogue.settings import Environment, Settings
from tests.web.browser import CHROMIUM_FLAGS, DESKTOP, LiveServer, chromium_path, serve


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app with the demo data, served for the whole run; tests pick distinct people."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.sqlite3'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    seed(make_session_factory(engine), demo=True, today=date.today())
    engine.dispose()
    settings = Settings(
        env=Environment.DEV,
        database_url=url,
        secret_key="web-test-secret-" + "x" * 32,
        web_session_secret="web-session-secret-" + "y" * 32,
    )
    with serve(settings) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=DESKTOP, locale="da-DK")
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
