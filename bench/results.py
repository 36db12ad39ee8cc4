"""The results file and the printed table.

Every metric is ``{"value", "unit", "baseline", "ratio"}`` plus ``detail``. The
ratio always reads "times worse than the baseline": for a throughput it is
baseline / value, for a latency, a memory peak or a count it is value /
baseline, so 1.0 means as good as the baseline and a goal such as "at most 4
times the baseline" is ``ratio <= 4``. A metric that could not be measured has
``value`` null and ``missing`` saying why; nothing is ever filled in by guess.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
METRIC_NAMES = (
    "catalogue_pull", "sql_statements_profile", "sql_statements_catalogue_page",
    "sql_statements_progress", "latency_catalogue_page", "latency_progress", "latency_enrol",
    "sync_completions", "rss_catalogue_pull", "rss_sync", "contention_enrol",
)  # fmt: skip


@dataclass
class Metric:
    value: float | None
    unit: str
    baseline: float | None
    #: "higher" when more is better (throughput), "lower" when less is (latency, memory).
    better: str = "lower"
    detail: dict[str, Any] = field(default_factory=dict)
    missing: str | None = None
    goal: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.baseline is None or self.value == 0 or self.baseline == 0:
            return None
        ratio = (
            self.baseline / self.value if self.better == "higher" else self.value / self.baseline
        )
        return round(ratio, 2)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline,
            "ratio": self.ratio,
        }
        if self.goal is not None:
            data["goal_max_ratio"] = self.goal
            data["goal_met"] = None if self.ratio is None else self.ratio <= self.goal
        if self.missing:
            data["missing"] = self.missing
        if self.detail:
            data["detail"] = self.detail
        return data


def missing(unit: str, reason: str) -> Metric:
    return Metric(None, unit, None, missing=reason)


def machine() -> dict[str, Any]:
    """What the figures were measured on, read off the machine itself."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    from bench import pg

    def pkg(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "-"

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "postgresql": pg.server_version(),
        "load_tool": f"locust {pkg('locust')}",
        "packages": {n: pkg(n) for n in ("sqlalchemy", "strawberry-graphql", "fastapi", "uvicorn")},
    }


@dataclass
class Results:
    scale: str
    metrics: dict[str, Metric] = field(default_factory=dict)
    data: dict[str, dict[str, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "data": self.data,
            "metrics": {
                name: self.metrics[name].as_json() for name in METRIC_NAMES if name in self.metrics
            },
            "notes": self.notes,
        }

    def write(self, path: Path) -> dict[str, Any]:
        document = self.as_json()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
        return document


def _fmt(number: float | None) -> str:
    if number is None:
        return "-"
    if abs(number) >= 100:
        return f"{number:,.0f}"
    return f"{number:.2f}".rstrip("0").rstrip(".") if number != int(number) else f"{number:.0f}"


def table(document: dict[str, Any]) -> str:
    """The metrics as a plain-text table, for the terminal and the README."""
    head = ("metric", "value", "unit", "baseline", "ratio", "goal", "note")
    rows = [head]
    for name, metric in document["metrics"].items():
        goal = metric.get("goal_max_ratio")
        goal_text = (
            "" if goal is None else f"<= {goal:g} " + ("ok" if metric["goal_met"] else "MISSED")
        )
        note = metric.get("detail", {}).get("summary") or metric.get("missing") or ""
        rows.append(
            (
                name,
                _fmt(metric["value"]),
                metric["unit"],
                _fmt(metric["baseline"]),
                _fmt(metric["ratio"]),
                goal_text,
                note,
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(head) - 1)]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=False))
        ]
        lines.append("  ".join(cells) + "  " + str(row[-1]))
        if index == 0:
            lines.append("-" * (sum(widths) + 2 * len(widths) + 4))
    return "\n".join(lines)
