"""A what-if server: the production app with two proposed fixes, to show what they buy.

Measured first: ``catalogue serve`` with 4 workers stalls for the pool timeout
(30 s) once one worker has more requests in flight than its connection pool
holds (5 + 10 overflow). The GraphQL context getter and the sync resolvers run
on the event loop, and the first query of a request checks a connection out of
the pool there; when the pool is empty that checkout blocks the loop, so the
requests that hold the connections can never finish and give them back.

The fix proposed for ``catalogue/app.py`` (not ours to change): take the
request's connection in a worker thread before the request runs, and give it
back on the loop, so waiting for a connection never blocks the loop. This
module applies exactly that as a FastAPI dependency override of the app's
session dependency; ``python -m bench.eager_app HOST PORT WORKERS`` serves it
as ``catalogue serve`` does.

Second fix, a setting: ``bench.server`` starts this variant with
``PGOPTIONS=-c jit=off``. At L the planner's estimate for the catalogue page's
correlated subqueries passes ``jit_above_cost``, and PostgreSQL spends 18 ms
compiling a query that runs in 7 ms, twice per page (the page and its COUNT).
In production: ``?options=-c%20jit%3Doff`` on the database URL, or ``ALTER
DATABASE ... SET jit = off``.
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
