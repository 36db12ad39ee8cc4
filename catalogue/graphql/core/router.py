"""Strawberry's FastAPI router: execution off the event loop, JSON read and written by orjson.

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

Reading, orjson refuses what ``json.loads`` turned into a plain-text HTTP 500:
invalid UTF-8 and nesting deeper than 1,024 levels. A body that is JSON but not
an object, and every other refusal before execution, answers in the
GraphQL-over-HTTP error shape (``catalogue.http_errors``) with its 4xx status.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.fastapi import GraphQLRouter
from strawberry.types.unset import UNSET

from catalogue.graphql.context import Context
from catalogue.http_errors import error_response

#: Strawberry's reasons for refusing a request, in Danish.
DANISH_REASONS = {
    "Unable to parse request body as JSON": "Forespørgslens krop er ikke gyldig JSON (UTF-8).",
    "Unsupported content type": "Send forespørgslen som application/json.",
    "No GraphQL query found in the request": "Forespørgslen indeholder ingen GraphQL-forespørgsel "
    "('query' eller extensions.persistedQuery).",
    "The GraphQL operation's `query` must be a string or null, if provided.": (
        "'query' skal være en tekst eller null."
    ),
    "The GraphQL operation's `variables` must be an object or null, if provided.": (
        "'variables' skal være et JSON-objekt eller null."
    ),
    "The GraphQL operation's `extensions` must be an object or null, if provided.": (
        "'extensions' skal være et JSON-objekt eller null."
    ),
    "Batching is not enabled": "Send én operation ad gangen: en liste af operationer "
    "understøttes ikke.",
    "GraphQL only supports GET and POST requests.": "GraphQL understøtter kun GET og POST.",
    "Not Found": "Findes ikke.",
}


#: Numbers JavaScript writes that JSON does not have.
_NOT_JSON_NUMBERS = ("NaN", "Infinity", "-Infinity")


def _where_json_broke(data: str | bytes, exc: orjson.JSONDecodeError) -> str:
    """A Danish reason with the line and column, naming NaN and Infinity when they are it."""
    text = data if isinstance(data, str) else data.decode("utf-8", "replace")
    at = f"linje {exc.lineno}, kolonne {exc.colno}"
    if text[exc.pos :].startswith(_NOT_JSON_NUMBERS):
        return (
            f"Forespørgslens krop er ikke gyldig JSON ved {at}: NaN og Infinity er ikke tal i "
            "JSON; send et tal eller null."
        )
    return f"Forespørgslens krop er ikke gyldig JSON (UTF-8) ved {at}."


class CatalogueGraphQLRouter(GraphQLRouter[Context, None]):
    #: The GraphiQL page, when the app serves one from its own assets (``catalogue.web``);
    #: Strawberry's own page loads its scripts from a CDN and stays blank offline.
    local_ide_html: str | None = None

    @property
    def graphql_ide_html(self) -> str:
        return self.local_ide_html or super().graphql_ide_html

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def execute_operation(self, *args: Any, **kwargs: Any) -> Any:
        """Run the operation to its end in a worker thread with its own event loop."""
        execute = super().execute_operation
        return await run_in_threadpool(lambda: asyncio.run(execute(*args, **kwargs)))

    def decode_json(self, data: str | bytes) -> object:
        try:
            decoded = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise HTTPException(400, _where_json_broke(data, exc)) from exc
        if not isinstance(decoded, dict | list):
            raise HTTPException(400, "Forespørgslens krop skal være et JSON-objekt.")
        return decoded

    async def run(
        self,
        request: Request | WebSocket,
        context: Context | Any = UNSET,
        root_value: Any = UNSET,
    ) -> Any:
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as exc:
            if isinstance(request, WebSocket):
                raise
            response: Response = error_response(
                exc.status_code, DANISH_REASONS.get(exc.reason, exc.reason)
            )
            return response
