"""Turn the figures of each scale into the metrics of ``latest.json``.

The run's scale is the last (largest) one measured; by-scale metrics (SQL
statements, pull and sync throughput, memory) carry every scale of the run in
``detail.by_scale`` so the plot and the "same at S, M and L" claim can be read
off one file.
"""

from __future__ import annotations

from typing import Any

from bench.results import Metric, Results, missing
from bench.scenario import ScaleFigures

STALL_NOTE = (
    "catalogue serve stalls under concurrency: once one worker has more requests in flight "
    "than its SQLAlchemy pool holds (5 + 10 overflow), the next request's first query waits "
    "for a connection on the event loop (the GraphQL context getter, and sync resolvers, run "
    "there), so the requests holding the connections never finish; every such wait ends only "
    "at the pool timeout (30 s, then HTTP 500). The what-if server (bench/eager_app.py: the "
    "request's connection taken in a worker thread before the request runs) does not stall."
)
WHAT_IF_NOTE = (
    "what-if = the same server taking each request's database connection in a worker thread "
    "before the request runs (bench/eager_app.py) instead of admitting no more requests than "
    "the pool holds (production, catalogue/app.py); both run with PostgreSQL's JIT off."
)
PULL_GOAL = 4.0
SYNC_GOAL = 3.0
LATENCY_METRICS = {
    "latency_catalogue_page": "catalogue_page",
    "latency_progress": "progress",
    "latency_enrol": "enrol",
}


def data_rows(figures: ScaleFigures) -> int:
    return sum(figures.data.values())


def build(runs: list[ScaleFigures]) -> Results:
    last, first = runs[-1], runs[0]
    results = Results(scale=last.scale, data={f.scale: f.data for f in runs})
    _statements(results, runs, first, last)
    _pull(results, runs, last)
    _sync(results, runs, last)
    _latency(results, last)
    _contention(results, last)
    for name, problem in last.problems.items():
        results.notes.append(f"{name}: {problem}")
    production = last.contention.get("production")
    if production and not production["rush"]["settled"]:
        results.notes.append(STALL_NOTE)
    if last.contention.get("what_if"):
        results.notes.append(WHAT_IF_NOTE)
    return results


def _statements(
    results: Results, runs: list[ScaleFigures], first: ScaleFigures, last: ScaleFigures
) -> None:
    for name, value in last.statements.items():
        by_scale = {f.scale: f.statements.get(name) for f in runs}
        counts = list(by_scale.values())
        if len(set(counts)) == 1:
            verdict = " (constant)"
        elif len(counts) > 2 and len(set(counts[1:])) == 1:
            verdict = f" (constant from {runs[1].scale} on; {first.scale} differs)"
        else:
            verdict = " (GROWS with the data)"
        results.metrics[name] = Metric(
            value,
            "statements/request",
            first.statements.get(name),
            detail={
                "baseline_is": f"the same request at scale {first.scale}",
                "by_scale": by_scale,
                "summary": " / ".join(f"{s}: {n}" for s, n in by_scale.items()) + verdict,
            },
        )


def _pull(results: Results, runs: list[ScaleFigures], last: ScaleFigures) -> None:
    pull = last.pull
    by_scale = {
        f.scale: {
            k: f.pull[k] for k in ("rows", "rate", "baseline_rate", "rss_idle_mib", "rss_peak_mib")
        }
        | {"data_rows": data_rows(f)}
        for f in runs
    }
    results.metrics["catalogue_pull"] = Metric(
        pull["rate"],
        "rows/s",
        pull["baseline_rate"],
        better="higher",
        goal=PULL_GOAL if last.scale == "L" else None,
        detail=pull
        | {
            "baseline_is": "the same rows with hand-written SQL + orjson in one process",
            "by_scale": {
                s: {k: v[k] for k in ("rows", "rate", "baseline_rate")} for s, v in by_scale.items()
            },
            "goal": "ratio <= 4 at scale L",
            "summary": f"{pull['rows']} rows in {pull['pages']} pages, {pull['seconds']:.1f} s "
            f"(SQL {pull['baseline_seconds']:.2f} s)",
        },
    )
    results.metrics["rss_catalogue_pull"] = Metric(
        pull["rss_peak_mib"],
        "MiB",
        pull["rss_idle_mib"],
        detail={
            "baseline_is": "the same workers just started, before their first request",
            "process": "catalogue serve: the highest peak RSS (VmHWM) of any worker",
            "by_scale": {
                s: {k: v[k] for k in ("rss_idle_mib", "rss_peak_mib", "rows", "data_rows")}
                for s, v in by_scale.items()
            },
            "summary": _growth(by_scale, "rss_peak_mib"),
        },
    )


def _growth(by_scale: dict[str, dict[str, Any]], key: str) -> str:
    scales = list(by_scale)
    if len(scales) < 2:
        return "one scale only: compare scales with make bench"
    a, b = by_scale[scales[0]], by_scale[scales[-1]]
    data = b["data_rows"] / max(a["data_rows"], 1)
    memory = b[key] / max(a[key], 1)
    return f"{scales[0]}->{scales[-1]}: data x{data:,.0f}, peak RSS x{memory:.2f}"


def _floor_note(floor: dict[str, Any] | None) -> str:
    if not floor or not floor.get("rate"):
        return ""
    return (
        f"; Moodle's answers alone, nothing written: {floor['rate']:,.0f}/s "
        f"(ratio {floor['ratio']})"
    )


