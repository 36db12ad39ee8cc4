"""Who may frame our pages: ``frame-ancestors`` limited to the registered platforms.

Every page (an HTML response) carries ``Content-Security-Policy: frame-ancestors 'self'
<origins>``,
the origins of the platforms in ``lti_platform``; any other site embedding the web app
(clickjacking) gets a blank frame from the browser. The list is read at most once per
``MAX_AGE_SECONDS``, so a page does not cost a query, and a newly registered platform
frames the tool within that time.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from catalogue.services.lti_platforms import registered_origins

MAX_AGE_SECONDS = 300.0


class FrameAncestors:
    def __init__(self, session_factory: Callable[[], Session] | sessionmaker[Session]) -> None:
        self._factory = session_factory
        self._value: str | None = None
        self._read_at = 0.0

    def _read(self) -> str:
        with self._factory() as session:
            origins = registered_origins(session)
        return " ".join(["frame-ancestors", "'self'", *origins])

    async def header(self) -> str:
        now = time.monotonic()
        if self._value is None or now - self._read_at > MAX_AGE_SECONDS:
            self._value = await run_in_threadpool(self._read)
            self._read_at = now
        return self._value

    def forget(self) -> None:
        """After a registration: the next response reads the list again."""
        self._value = None


def install_framing(app: FastAPI) -> None:
    @app.middleware("http")
    async def frame_ancestors(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if not response.headers.get("content-type", "").startswith("text/html"):
            return response  # only pages are framed; the API's statements stay as counted
        framing: FrameAncestors | None = getattr(request.app.state, "lti_framing", None)
        if framing is None:
            framing = FrameAncestors(request.app.state.session_factory)
            request.app.state.lti_framing = framing
        response.headers.setdefault("Content-Security-Policy", await framing.header())
        return response
