"""The README's figure: throughput and peak memory against scale, from a results file.

Two panels. Left: rows per second of the LMS catalogue pull (API and its SQL
baseline) and completions per second of the sync (and its bulk-insert
baseline), log scale. Right: peak RSS of the pull's server process and of the
sync worker, with the data size on a second axis, so "memory does not grow with
the data" can be seen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def plot_file(document: dict[str, Any], path: Path) -> Path:
    metrics = document["metrics"]
    pull = metrics["catalogue_pull"]["detail"]["by_scale"]
    rss_pull = metrics["rss_catalogue_pull"]["detail"]["by_scale"]
    rss_sync = metrics["rss_sync"]["detail"]["by_scale"]
    sync = metrics.get("sync_completions", {}).get("detail", {}).get("by_scale", {})
    scales = list(pull)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=120)

    left.plot(
        scales, [pull[s]["rate"] for s in scales], "o-", label="katalogtræk, GraphQL over HTTP"
    )
    left.plot(
        scales,
        [pull[s]["baseline_rate"] for s in scales],
        "o--",
        label="katalogtræk, baseline SQL + orjson",
    )
    if sync:
        left.plot(
            scales,
            [sync[s]["rate"] or 0 for s in scales],
            "s-",
            label="gennemførelser, synkronisering",
        )
        left.plot(
            scales,
            [sync[s]["baseline_rate"] or 0 for s in scales],
            "s--",
            label="gennemførelser, baseline bulk-INSERT",
        )
    left.set_yscale("log")
    left.set_xlabel("skala")
    left.set_ylabel("rækker pr. sekund (log)")
    left.set_title("Gennemstrømning")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)

    right.plot(
        scales, [rss_pull[s]["rss_peak_mib"] for s in scales], "o-", label="katalogtræk: API-proces"
    )
    right.plot(
        scales,
        [rss_sync[s]["rss_peak_mib"] or 0 for s in scales],
        "s-",
        label="synkronisering: worker",
    )
    right.set_ylim(bottom=0)
    right.set_xlabel("skala")
    right.set_ylabel("højeste RSS (MiB)")
    right.set_title("Hukommelse")
    right.grid(True, alpha=0.3)
    data = right.twinx()
    data.bar(
        scales,
        [rss_pull[s]["data_rows"] / 1e6 for s in scales],
        alpha=0.15,
        color="grey",
        label="datamængde",
    )
    data.set_ylabel("rækker i databasen (mio.)")
    lines, labels = right.get_legend_handles_labels()
    bars, bar_labels = data.get_legend_handles_labels()
    right.legend(lines + bars, labels + bar_labels, fontsize=8, loc="lower left")
    right.set_zorder(data.get_zorder() + 1)
    right.patch.set_visible(False)

    machine = document.get("machine", {})
    fig.suptitle(
        f"Kompetencekatalog, skala {' / '.join(scales)} – {machine.get('cores')} kerner, "
        f"{machine.get('memory_gib')} GiB, PostgreSQL {machine.get('postgresql')}",
        fontsize=10,
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
