"""The production server setup, started as it runs in production: ``catalogue serve``.

PostgreSQL, ``CATALOGUE_ENV=prod`` (masked errors, no GraphiQL), JSON logs,
persisted operations required for the LMS, and N uvicorn worker processes.
Only 127.0.0.1 is listened on and talked to. The log goes to a file so a
failed start can be shown.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from catalogue.settings import PROJECT_ROOT, Settings

HOST = "127.0.0.1"
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_settings(database_url: str, secret: str) -> Settings:
    """The settings the server runs with; the bench mints its tokens with the same secret."""
    return Settings(
        env="prod",
        database_url=database_url,
        secret_key=secret,
        lms_persisted_only=True,
        log_json=True,
    )


def environment(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    env.update(
        CATALOGUE_ENV=settings.env.value,
        CATALOGUE_DATABASE_URL=settings.database_url.get_secret_value(),
        CATALOGUE_SECRET_KEY=settings.secret_key.get_secret_value() if settings.secret_key else "",
        CATALOGUE_LMS_PERSISTED_ONLY="true" if settings.lms_persisted_only else "false",
        CATALOGUE_LOG_JSON="true" if settings.log_json else "false",
        PYTHONPATH=str(PROJECT_ROOT),
    )
    return env


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    workers: int
    settings: Settings
    #: Set when a measurement saw it stall: it is then killed, not shut down gracefully.
    stalled: bool = False

    def pids(self) -> list[int]:
        """The serving processes: the one process, or uvicorn's worker children."""
        if self.workers == 1:
            return [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            pids = [int(p) for p in children.read_text().split()]
        except OSError:
            return []
        # multiprocessing's resource tracker is a child too, but serves nothing.
        return [p for p in pids if b"spawn_main" in _cmdline(p)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def new_secret() -> str:
    return secrets.token_urlsafe(48)


@contextmanager
def serve(settings: Settings, *, workers: int, eager: bool = False) -> Iterator[Server]:
    """``catalogue serve`` on a free loopback port; stopped (its process group) afterwards.

    ``eager`` serves ``bench.eager_app`` instead (the what-if: the request's
    connection taken in a worker thread), through uvicorn with the same options
    ``catalogue serve`` passes.
    """
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="kk-bench-server-", suffix=".log")[1])
    env = environment(settings)
    if eager:
        command = [sys.executable, "-m", "bench.eager_app", HOST, str(port), str(workers)]
    else:
        command = [
            sys.executable,
            "-m",
            "catalogue.cli",
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://{HOST}:{port}", process, log, workers, settings)
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(process, at_once=server.stalled)
        log.unlink(missing_ok=True)


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    ok_in_a_row = 0
    with httpx.Client(timeout=2) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                break
            try:
                ok = client.get(server.url + "/healthz").status_code == 200
            except httpx.TransportError:
                ok = False
            ok_in_a_row = ok_in_a_row + 1 if ok else 0
            # Several workers: wait until every one of them has started.
            if ok_in_a_row >= 3 and len(server.pids()) >= server.workers:
                return
            time.sleep(0.1)
    tail = server.log.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"catalogue serve startede ikke på {server.url}:\n{tail}")


def _stop(process: subprocess.Popen[bytes], *, at_once: bool = False) -> None:
    if process.poll() is None and at_once:
        os.killpg(process.pid, signal.SIGKILL)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)  # a stalled server is not waited for
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def memory_mib(pid: int) -> dict[str, float]:
    """Current (VmRSS) and peak (VmHWM) resident memory of a process, in MiB."""
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values


def reset_peak(pid: int) -> bool:
    """Start a new peak-RSS window (Linux >= 4.0: write 5 to clear_refs); False if refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True
