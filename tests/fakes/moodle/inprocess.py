"""A sync httpx transport that runs an ASGI app in-process.

Starlette's TestClient cannot be used here (it warns on import without
``httpx2`` and on per-request timeouts, and the suite treats warnings as
errors). This transport runs the app on a private event-loop thread and
enforces the read timeout, so ``slow()`` produces real ``httpx.ReadTimeout``s.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import weakref
from typing import Any

import httpx


class InProcessTransport(httpx.BaseTransport):
    def __init__(self, app: Any) -> None:
        self._asgi = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="moodle-simulator-loop", daemon=True
        )
        self._thread.start()
        self._finalizer = weakref.finalize(self, _shutdown, self._loop, self._thread)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        timeouts = request.extensions.get("timeout", {})
        read_timeout = timeouts.get("read") if isinstance(timeouts, dict) else None
        future = asyncio.run_coroutine_threadsafe(
            self._send(request.method, str(request.url), list(request.headers.raw), request.read()),
            self._loop,
        )
        try:
            status, headers, content = future.result(timeout=read_timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise httpx.ReadTimeout(
                "the simulated Moodle did not answer in time", request=request
            ) from None
        return httpx.Response(status, headers=headers, content=content, request=request)

    async def _send(
        self, method: str, url: str, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        response = await self._asgi.handle_async_request(
            httpx.Request(method, url, headers=headers, content=body)
        )
        content = await response.aread()
        return response.status_code, list(response.headers.raw), content

    def close(self) -> None:
        self._finalizer()


def _shutdown(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    """Cancel what is still running (timed-out requests), then stop and close the loop."""
    if loop.is_running():
        asyncio.run_coroutine_threadsafe(_cancel_pending(), loop).result(timeout=5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)
    loop.close()


async def _cancel_pending() -> None:
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
