"""A real ``celery worker`` process for tests that need one, and waiting on what it does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from catalogue.settings import PROJECT_ROOT

STEP_TIMEOUT = 20.0


@contextmanager
def celery_worker(
    env: dict[str, str], queue: str, log: Path, *, node: str | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A real worker process on ``queue``; always stopped (warm, then by force) at the end.

    ``node`` is its node name (``-n``), ``<queue>@localhost`` unless given.
    """
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workers.celery_app",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-Q",
        queue,
        "-n",
        node or f"{queue}@localhost",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # Celery's warm shutdown
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


def wait_for(
    what: str, check: Callable[[], Any], worker: subprocess.Popen[bytes], log: Path
) -> Any:
    deadline = time.monotonic() + STEP_TIMEOUT
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if worker.poll() is not None:
            break
        time.sleep(0.1)
    pytest.fail(f"{what}: not done in {STEP_TIMEOUT:g} s. Worker log:\n{log.read_text()[-4000:]}")
