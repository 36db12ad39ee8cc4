"""The ASGI face of the simulator: Moodle's single REST endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

if TYPE_CHECKING:
    from tests.fakes.moodle.simulator import MoodleSimulator

ENDPOINT = "/webservice/rest/server.php"


def build_app(sim: MoodleSimulator) -> Starlette:
    async def server_php(request: Request) -> Response:
        if sim.faults.delay:
            await anyio.sleep(sim.faults.delay)
        body = (await request.body()).decode("utf-8", errors="replace")
        # PHP merges $_GET and $_POST; POST wins, so it is parsed last.
        pairs = parse_qsl(request.url.query, keep_blank_values=True)
        pairs += parse_qsl(body, keep_blank_values=True)
        reply = sim.handle(pairs)
        return Response(
            reply.body, status_code=reply.status, headers=reply.headers, media_type=reply.media_type
        )

    return Starlette(routes=[Route(ENDPOINT, server_php, methods=["GET", "POST"])])
