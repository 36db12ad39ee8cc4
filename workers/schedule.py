"""How often each sync kind runs: one table for Celery beat and for ``catalogue sync --watch``."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from catalogue.models import SyncKind
from catalogue.settings import Settings

#: The order a full sync runs in: the catalogue first, then what depends on it; the profile
#: in the LMS last, as what leaders wait for (places, completions) goes first.
SYNC_ORDER = (
    SyncKind.COURSES,
    SyncKind.OUTBOX,
    SyncKind.ENROLMENTS,
    SyncKind.COMPLETIONS,
    SyncKind.COMPETENCIES,
)


def scheduled_kinds(settings: Settings) -> tuple[SyncKind, ...]:
    """What ``sync all`` and the schedule run: the competency push only when switched on."""
    if settings.moodle_push_competencies:
        return SYNC_ORDER
    return tuple(kind for kind in SYNC_ORDER if kind is not SyncKind.COMPETENCIES)


def sync_intervals(settings: Settings) -> dict[SyncKind, int]:
    """Seconds between runs of each scheduled kind (``CATALOGUE_SYNC_*_INTERVAL``)."""
    intervals = {
        SyncKind.COURSES: settings.sync_courses_interval,
        SyncKind.OUTBOX: settings.sync_outbox_interval,
        SyncKind.ENROLMENTS: settings.sync_enrolments_interval,
        SyncKind.COMPLETIONS: settings.sync_completions_interval,
        SyncKind.COMPETENCIES: settings.sync_competencies_interval,
    }
    return {kind: intervals[kind] for kind in scheduled_kinds(settings)}


def due_kinds(
    kinds: Iterable[SyncKind],
    intervals: Mapping[SyncKind, int],
    last_started: Mapping[SyncKind, float],
    now: float,
) -> list[SyncKind]:
    """The kinds whose interval has passed since they last started (never run: due)."""
    return [kind for kind in kinds if now - last_started.get(kind, -math.inf) >= intervals[kind]]
