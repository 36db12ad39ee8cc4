"""``catalogue sync``: run LMS syncs in this process and print what they did (or would do).

The command lives here, not in ``catalogue.cli``, because it needs the LMS
connector and ``catalogue`` never imports ``workers``. ``catalogue.cli`` finds it
through the ``catalogue.commands`` entry point (see pyproject.toml), so it is
still ``catalogue sync``.

Without Redis there is no worker: the command also starts the runs HR queued
through ``triggerLmsSync``, and ``--watch`` keeps doing that and runs each kind
on its interval from settings, which is the embedded deployment's scheduler (and
so also erases leavers past retention, as beat does with Redis).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from catalogue.models import SyncKind, SyncStatus
from workers.privacy_cli import run_retention
from workers.schedule import due_kinds, scheduled_kinds, sync_intervals

if TYPE_CHECKING:
    from catalogue.settings import Settings


class SyncTarget(StrEnum):
    courses = "courses"
    enrolments = "enrolments"
    completions = "completions"
    competencies = "competencies"
    all = "all"


KINDS: dict[SyncTarget, tuple[SyncKind, ...]] = {
    SyncTarget.courses: (SyncKind.COURSES,),
    SyncTarget.enrolments: (SyncKind.OUTBOX, SyncKind.ENROLMENTS),
    SyncTarget.completions: (SyncKind.COMPLETIONS,),
    SyncTarget.competencies: (SyncKind.COMPETENCIES,),
}
MAX_LINES = 50
#: How often ``--watch`` looks for runs HR queued.
WATCH_POLL_SECONDS = 5.0


def sync(
    target: Annotated[
        SyncTarget,
        typer.Argument(
            help="Hvad der synkroniseres; enrolments: udbakke og afstemning; competencies: "
            "kompetenceprofilen sendes til LMS'et og kobles til kurserne."
        ),
    ] = SyncTarget.all,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Vis hvad der ville ændres; gem og send intet.")
    ] = False,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Bliv ved (drift uden Redis): kør bestilte kørsler og hver slags efter "
            "intervallerne i CATALOGUE_SYNC_*_INTERVAL. Stop med Ctrl-C.",
        ),
    ] = False,
) -> None:
    """Synchronise with the LMS now, in this process, and print a summary."""
    settings = _checked_settings()
    kinds = scheduled_kinds(settings) if target is SyncTarget.all else KINDS[target]
    if not watch:
        ok = _run_queued(settings)
        ok = _run(settings, [(kind, dry_run, None) for kind in kinds]) and ok
        if not ok:
            raise typer.Exit(code=1)
        return
    intervals = sync_intervals(settings)
    last_started: dict[SyncKind, float] = {}
    last_retention = -math.inf
    typer.echo("synkroniserer efter intervallerne; stop med Ctrl-C")
    try:
        while True:
            _run_queued(settings)
            now = time.monotonic()
            for kind in due_kinds(kinds, intervals, last_started, now):
                last_started[kind] = now
                _run(settings, [(kind, dry_run, None)])
            if now - last_retention >= settings.leaver_retention_interval:
                # Beat's other job, for deployments without Redis: leavers past retention.
                last_retention = now
                run_retention(settings, dry_run=dry_run)
            time.sleep(WATCH_POLL_SECONDS)
    except KeyboardInterrupt:
        typer.echo("stoppet")


def _checked_settings() -> Settings:
    from pydantic import ValidationError

    from catalogue.db import DatabaseConfigError, make_engine
    from catalogue.health import check_database
    from catalogue.settings import get_settings

    try:
        settings = get_settings()
    except ValidationError as exc:
        _fail(str(exc.errors()[0]["msg"]).removeprefix("Value error, "))
    if not settings.lms_connected:
        _fail("der er ikke forbundet noget LMS; sæt CATALOGUE_LMS_KIND=moodle og Moodle-adressen")
    from workers.lms.errors import LmsSettingsError
    from workers.lms.registry import connector_for

    try:
        connector_for(settings)
    except LmsSettingsError as exc:
        _fail(str(exc))
    engine = make_engine(settings.database_url)
    try:
        check_database(engine)
    except DatabaseConfigError as exc:
        _fail(str(exc))
    finally:
        engine.dispose()
    return settings


def _run_queued(settings: Settings) -> bool:
    """Start the runs HR queued; with Redis the workers do that, so nothing happens here."""
    if settings.redis_url:
        return True
    from catalogue.services.lms_sync import queued_runs
    from workers.runtime import session_factory

    with session_factory(settings.database_url)() as session:
        jobs = [(run.kind, run.dry_run, run.task_id) for run in queued_runs(session)]
    return _run(settings, jobs)


def _run(settings: Settings, jobs: Sequence[tuple[SyncKind, bool, str | None]]) -> bool:
    """Run each job, print its summary; False if any failed."""
    from catalogue.services.lms_sync import SyncBusyError
    from workers.runtime import execute_sync

    ok = True
    for kind, dry_run, task_id in jobs:
        try:
            outcome = execute_sync(settings, kind, dry_run=dry_run, task_id=task_id)
        except SyncBusyError:
            typer.echo(f"{kind.value}: springes over, en anden kørsel af samme slags er i gang")
            continue
        except Exception as exc:  # the run is already recorded as FAILED, with the reason
            ok = False
            typer.echo(f"{kind.value}: FEJLET: {exc}")
            continue
        status = outcome.status.value if outcome.status else "-"
        typer.echo(f"{kind.value} [{status}] {outcome.message}")
        lines = (*outcome.changes, *outcome.issues)
        for line in lines[:MAX_LINES]:
            typer.echo(f"  - {line}")
        if len(lines) > MAX_LINES:
            typer.echo(f"  ... og {len(lines) - MAX_LINES} mere")
        ok = ok and outcome.status is not SyncStatus.FAILED
    return ok


def _fail(message: str) -> NoReturn:
    typer.echo(f"fejl: {message}", err=True)
    raise typer.Exit(code=1)
