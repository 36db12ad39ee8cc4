"""``python -m bench search``: relevance on both databases at S and M, latency at L."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import sessionmaker

from bench import pg
from bench.datagen.build import ensure
from bench.measure import search
from bench.results import RESULTS_DIR
from bench.scales import SCALES
from catalogue.db import make_engine


def run(*, relevance_scales: list[str], latency_scale: str | None, out: Path) -> dict[str, Any]:
    started = time.perf_counter()
    document: dict[str, Any] = {"relevance": {}, "latency": None}
    for name in relevance_scales:
        built = ensure(SCALES[name])
        engine = make_engine(pg.database_url(built.database))
        try:
            postgres = search.relevance(sessionmaker(bind=engine, expire_on_commit=False))
            with search.sqlite_copy(engine if SCALES[name].generated else None) as factory:
                sqlite = search.relevance(factory)
        finally:
            engine.dispose()
        document["relevance"][name] = {"postgresql": postgres, "sqlite": sqlite}
        _print_relevance(name, postgres, sqlite)
    if latency_scale is not None:
        built = ensure(SCALES[latency_scale])
        engine = make_engine(pg.database_url(built.database))
        try:
            document["latency"] = {
                "scale": latency_scale,
                **search.latency(sessionmaker(bind=engine, expire_on_commit=False)),
            }
        finally:
            engine.dispose()
        print(f"search latency at {latency_scale}: {document['latency']}")
    document["seconds"] = round(time.perf_counter() - started)
    out.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"written: {out}")
    return document


def _print_relevance(scale: str, postgres: dict[str, Any], sqlite: dict[str, Any]) -> None:
    print(
        f"relevance at {scale} ({postgres['queries']} queries): "
        f"PostgreSQL recall@5 {postgres['recall_at_5']}, MRR {postgres['mrr']}; "
        f"SQLite recall@5 {sqlite['recall_at_5']}, MRR {sqlite['mrr']}"
    )
    for miss in postgres["misses"]:
        print(f"  below 1 on PostgreSQL: {miss}")


DEFAULT_OUT = RESULTS_DIR / "search.json"
