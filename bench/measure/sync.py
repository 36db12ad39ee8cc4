"""Completion sync throughput and memory, against a bulk insert of the same rows.

Order: the scenario is prepared in the scratch database (``moodle_site``), the
simulator is started in its own process, then the sync in its own process with
a time budget. Completions ingested are the rows the sync committed; the rate
is rows over the sync's own wall time (which includes its start: reading which
enrolments to poll). Baseline: those same rows deleted and inserted again in
one transaction with a bulk INSERT (SQLAlchemy Core executemany, which sends
multi-row VALUES), timed from the first INSERT to the COMMIT.

The sync's floor, measured before it in the same run: the same Moodle reads
(``activity_completions`` for every polled enrolment, one call each, as Moodle
offers nothing wider) from this process, with nothing written. No sync can
ingest faster than it can read, so its ratio to the baseline says how much of
the sync's own ratio is the LMS protocol rather than the catalogue.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import Table, delete, func, select

from bench import pg
from bench.moodle_site import NEW_USER_OFFSET, POLLED_ENROLMENTS_SQL, TOKEN, forget_completions
from catalogue.db import make_engine
from catalogue.models import ActivityCompletion
from catalogue.settings import PROJECT_ROOT, Settings
from workers.lms.registry import gateway_from_settings

BATCH = 1000


@dataclass(frozen=True)
class ReadsOnly:
    """The sync's Moodle reads alone: calls made, completed activities seen, seconds."""

    calls: int
    completions: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.completions / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class SyncResult:
    rows: int
    seconds: float
    stopped_by_budget: bool
    polled: int
    rss_before_mib: float
    rss_peak_mib: float
    held: dict[str, int]
    forgotten: int
    baseline_seconds: float
    reads_only: ReadsOnly | None

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def baseline_rate(self) -> float:
        return self.rows / self.baseline_seconds if self.baseline_seconds else 0.0


@contextmanager
def moodle(database: str) -> Iterator[tuple[str, dict[str, int]]]:
    """The simulator process for ``database``; yields its URL and what it holds."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.moodle_server", pg.libpq_url(database)],
        cwd=PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the Moodle simulator did not start")
        started = json.loads(line)
        yield started["url"], started["held"]
    finally:
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def run_worker(
    database: str, moodle_url: str, budget: float, profile: str | None = None
) -> dict[str, Any]:
    config = {
        "database_url": pg.database_url(database),
        "moodle_url": moodle_url,
        "token": TOKEN,
        "budget_seconds": budget,
        "profile": profile,
    }
    completed = subprocess.run(
        [sys.executable, "-m", "bench.sync_worker", json.dumps(config)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=budget + 600,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"sync worker failed:\n{completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def read_only_pass(database: str, moodle_url: str, budget: float) -> ReadsOnly:
    """Every polled enrolment's completions read from the simulator; nothing is written."""
    with psycopg.connect(pg.libpq_url(database)) as connection:
        asks = [
            (int(course), int(user) if user and user.isdigit() else NEW_USER_OFFSET + person)
            for _enrolment, person, _email, _name, user, course in connection.execute(
                POLLED_ENROLMENTS_SQL
            )
        ]
    settings = Settings(
        database_url=pg.database_url(database),
        secret_key="bench-reads-only",
        lms_kind="moodle",
        moodle_url=moodle_url,
        moodle_token=TOKEN,
        moodle_timeout_seconds=60,
    )
    calls = completions = 0
    with gateway_from_settings(settings) as gateway:
        gateway.check()
        started = time.perf_counter()
        for course_id, user_id in asks:
            if time.perf_counter() - started > budget:
                break
            listing = gateway.activity_completions(course_id=course_id, user_id=user_id)
            completions += sum(1 for completion in listing if completion.completed)
            calls += 1
        seconds = time.perf_counter() - started
    return ReadsOnly(calls, completions, seconds)


def measure_sync(
    database: str, budget: float, profile: str | None = None, *, reads_only: bool = True
) -> SyncResult:
    forgotten = forget_completions(pg.libpq_url(database))
    engine = make_engine(pg.database_url(database))
    try:
        with engine.connect() as connection:
            before = connection.scalar(select(func.max(ActivityCompletion.id))) or 0
        with moodle(database) as (url, held):
            floor = read_only_pass(database, url, budget) if reads_only else None
            worker = run_worker(database, url, budget, profile)
        baseline_seconds, rows = _reinsert(engine, after_id=before)
    finally:
        engine.dispose()
    return SyncResult(
        rows=rows,
        seconds=worker["seconds"],
        stopped_by_budget=worker["stopped_by_budget"],
        polled=worker["polled"],
        rss_before_mib=worker["rss_before_mib"],
        rss_peak_mib=worker["rss_peak_mib"],
        held=held,
        forgotten=forgotten,
        baseline_seconds=baseline_seconds,
        reads_only=floor,
    )


def _reinsert(engine: Any, *, after_id: int) -> tuple[float, int]:
    """The baseline: the sync's rows removed and bulk-inserted again, in one transaction."""
    table = ActivityCompletion.__table__
    assert isinstance(table, Table)
    columns = [c for c in table.columns if c.name != "id"]
    with engine.connect() as connection:
        rows = [
            dict(row._mapping)
            for row in connection.execute(
                select(*columns).where(table.c.id > after_id).order_by(table.c.id)
            )
        ]
        connection.commit()
        if not rows:
            return 0.0, 0
        with connection.begin():
            connection.execute(delete(table).where(table.c.id > after_id))
        started = time.perf_counter()
        with connection.begin():
            for index in range(0, len(rows), BATCH):
                connection.execute(table.insert(), rows[index : index + BATCH])
        seconds = time.perf_counter() - started
    return seconds, len(rows)
