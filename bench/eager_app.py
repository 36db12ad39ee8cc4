"""A what-if server: the production app taking each request's connection another way.

Measured first (November 2026): ``catalogue serve`` with 4 workers stalled for
the pool timeout (30 s) once one worker had more requests in flight than its
connection pool held, because the first query of a request checked a
connection out on the event loop and blocked it. Production now admits no more
requests than the pool holds (``catalogue/app.py``); this variant instead takes
the request's connection in a worker thread before the request runs and gives
it back on the loop, as a FastAPI dependency override of the app's session
dependency. ``python -m bench.eager_app HOST PORT WORKERS`` serves it as
``catalogue serve`` does, so the two ways are compared under the same load.

(It used to start with ``PGOPTIONS=-c jit=off`` too; production turns JIT off
per connection since, in ``catalogue/db.py``.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from catalogue import app as catalogue_app


async def _eager_session(request: Request) -> AsyncIterator[Session]:
    session: Session = request.app.state.session_factory()
    try:
        await run_in_threadpool(session.connection)  # wait for the pool off the event loop
        yield session
    finally:
        session.close()


def create_app() -> FastAPI:
    app = catalogue_app.create_app()
    app.dependency_overrides[catalogue_app._session] = _eager_session
    return app


def main() -> None:
    """Serve it exactly as ``catalogue serve`` serves the production app."""
    import sys

    import uvicorn

    host, port, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    uvicorn.run(
        "bench.eager_app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        proxy_headers=True,
    )


if __name__ == "__main__":
    main()
