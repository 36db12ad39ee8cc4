"""Serve the sync scenario's Moodle simulator on loopback, in a process of its own.

``python -m bench.moodle_server LIBPQ_URL`` builds the site from the scratch
database, prints one JSON line (``{"url": ..., "held": {...}}``) and serves
until its standard input closes. A process of its own, so the sync's memory
and CPU are measured without the simulator's.

Served here rather than with ``tests.fakes.moodle.serve_on_loopback``: that
helper binds a socket created without ``IPPROTO_TCP``, so asyncio does not set
``TCP_NODELAY`` on its connections, and every answer on a reused connection
waits about 40 ms for the client's delayed ACK (measured: 43 ms a call against
1 ms on a new connection). A real Moodle behind Apache or nginx has no such
delay, so the benchmark would measure the simulator instead of the sync.
"""

from __future__ import annotations

import gc
import json
import socket
import sys
import threading

import uvicorn

from bench.moodle_site import build_site


def main() -> None:
    sim, held = build_site(sys.argv[1])
    gc.freeze()  # the site's million objects are never garbage: keep the collector off them
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # inherited by accepted sockets
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    sim.service.site_url = url
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

    def stop_when_stdin_closes() -> None:
        sys.stdin.read()
        server.should_exit = True

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    started = threading.Thread(target=_announce, args=(server, url, held), daemon=True)
    started.start()
    server.run(sockets=[sock])


def _announce(server: uvicorn.Server, url: str, held: dict[str, int]) -> None:
    while not server.started and not server.should_exit:
        threading.Event().wait(0.01)
    print(json.dumps({"url": url, "held": held}), flush=True)


if __name__ == "__main__":
    main()
