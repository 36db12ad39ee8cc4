"""The browser-test harness: Debian's Chromium through Playwright, a live server, axe-core.

One browser for the whole run; each test gets a fresh context (cookies, viewport).
The server runs the real app (uvicorn, in a thread) on a free loopback port against
a database of its own, migrated and seeded with the demo data. Playwright's own
browser download cannot work on these machines, so the system Chromium is
launched; with CI=true a missing Chromium fails the tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from catalogue.app import create_app
from catalogue.settings import Settings
from tests.backends import IN_CI

CHROMIUM = os.environ.get("CATALOGUE_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The rules the issue asks for: WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def chromium_path() -> str:
    found = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).is_file() else None)
    if found is None:
        message = (
            f"Chromium findes ikke ({CHROMIUM}); installér den med `apt-get install -y chromium` "
            "(.ci/run gør det)"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    settings: Settings


@contextmanager
def serve(settings: Settings) -> Iterator[LiveServer]:
    """The app on a free loopback port until the block ends."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("Testserveren startede ikke inden for 30 sekunder")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def login_as(page: Page, server: LiveServer, name: str) -> None:
    """Through the development login page, as a person would."""
    page.goto(f"{server.url}/log-ind")
    page.get_by_role("button", name=f"Log ind som {name}", exact=True).click()
    page.wait_for_load_state()
    cookies = {cookie["name"] for cookie in page.context.cookies()}
    assert "kk_session" in cookies, f"{name} blev ikke logget ind ({page.url})"


_AXE = Axe()


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now."""
    results = _AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response.get("violations", [])
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in violations
    )
    assert not violations, f"axe fandt {len(violations)} fejl på {page.url}:\n{report}"


def assert_one_h1(page: Page) -> None:
    assert page.locator("h1").count() == 1, f"{page.url} skal have præcis én h1"


def assert_fits_phone(page: Page) -> None:
    """At 375 px nothing makes the page scroll sideways."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} ruller {overflow} px vandret ved 375 px bredde"


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
