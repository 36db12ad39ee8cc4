"""Strawberry's FastAPI router: execution off the event loop, responses encoded by orjson.

Resolvers read through a synchronous SQLAlchemy Session. Run on the server's
event loop, every statement would block it: one slow query would hold up
``/healthz`` and every other request of the process. So each operation is
executed in a worker thread, on an event loop of its own (DataLoaders bind to
the loop that first uses them, which is that one). The server's loop only
parses, admits and answers. The number of such threads is bounded by the
admission semaphore in ``catalogue.app`` (no more than the pool's connections).

A catalogue page for the LMS is about 400 kB of JSON; ``json.dumps`` took 2 ms
of it, orjson a tenth of that, and it writes æ, ø and å as UTF-8 instead of
``\\u00e6`` escapes. Every GraphQL response goes through here, so the fast
path for ``LmsCataloguePage`` and normal execution give the same bytes.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool
from strawberry.fastapi import GraphQLRouter

from catalogue.graphql.context import Context


class CatalogueGraphQLRouter(GraphQLRouter[Context, None]):
    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def execute_operation(self, *args: Any, **kwargs: Any) -> Any:
        """Run the operation to its end in a worker thread with its own event loop."""
        execute = super().execute_operation
        return await run_in_threadpool(lambda: asyncio.run(execute(*args, **kwargs)))