def _sync(results: Results, runs: list[ScaleFigures], last: ScaleFigures) -> None:
    sync = last.sync
    if not sync.get("rows"):
        results.metrics["sync_completions"] = missing(
            "completions/s", "the sync ingested no completions: " + str(sync)
        )
    else:
        results.metrics["sync_completions"] = Metric(
            sync["rate"],
            "completions/s",
            sync["baseline_rate"],
            better="higher",
            goal=SYNC_GOAL if last.scale == "L" else None,
            detail=sync
            | {
                "baseline_is": "the same rows bulk-inserted (executemany INSERT, one transaction)",
                "by_scale": {
                    f.scale: {k: f.sync.get(k) for k in ("rows", "rate", "baseline_rate")}
                    for f in runs
                },
                "goal": "ratio <= 3 at scale L",
                "summary": f"{sync['rows']} completions in {sync['seconds']:.0f} s"
                + (" (time budget reached)" if sync["stopped_by_budget"] else "")
                + _floor_note(sync.get("lms_reads_only")),
            },
        )
    by_scale = {
        f.scale: {
            "rss_before_mib": f.sync.get("rss_before_mib"),
            "rss_peak_mib": f.sync.get("rss_peak_mib"),
            "data_rows": data_rows(f),
            "rows": f.sync.get("rows"),
        }
        for f in runs
    }
    results.metrics["rss_sync"] = Metric(
        sync.get("rss_peak_mib"),
        "MiB",
        sync.get("rss_before_mib"),
        detail={
            "baseline_is": "the same worker process just before the sync started",
            "process": "bench.sync_worker running run_sync(COMPLETIONS), simulator elsewhere",
            "by_scale": by_scale,
            "summary": _growth(by_scale, "rss_peak_mib"),
        },
    )


def _load_summary(figures: dict[str, Any], base: dict[str, Any]) -> str:
    text = (
        f"p50/p95/p99 {figures['p50_ms']:g}/{figures['p95_ms']:g}/{figures['p99_ms']:g} ms, "
        f"{figures['rps']:g} req/s (healthz {base['rps']:g} req/s)"
    )
    return text + (f", {figures['failures']} FAILED" if figures["failures"] else "")


def _latency(results: Results, last: ScaleFigures) -> None:
    base = last.latency.get("healthz")
    what_if_base = last.latency_what_if.get("healthz")
    for metric, name in LATENCY_METRICS.items():
        figures = last.latency.get(name)
        if not figures or not base:
            results.metrics[metric] = missing(
                "ms (p95)", f"load is measured at the run's own scale only ({last.scale} had none)"
            )
            continue
        detail: dict[str, Any] = {
            "baseline_is": "GET /healthz of the same app under the same load",
            "clients": 32,
            name: figures,
            "healthz": base,
            "summary": _load_summary(figures, base),
        }
        what_if = last.latency_what_if.get(name)
        if what_if and what_if_base:
            detail["what_if_eager_connection"] = {name: what_if, "healthz": what_if_base}
            detail["summary"] += f"; what-if: {_load_summary(what_if, what_if_base)}"
        results.metrics[metric] = Metric(
            figures["p95_ms"], "ms (p95)", base["p95_ms"], detail=detail
        )


def _rush_summary(variant: dict[str, Any]) -> str:
    rush, check = variant["rush"], variant["check"]
    if not rush["settled"]:
        return (
            f"attempt {len(variant['attempts'])} NOT SETTLED in {variant['deadline_seconds']:g} s"
            f" ({variant['attempts_settled']} settled): {rush['answered']}/"
            f"{variant['requests']} answered, {rush['http_errors']} errors, "
            f"{check['enrolments']} stored"
        )
    verdict = "ok" if check["ok"] else "WRONG"
    return (
        f"{verdict} ({variant['attempts_settled']} attempts): {check['enrolled']} enrolled, "
        f"{check['waitlisted']} waitlisted 1..{check['waitlisted']} in request order, "
        f"{rush['seconds']:.2f} s"
    )


def _contention(results: Results, last: ScaleFigures) -> None:
    production = last.contention.get("production")
    if not production:
        results.metrics["contention_enrol"] = missing("s", "measured at the run's own scale only")
        return
    what_if = last.contention.get("what_if")
    detail: dict[str, Any] = {
        "requests": production["requests"],
        "seats": production["seats"],
        "baseline_is": "the same 500 requests at once, each into its own run (no contention)",
        "production": production,
        "summary": "production: " + _rush_summary(production),
    }
    if what_if:
        detail["what_if_eager_connection"] = what_if
        detail["summary"] += "; what-if: " + _rush_summary(what_if)
    rush, check = production["rush"], production["check"]
    if rush["settled"] and check["ok"] and "no_contention" in production:
        results.metrics["contention_enrol"] = Metric(
            rush["seconds"], "s", production["no_contention"]["seconds"], detail=detail
        )
        return
    reason = (
        f"catalogue serve did not settle {production['requests']} simultaneous enrolments within "
        f"{production['deadline_seconds']:g} s ({rush['answered']} answered, "
        f"{rush['http_errors']} errors): see notes"
        if not rush["settled"]
        else "the seats were not given out first come, first served: see detail"
    )
    metric = missing("s", reason)
    metric.detail = detail
    results.metrics["contention_enrol"] = metric
