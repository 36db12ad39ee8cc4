"""Serve the simulator over real HTTP on 127.0.0.1, for tests of the real stack."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


@contextmanager
def serve_on_loopback(sim: Any, *, startup_timeout: float = 5.0) -> Iterator[str]:
    """Run uvicorn in a background thread on a free port; yields the base URL.

    The socket is bound here, before uvicorn starts, so the port is known
    without a race and nothing else can take it in between.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Accepted connections inherit this; without it Nagle and delayed ACKs add ~40 ms a call.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        sim.app,
        log_config=None,
        log_level="warning",
        access_log=False,
        lifespan="off",
        ws="none",
        http="h11",
        loop="asyncio",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="moodle-simulator-http", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the Moodle simulator did not start on loopback")
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        # Requests still sleeping in slow() are abandoned, not waited for.
        server.should_exit = server.force_exit = True
        thread.join(timeout=5)
        sock.close()
