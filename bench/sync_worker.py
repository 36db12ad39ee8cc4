"""One completion sync, as a worker runs it, in a process of its own, with a time budget.

``python -m bench.sync_worker CONFIG_JSON`` runs ``run_sync(kind=COMPLETIONS)``
(the engine the Celery task and ``catalogue sync`` use) against the simulator
over HTTP. The budget is enforced through the LMS port: past the deadline the
next completion call fails as the LMS being unavailable would, so the engine
stops the run its own way, keeping every item it committed. The process prints
one JSON line: seconds, whether the budget stopped it, and its memory (RSS
before the run and the peak during it, from ``/proc/self/status``).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from catalogue.db import make_engine, make_session_factory
from catalogue.models import SyncKind
from catalogue.services.lms_sync import LmsGateway, run_sync, sync_lock
from catalogue.settings import Settings
from workers.lms.errors import LmsTransientError
from workers.lms.registry import gateway_from_settings


class BudgetReachedError(LmsTransientError):
    pass


class BudgetGateway:
    """The configured gateway, until the deadline; then every completion read fails."""

    def __init__(self, inner: LmsGateway, deadline: float) -> None:
        self.inner = inner
        self.deadline = deadline
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def activity_completions(self, *, course_id: int, user_id: int) -> Any:
        if time.perf_counter() > self.deadline:
            raise BudgetReachedError("benchmarkens tidsbudget er brugt")
        self.calls += 1
        return self.inner.activity_completions(course_id=course_id, user_id=user_id)


def _memory() -> dict[str, float]:
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values


def main() -> None:
    config = json.loads(sys.argv[1])
    settings = Settings(
        database_url=config["database_url"],
        secret_key="bench-sync-worker",
        lms_kind="moodle",
        moodle_url=config["moodle_url"],
        moodle_token=config["token"],
        moodle_timeout_seconds=60,
    )
    engine = make_engine(settings.database_url)
    profiler: Any = None
    with gateway_from_settings(settings) as gateway, make_session_factory(engine)() as session:
        gateway.check()  # site info once, as every run does first
        lock = sync_lock(settings, SyncKind.COMPLETIONS, engine)
        budget = BudgetGateway(gateway, time.perf_counter() + float(config["budget_seconds"]))
        before = _memory()
        Path("/proc/self/clear_refs").write_text("5")  # the peak from here on
        if config.get("profile"):
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.005)
            profiler.start()
        started = time.perf_counter()
        stopped = False
        outcome = None
        try:
            outcome = run_sync(session, budget, kind=SyncKind.COMPLETIONS, lock=lock)
        except BudgetReachedError:
            stopped = True
        seconds = time.perf_counter() - started
        after = _memory()
        if profiler is not None:
            profiler.stop()
            from bench.profiling import render

            Path(config["profile"]).write_text(render(profiler), "utf-8")
    engine.dispose()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "stopped_by_budget": stopped,
                "polled": budget.calls,
                "status": outcome.status.value if outcome and outcome.status else None,
                "failed_items": outcome.failed if outcome else None,
                "rss_before_mib": before.get("VmRSS"),
                "rss_peak_mib": after.get("VmHWM"),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
