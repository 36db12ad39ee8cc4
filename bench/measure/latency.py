"""Latency under load: locust, 32 concurrent clients, one scenario at a time, bounded in time.

Each scenario (and the ``/healthz`` baseline before them) runs for the same
number of seconds against the same multi-worker server; statistics are reset
once all 32 users have started, so the figures are for the steady state.
Locust's percentiles are read from its ``*_stats.csv``; it rounds response
times above 100 ms to two significant digits, which is fine at this resolution.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalogue.settings import PROJECT_ROOT

USERS = 32
#: All users within a quarter of a second; statistics are reset once they are all running.
SPAWN_RATE = USERS * 4
LOCUSTFILE = Path(__file__).resolve().parent.parent / "locustfile.py"


@dataclass(frozen=True)
class LoadResult:
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    seconds: int

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "failures": self.failures,
            "rps": round(self.rps, 1),
            "p50_ms": self.p50,
            "p95_ms": self.p95,
            "p99_ms": self.p99,
            "seconds": self.seconds,
        }


def run_locust(user_class: str, base_url: str, data: dict[str, Any], seconds: int) -> LoadResult:
    """One headless locust run of ``user_class`` for ``seconds``; refuses non-loopback hosts."""
    if not base_url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        raise ValueError(f"load is only ever sent to loopback, not {base_url}")
    with tempfile.TemporaryDirectory(prefix="kk-bench-locust-") as folder:
        data_file = Path(folder) / "data.json"
        data_file.write_text(json.dumps(data), "utf-8")
        prefix = Path(folder) / "stats"
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            user_class,
            "--headless",
            "--users",
            str(USERS),
            "--spawn-rate",
            str(SPAWN_RATE),
            "--run-time",
            f"{seconds}s",
            "--host",
            base_url,
            "--csv",
            str(prefix),
            "--only-summary",
            "--reset-stats",
            "--stop-timeout",
            "5",
            "--exit-code-on-error",
            "0",
            "--loglevel",
            "WARNING",
        ]
        completed = subprocess.run(
            command,
            cwd=PROJECT_ROOT,
            env={**_env(), "BENCH_LOCUST_DATA": str(data_file)},
            capture_output=True,
            text=True,
            timeout=seconds + 120,
            check=False,
        )
        stats = Path(f"{prefix}_stats.csv")
        if completed.returncode != 0 or not stats.exists():
            raise RuntimeError(
                f"locust fejlede ({completed.returncode}):\n{completed.stderr[-3000:]}"
            )
        with stats.open(encoding="utf-8") as handle:
            total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
    return LoadResult(
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        rps=float(total["Requests/s"]),
        p50=_ms(total["50%"]),
        p95=_ms(total["95%"]),
        p99=_ms(total["99%"]),
        seconds=seconds,
    )


def _ms(text: str) -> float:
    return float(text) if text not in ("", "N/A") else float("nan")


def _env() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    return env
