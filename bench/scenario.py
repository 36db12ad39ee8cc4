"""One scale's measurements on its scratch database, as plain numbers (no verdicts here)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from bench import fixtures, pg
from bench.datagen.build import counts
from bench.measure import contention, latency, pull, sql_counts, sync
from bench.scales import Scale
from bench.server import Server, memory_mib, new_secret, reset_peak, serve, server_settings
from catalogue.db import make_engine, make_session_factory
from catalogue.models import Role


@dataclass
class ScaleFigures:
    scale: str
    data: dict[str, int]
    statements: dict[str, int] = field(default_factory=dict)
    pull: dict[str, Any] = field(default_factory=dict)
    sync: dict[str, Any] = field(default_factory=dict)
    latency: dict[str, dict[str, Any]] = field(default_factory=dict)
    latency_what_if: dict[str, dict[str, Any]] = field(default_factory=dict)
    contention: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)


_STARTED = time.perf_counter()


def _log(message: str) -> None:
    print(f"[bench {time.perf_counter() - _STARTED:5.0f} s] {message}", flush=True)


def measure(
    scale: Scale,
    database: str,
    *,
    full: bool,
    workers: int,
    latency_seconds: int,
    sync_seconds: float,
    contention_deadline: float,
    what_if_load: bool,
) -> ScaleFigures:
    """Everything at ``scale`` on the scratch ``database``; ``full`` adds load and contention."""
    figures = ScaleFigures(scale.name, counts(database))
    settings = server_settings(pg.database_url(database), new_secret())
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    with factory() as session:
        heavy = fixtures.progress_people(session)
        progress_tokens = fixtures.tokens_for(session, settings, heavy, Role.LEADER)
        lms = fixtures.lms_token(session, settings)
    engine.dispose()

    _log(f"{scale.name}: SQL-sætninger pr. forespørgsel")
    figures.statements = sql_counts.count_statements(settings, progress_tokens[0])

    with serve(settings, workers=workers) as server:
        _log(f"{scale.name}: katalogtræk over HTTP og med håndskrevet SQL")
        _pull(figures, server, lms, database)
        if full:
            # After the pull, which must not see the bench's runs.
            setups = _setups(settings, attempts=3 if what_if_load else 1)
            load = Load(figures, setups, latency_seconds, progress_tokens, contention_deadline)
            if what_if_load:
                with serve(settings, workers=workers, eager=True) as what_if:
                    load.latency({"production": server, "what_if": what_if})
            else:
                load.latency({"production": server})
            load.contention("production", server, baseline=True)
    production = figures.contention.get("production")
    # One server at a time for contention: two pools of 4 x 15 would pass max_connections.
    # A quick run shows what the fix does only when the production server failed.
    if full and (what_if_load or (production and not _settled(production))):
        with serve(settings, workers=workers, eager=True) as what_if:
            load.contention("what_if", what_if, baseline=what_if_load)

    _log(f"{scale.name}: synkronisering af gennemførelser (højst {sync_seconds:g} s)")
    result = sync.measure_sync(database, sync_seconds)
    figures.sync = {
        "rows": result.rows,
        "seconds": round(result.seconds, 2),
        "rate": round(result.rate, 1),
        "baseline_seconds": round(result.baseline_seconds, 3),
        "baseline_rate": round(result.baseline_rate, 1),
        "stopped_by_budget": result.stopped_by_budget,
        "budget_seconds": sync_seconds,
        "polled_enrolments": result.polled,
        "scenario": result.held,
        "rss_before_mib": result.rss_before_mib,
        "rss_peak_mib": result.rss_peak_mib,
    }
    if result.reads_only is not None:
        floor = result.reads_only
        figures.sync["lms_reads_only"] = {
            "calls": floor.calls,
            "completions": floor.completions,
            "seconds": round(floor.seconds, 2),
            "rate": round(floor.rate, 1),
            "ratio": round(result.baseline_rate / floor.rate, 2) if floor.rate else None,
            "is": "the same Moodle reads with nothing written: no sync ingests faster",
        }
    return figures


def _pull(figures: ScaleFigures, server: Server, lms_token: str, database: str) -> None:
    """Memory over the first pull (from idle workers); throughput over the second (warm).

    Memory is the highest peak of any worker: the pages are spread over them.
    """
    pids = server.pids()
    idle = max(memory_mib(pid)["VmRSS"] for pid in pids)
    for pid in pids:
        reset_peak(pid)
    pull.pull_over_http(server.url, lms_token)
    peak = max(memory_mib(pid)["VmHWM"] for pid in pids)
    api = pull.pull_over_http(server.url, lms_token)
    base = pull.pull_with_sql(pg.libpq_url(database))
    figures.pull = {
        "rows": api.rows,
        "pages": api.pages,
        "seconds": round(api.seconds, 3),
        "rate": round(api.rate, 1),
        "bytes": api.bytes,
        "baseline_rows": base.rows,
        "baseline_seconds": round(base.seconds, 3),
        "baseline_rate": round(base.rate, 1),
        "baseline_bytes": base.bytes,
        "rss_idle_mib": idle,
        "rss_peak_mib": peak,
    }
    if api.rows != base.rows:
        figures.problems["catalogue_pull"] = (
            f"API og SQL læste ikke de samme rækker ({api.rows} mod {base.rows})"
        )


SCENARIOS = (
    ("healthz", "Healthz"),
    ("catalogue_page", "CataloguePage"),
    ("progress", "Progress"),
    ("enrol", "Enrol"),
)


@dataclass(frozen=True)
class LoadSetup:
    """The rows one server variant's load and contention use (fresh runs per variant)."""

    tokens: list[str]
    enrol_runs: list[int]
    contended: list[int]
    spread: list[int]


