"""Profiles of the two throughput benchmarks, for when a goal is missed.

``python -m bench profile pull --scale L`` pages through the catalogue with
the app in this process (httpx's ASGI transport) under pyinstrument;
``python -m bench profile sync --scale L`` runs the sync worker under
pyinstrument for a time budget. Both write a text call tree to
``bench/results/profile-<what>-<scale>.txt``.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any, Literal

import httpx
from pyinstrument import Profiler

from bench import fixtures, pg
from bench.datagen.build import ensure
from bench.measure import sync
from bench.measure.pull import OPERATION, PAGE
from bench.results import RESULTS_DIR
from bench.scales import SCALES
from bench.server import new_secret, server_settings
from catalogue.app import create_app
from catalogue.db import make_engine, make_session_factory

TOP = 45


def render(profiler: Profiler) -> str:
    """The call tree, then the functions by inclusive and by own time (library code included)."""
    tree = profiler.output_text(unicode=True, color=False)
    parts = [tree]
    modes: tuple[tuple[Literal["total", "self"], str], ...] = (
        ("total", "inclusive"),
        ("self", "own"),
    )
    for mode, title in modes:
        flat = profiler.output_text(unicode=True, color=False, flat=True, flat_time=mode)
        lines = flat.splitlines()
        parts.append(f"--- top {TOP} functions by {title} time ---")
        parts.append("\n".join([ln for ln in lines if ln.strip()][: TOP + 4]))
    return "\n".join(p for p in parts if p) + "\n"


def _scratch(scale: str) -> str:
    built = ensure(SCALES[scale])
    scratch = f"{built.database}_profile"
    pg.create(scratch, template=built.database)
    return scratch


def profile_pull(scale: str, pages: int) -> Path:
    scratch = _scratch(scale)
    out = RESULTS_DIR / f"profile-pull-{scale}.txt"
    try:
        settings = server_settings(pg.database_url(scratch), new_secret())
        engine = make_engine(settings.database_url)
        with make_session_factory(engine)() as session:
            token = fixtures.lms_token(session, settings)
        app = create_app(settings, engine=engine)
        sha256 = hashlib.sha256(OPERATION.read_bytes()).hexdigest()

        async def pull() -> None:
            transport = httpx.ASGITransport(app=app)
            headers = {"Authorization": f"Bearer {token}"}
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench", headers=headers
            ) as client:
                after: str | None = None
                for _ in range(pages):
                    response = await client.post(
                        "/graphql",
                        json={
                            "variables": {"first": PAGE, "after": after},
                            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256}},
                        },
                    )
                    body: dict[str, Any] = response.json()
                    page = body["data"]["courses"]
                    if not page["pageInfo"]["hasNextPage"]:
                        break
                    after = page["pageInfo"]["endCursor"]

        profiler = Profiler(interval=0.002, async_mode="enabled")
        with profiler:
            asyncio.run(pull())
        out.write_text(render(profiler), "utf-8")
        engine.dispose()
    finally:
        pg.drop(scratch)
    return out


def profile_sync(scale: str, seconds: float) -> Path:
    scratch = _scratch(scale)
    out = RESULTS_DIR / f"profile-sync-{scale}.txt"
    try:
        sync.measure_sync(scratch, seconds, profile=str(out), reads_only=False)
    finally:
        pg.drop(scratch)
    return out
