"""``catalogue erase-leavers``: the retention erasure once, in this process (for cron).

With Redis, beat schedules the same work (``workers.tasks.privacy``); without it,
``catalogue sync --watch`` runs it on ``CATALOGUE_LEAVER_RETENTION_INTERVAL`` too,
and a deployment without an LMS runs this command from cron.
"""

from __future__ import annotations

from typing import Annotated

import typer

from catalogue.services.privacy.retention import RetentionRun, erase_leavers_past_retention
from catalogue.settings import Settings, get_settings
from workers.runtime import session_factory

MAX_LINES = 50


def run_retention(settings: Settings, *, dry_run: bool = False) -> RetentionRun | None:
    """One retention run, or None when no retention period is set."""
    if settings.leaver_retention_days is None:
        return None
    return erase_leavers_past_retention(
        session_factory(settings.database_url),
        retention_days=settings.leaver_retention_days,
        dry_run=dry_run,
    )


def erase_leavers(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Vis hvem der ville blive slettet; slet intet.")
    ] = False,
) -> None:
    """Erase the data of leavers past CATALOGUE_LEAVER_RETENTION_DAYS, and print who was kept."""
    outcome = run_retention(get_settings(), dry_run=dry_run)
    if outcome is None:
        typer.echo("fejl: CATALOGUE_LEAVER_RETENTION_DAYS er ikke sat; intet slettes", err=True)
        raise typer.Exit(code=1)
    verb = "ville blive slettet" if dry_run else "slettet"
    typer.echo(f"{len(outcome.erased)} fratrådte personers data {verb}")
    kept = sorted(outcome.kept.items())
    for person_id, why in kept[:MAX_LINES]:
        typer.echo(f"  - person {person_id} beholdt: {why}")
    if len(kept) > MAX_LINES:
        typer.echo(f"  ... og {len(kept) - MAX_LINES} mere")