def _setup(session: Any, people: fixtures.LoadPeople, tag: str, attempts: int) -> LoadSetup:
    return LoadSetup(
        tokens=people.tokens,
        enrol_runs=fixtures.add_runs(session, f"B-{tag}-ENROL", fixtures.ENROL_RUNS, 250),
        contended=fixtures.add_runs(session, f"B-{tag}-RUSH", attempts, fixtures.CONTENTION_SEATS),
        spread=fixtures.add_runs(
            session, f"B-{tag}-SPREAD", len(people.ids), fixtures.CONTENTION_SEATS
        ),
    )


def _setups(settings: Any, attempts: int) -> dict[str, LoadSetup]:
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        people = fixtures.add_load_leaders(session, settings)
        setups = {
            variant: _setup(session, people, variant, attempts)
            for variant in ("production", "what_if")
        }
    engine.dispose()
    return setups


def _settled(variant: dict[str, Any]) -> bool:
    return bool(variant["rush"]["settled"] and variant["check"]["ok"])


@dataclass
class Load:
    """Latency on one or two servers (production, what-if), interleaved; then contention.

    Each load scenario runs on every server before the next scenario starts, so
    a change in the machine's other load hits both variants alike (on a shared
    2-core machine that matters more than any difference between them).
    Contention comes after all load: a server that stalls under the burst
    spoils nothing after it.
    """

    figures: ScaleFigures
    setups: dict[str, LoadSetup]
    seconds: int
    progress_tokens: list[str]
    deadline: float

    def latency(self, servers: dict[str, Server]) -> None:
        for name, user_class in SCENARIOS:
            for variant, server in servers.items():
                _log(
                    f"{self.figures.scale} [{variant}]: belastning {name}, "
                    f"{latency.USERS} klienter i {self.seconds} s"
                )
                results = (
                    self.figures.latency_what_if if variant == "what_if" else self.figures.latency
                )
                results[name] = latency.run_locust(
                    user_class, server.url, self._data(variant, server), self.seconds
                ).as_json()

    def _data(self, variant: str, server: Server) -> dict[str, Any]:
        setup = self.setups[variant]
        engine = make_engine(server.settings.database_url)
        with make_session_factory(engine)() as session:
            keys = fixtures.statement_keys(session)
        engine.dispose()
        return {
            "statement_keys": keys,
            "progress_tokens": self.progress_tokens,
            "enrol_tokens": setup.tokens,
            "enrol_runs": [fixtures.run_gid(r) for r in setup.enrol_runs],
        }

    def contention(self, variant: str, server: Server, *, baseline: bool) -> None:
        setup = self.setups[variant]
        _log(f"{self.figures.scale} [{variant}]: {len(setup.tokens)} samtidige tilmeldinger")
        self.figures.contention[variant] = _contention(
            server, setup, self.deadline, baseline=baseline
        )


def _contention(
    server: Server, setup: LoadSetup, deadline: float, *, baseline: bool
) -> dict[str, Any]:
    """The 100-seat rush, once per prepared run (3 in full runs: a stall does not come every
    time), stopping at the first that does not settle; then the no-contention baseline.

    ``rush``/``check`` are the attempt that stands for all: the first that failed, or
    else the median one.
    """
    attempts: list[dict[str, Any]] = []
    engine = make_engine(server.settings.database_url)
    for run_id in setup.contended:
        rush = contention.burst(
            server.url,
            setup.tokens,
            [fixtures.run_gid(run_id)] * len(setup.tokens),
            deadline=deadline,
        )
        with make_session_factory(engine)() as session:
            check = contention.check_settled(
                session, run_id, fixtures.CONTENTION_SEATS, len(setup.tokens)
            )
        attempts.append({"rush": rush.as_json(), "check": check})
        if not (rush.settled and check["ok"]):
            break
        time.sleep(1)
    engine.dispose()
    failed = [a for a in attempts if not (a["rush"]["settled"] and a["check"]["ok"])]
    chosen = (
        failed[0]
        if failed
        else sorted(attempts, key=lambda a: a["rush"]["seconds"])[len(attempts) // 2]
    )
    result: dict[str, Any] = {
        "requests": len(setup.tokens),
        "seats": fixtures.CONTENTION_SEATS,
        "deadline_seconds": deadline,
        "attempts_settled": f"{len(attempts) - len(failed)}/{len(attempts)}",
        "attempts": attempts,
        **chosen,
    }
    if any(not a["rush"]["settled"] for a in attempts):
        server.stalled = True  # stopped at once, not waited for
    elif baseline:
        spread = contention.burst(
            server.url, setup.tokens, [fixtures.run_gid(r) for r in setup.spread], deadline=deadline
        )
        result["no_contention"] = spread.as_json()
    return result
