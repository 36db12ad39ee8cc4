"""SQL statements per request, counted with a SQLAlchemy ``before_cursor_execute`` listener.

The app runs in this process on the scale's database (httpx's ASGI transport),
so every statement a request sends is seen. Each request is sent once to warm
up (first-connection queries are not the request's), then counted.
docs/architecture.md §5 asks for no N+1: the count must be the same at S, M and L.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import Engine, event

from bench import queries
from catalogue.app import create_app
from catalogue.db import make_engine
from catalogue.settings import Settings

REQUESTS = {
    "sql_statements_profile": (queries.PROFILE, {}, False),
    "sql_statements_catalogue_page": (queries.CATALOGUE_PAGE, {"statement": "K3.4"}, False),
    "sql_statements_progress": (queries.PROGRESS, {}, True),
}


class StatementCounter:
    def __init__(self, engine: Engine) -> None:
        self.statements: list[str] = []
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)


async def _post(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"request failed ({response.status_code}): {str(body)[:500]}")
    return body


def count_statements(settings: Settings, leader_token: str) -> dict[str, int]:
    """Statements per request for the profile, a catalogue page and ``me { progress }``."""
    engine = make_engine(settings.database_url)
    counter = StatementCounter(engine)
    # The app configures logging for the whole process; keep the bench's terminal readable.
    app = create_app(settings.model_copy(update={"log_level": "WARNING"}), engine=engine)

    async def run() -> dict[str, int]:
        counts: dict[str, int] = {}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for name, (query, variables, personal) in REQUESTS.items():
                token = leader_token if personal else None
                await _post(client, query, variables, token)
                counter.statements.clear()
                await _post(client, query, variables, token)
                counts[name] = len(counter.statements)
        return counts

    try:
        return asyncio.run(run())
    finally:
        engine.dispose()
