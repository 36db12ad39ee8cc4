"""``python -m tests.fakes.moodle`` and ``catalogue sync all``: trying the sync is two commands.

The README promises a newcomer this; the test runs both as processes, the way
the README says, against a seeded SQLite file.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.seeding.loader import seed
from catalogue.settings import PROJECT_ROOT
from tests.workers.sync.conftest import INTRO, SEEDED_ON_INTRO


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def simulator() -> Iterator[tuple[str, list[str]]]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.moodle", "--port", str(port)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    try:
        banner = [process.stdout.readline() for _ in range(3)]
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    pytest.fail("simulatoren stoppede: " + "".join(banner))
        yield url, banner
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_the_printed_command_syncs_the_demo_catalogue_with_the_simulator(
    simulator: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, banner = simulator
    database = f"sqlite:///{tmp_path / 'try.sqlite3'}"
    migrate.upgrade(database)
    engine = make_engine(database)
    seed(make_session_factory(engine), demo=True, today=date.today())
    engine.dispose()
    command = banner[2].split()
    settings = dict(part.split("=", 1) for part in command if part.startswith("CATALOGUE_"))
    assert settings["CATALOGUE_MOODLE_URL"] == url
    assert command[-3:] == [".venv/bin/catalogue", "sync", "all"]

    clean = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    result = subprocess.run(
        [sys.executable, "-m", "catalogue.cli", "sync", "all"],
        env={**clean, **settings, "CATALOGUE_DATABASE_URL": database},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=PROJECT_ROOT,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"  - {INTRO}: koblet til LMS-kursus") for line in lines)
    assert all(line.split()[1] == "[SUCCEEDED]" for line in lines if not line.startswith(" "))
    for email in SEEDED_ON_INTRO:
        # The demo's introduction run has not begun: the module done in Moodle is
        # recorded without the enrolment (``completions``' rule), and the run says so.
        assert (
            f"  - {email} gennemførte {INTRO}-E1 før holdets start; registreret uden tilmelding"
            in lines
        )
