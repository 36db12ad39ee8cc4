"""``python -m bench``: run, generate, profile, plot, clean. See bench/README.md."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from bench import pg
from bench.results import RESULTS_DIR, table
from bench.scales import ORDER, SCALES

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _postgres_or_exit() -> None:
    try:
        pg.ensure_postgres()
    except pg.PostgresUnavailableError as exc:
        if IN_CI:
            print(f"fejl: {exc}", file=sys.stderr)
            raise SystemExit(1) from exc
        print(f"benchmarks springes over: {exc}. De kræver PostgreSQL (kør som i .ci/run).")
        raise SystemExit(0) from exc


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="alle benchmarks ved en skala (og de mindre skalaer)")
    run.add_argument("--scale", choices=ORDER, default="S")
    run.add_argument(
        "--quick", action="store_true", help="kort: ingen hvad-nu-hvis-belastning, korte frister"
    )
    run.add_argument("--workers", type=int, default=4, help="API-processer under belastning")
    run.add_argument("--latency-seconds", type=int, help="sekunder pr. belastningsscenarie")
    run.add_argument("--sync-seconds", type=float, help="tidsbudget for synkroniseringen")
    run.add_argument("--out", type=Path, default=RESULTS_DIR / "latest.json")
    run.add_argument("--no-plot", action="store_true")

    generate = commands.add_parser("generate", help="byg (eller genbrug) data for en skala")
    generate.add_argument("--scale", choices=ORDER, required=True)
    generate.add_argument("--force", action="store_true")

    profile = commands.add_parser("profile", help="pyinstrument-profil af katalogtræk eller sync")
    profile.add_argument("what", choices=("pull", "sync"))
    profile.add_argument("--scale", choices=ORDER, default="L")
    profile.add_argument("--pages", type=int, default=20, help="sider for 'pull'")
    profile.add_argument("--seconds", type=float, default=60, help="tidsbudget for 'sync'")

    plot = commands.add_parser("plot", help="tegn bench/results/scaling.png fra en resultatfil")
    plot.add_argument("results", type=Path, nargs="?", default=RESULTS_DIR / "latest.json")

    show = commands.add_parser("show", help="vis en resultatfil som tabel")
    show.add_argument("results", type=Path, nargs="?", default=RESULTS_DIR / "latest.json")

    search = commands.add_parser(
        "search", help="søgningens relevans (S, M; begge databaser) og svartid (L)"
    )
    search.add_argument("--relevance", nargs="*", choices=ORDER, default=["S", "M"])
    search.add_argument("--latency", choices=ORDER, default="L")
    search.add_argument("--no-latency", action="store_true")

    commands.add_parser("clean", help="slet benchmarkens databaser (kk_bench_*)")
    commands.add_parser(
        "people-import", help="HR-importens hukommelse mod rækker (tracemalloc; SQLite)"
    )

    args = parser.parse_args(argv)
    if args.command == "show":
        print(table(json.loads(args.results.read_text("utf-8"))))
        return
    if args.command == "plot":
        from bench.plot import plot_file

        print(plot_file(json.loads(args.results.read_text("utf-8")), RESULTS_DIR / "scaling.png"))
        return
    if args.command == "people-import":
        from bench.measure.people_import import measure

        out = RESULTS_DIR / "people-import.json"
        out.write_text(json.dumps(measure(), indent=2) + "\n", "utf-8")
        print(f"skrevet: {out}")
        return
    _postgres_or_exit()
    if args.command == "run":
        from bench.suite import run as run_suite

        run_suite(
            args.scale,
            workers=args.workers,
            latency_seconds=args.latency_seconds,
            sync_seconds=args.sync_seconds,
            out=args.out,
            plot=not args.no_plot,
            quick=args.quick,
        )
    elif args.command == "generate":
        from bench.datagen.build import ensure

        print(ensure(SCALES[args.scale], force=args.force))
    elif args.command == "profile":
        from bench import profiling

        if args.what == "pull":
            print(profiling.profile_pull(args.scale, args.pages))
        else:
            print(profiling.profile_sync(args.scale, args.seconds))
    elif args.command == "search":
        from bench.search_suite import DEFAULT_OUT
        from bench.search_suite import run as run_search

        run_search(
            relevance_scales=args.relevance,
            latency_scale=None if args.no_latency else args.latency,
            out=DEFAULT_OUT,
        )
    elif args.command == "clean":
        for name in pg.bench_databases():
            pg.drop(name)
            print(f"slettet: {name}")


if __name__ == "__main__":
    main()
