"""Run the benchmarks for a scale: data, a scratch copy per scale, measure, report."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from bench import pg, report
from bench.datagen.build import ensure
from bench.results import RESULTS_DIR, table
from bench.scales import SCALES, up_to
from bench.scenario import ScaleFigures, measure


def run(
    target: str,
    *,
    workers: int,
    latency_seconds: int | None,
    sync_seconds: float | None,
    out: Path,
    plot: bool,
    quick: bool = False,
) -> dict[str, Any]:
    started = time.perf_counter()
    load = os.getloadavg()
    runs: list[ScaleFigures] = []
    for scale in up_to(target):
        built = ensure(scale)
        scratch = f"{built.database}_run"
        pg.create(scratch, template=built.database)
        try:
            runs.append(
                measure(
                    scale,
                    scratch,
                    full=scale.name == target,
                    workers=workers,
                    latency_seconds=latency_seconds or scale.latency_seconds,
                    sync_seconds=sync_seconds or scale.sync_seconds,
                    contention_deadline=15 if quick else 60,
                    what_if_load=not quick,
                )
            )
        finally:
            pg.drop(scratch)
    results = report.build(runs)
    results.notes.append(
        f"load average before the run: {load[0]:.2f} (1 min); "
        f"server: catalogue serve, {workers} workers, CATALOGUE_ENV=prod, PostgreSQL on loopback"
    )
    results.notes.append(f"whole run: {time.perf_counter() - started:.0f} s")
    document = results.write(out)
    (RESULTS_DIR / f"scale-{target}.json").write_text(out.read_text("utf-8"), "utf-8")
    if plot and len(runs) > 1:
        from bench.plot import plot_file

        document["plot"] = str(plot_file(document, RESULTS_DIR / "scaling.png"))
    print()
    print(
        f"Kompetencekatalog benchmarks, scale {target} ({SCALES[target].name}); ratio = times "
        "worse than the baseline"
    )
    print(table(document))
    for note in document["notes"]:
        print(f"note: {note}")
    print(f"\nwritten: {out}")
    return document
