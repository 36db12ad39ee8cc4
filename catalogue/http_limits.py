"""Request size limits, enforced before a byte of an oversized request is kept.

Headers are counted as the server hands them over (``catalogue serve`` also
makes uvicorn's h11 parser refuse them while reading); the body is counted as
it streams in, so a client can't make the process buffer more than the limit
whatever ``Content-Length`` says or omits.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from catalogue.http_errors import error_response


class BodyTooLargeError(Exception):
    """Raised from inside the app when the body passes the limit; answered 413 out here.

    Layers in between must let it through (``catalogue.app``'s request-id middleware
    re-raises it rather than answering 500).
    """


def body_too_large(exc: BaseException) -> bool:
    """Whether ``exc`` is (or a middleware's task group wraps) a ``BodyTooLargeError``."""
    if isinstance(exc, BaseExceptionGroup):
        return exc.subgroup(BodyTooLargeError) is not None
    return isinstance(exc, BodyTooLargeError)


class RequestSizeLimit:
    """413 for a body over ``max_body_bytes``, 431 for headers over ``max_header_bytes``."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_header_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
        if sum(len(name) + len(value) + 4 for name, value in headers) > self.max_header_bytes:
            await self._refuse_headers(scope, receive, send)
            return
        declared = dict(headers).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._refuse_body(scope, receive, send)
            return

        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLargeError
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        too_large = False
        try:
            await self.app(scope, counted_receive, tracked_send)
        except* BodyTooLargeError:  # also from inside a middleware's task group
            too_large = True
        if too_large and not started:
            await self._refuse_body(scope, receive, send)

    async def _refuse_body(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413,
            f"Forespørgslens krop er for stor: højst {self.max_body_bytes} bytes er tilladt.",
        )
        await response(scope, receive, send)

    async def _refuse_headers(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            431,
            f"Forespørgslens headere er for store: højst {self.max_header_bytes} bytes "
            "er tilladt i alt.",
        )
        await response(scope, receive, send)


def uvicorn_limits(max_header_bytes: int) -> dict[str, Any]:
    """uvicorn options so its parser itself refuses oversized headers while reading them.

    httptools (uvicorn's default when installed) has no such limit; h11 has.
    """
    return {"http": "h11", "h11_max_incomplete_event_size": max_header_bytes}
