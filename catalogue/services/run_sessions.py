"""The sessions (teaching days) of a course run: HR sets them with the run, as one list.

Why a list on the run's own mutations: HR plans a run and its days together, and
the rules (inside the run's dates, no overlaps) are about the whole list, so they
are checked at once and every problem is named by its place (``sessions[2].endsAt``).
The list replaces the run's sessions: an item with the ``id`` of one of the run's
sessions changes that session (and keeps its id, and so its calendar UID), an item
without an id adds one (or is the session already at exactly its times, so the same
request twice changes nothing), and a session left out is removed. ``None`` leaves the
sessions as they are; an empty list removes them all.

A removed session is kept as a tombstone (``removed_at``, its ``sequence`` raised), not
deleted: a leader may have it in their calendar, and the next calendar file cancels it
under the same UID. A tombstone cannot be changed or brought back by its id; the same
day again is a new session. Each change a calendar must take over (times, place, title,
removal) raises the session's ``sequence``, RFC 5545's SEQUENCE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from catalogue.models import CourseRun, CourseRunSession
from catalogue.models.base import utcnow
from catalogue.services.errors import ErrorCode
from catalogue.services.validation import Checks

#: More than a year of weekly teaching days; a longer list is a mistake, not a plan.
MAX_SESSIONS = 100


@dataclass(frozen=True)
class SessionData:
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    title: str | None = None
    location: str | None = None
    #: The id of one of the run's sessions to change; ``None`` adds a session.
    id: int | None = None


@dataclass(frozen=True)
class CleanSession:
    id: int | None
    starts_at: datetime
    ends_at: datetime
    title: str | None
    location: str | None


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def check_sessions(
    checks: Checks,
    sessions: Sequence[SessionData],
    *,
    run: CourseRun | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
) -> list[CleanSession]:
    """Every problem with the list at once, into ``checks``; the cleaned sessions.

    ``starts_at``/``ends_at`` are the run's dates after the change (``None`` when they
    are themselves invalid, then only the sessions' own rules are checked).
    """
    if len(sessions) > MAX_SESSIONS:
        checks.fail(
            "sessions",
            ErrorCode.INVALID,
            f"Et hold kan højst have {MAX_SESSIONS} sessioner (listen har {len(sessions)}).",
        )
        return []
    known = {s.id for s in run.sessions} if run is not None else set()
    removed = {s.id for s in run.removed_sessions} if run is not None else set()
    seen_ids: set[int] = set()
    cleaned: list[tuple[int, CleanSession]] = []
    for index, item in enumerate(sessions):
        at = f"sessions[{index}]"
        number = index + 1
        ok = True
        if item.id is not None:
            if item.id in removed:
                checks.fail(
                    f"{at}.id",
                    ErrorCode.NOT_FOUND,
                    f"Session nr. {number} er fjernet fra holdet og kan ikke ændres; "
                    "send den uden id for at tilføje den igen.",
                )
                ok = False
            elif item.id not in known:
                checks.fail(
                    f"{at}.id",
                    ErrorCode.NOT_FOUND,
                    f"Session nr. {number} findes ikke på dette hold.",
                )
                ok = False
            elif item.id in seen_ids:
                checks.fail(
                    f"{at}.id", ErrorCode.DUPLICATE, f"Session nr. {number} står to gange i listen."
                )
                ok = False
            seen_ids.add(item.id)
        for field, value, label in (
            ("startsAt", item.starts_at, "Starttidspunktet"),
            ("endsAt", item.ends_at, "Sluttidspunktet"),
        ):
            if value is None:
                checks.fail(f"{at}.{field}", ErrorCode.REQUIRED, f"{label} skal udfyldes.")
                ok = False
            elif value.tzinfo is None:
                checks.aware(f"{at}.{field}", value, label=f"{label} for session nr. {number}")
                ok = False
        title = checks.text(
            f"{at}.title", item.title, label="Titlen", max_length=300, required=False
        )
        location = checks.text(
            f"{at}.location", item.location, label="Stedet", max_length=300, required=False
        )
        if not ok or item.starts_at is None or item.ends_at is None:
            continue
        if item.ends_at <= item.starts_at:
            checks.fail(
                f"{at}.endsAt",
                ErrorCode.INVALID,
                f"Session nr. {number} skal slutte efter, at den starter.",
            )
            continue
        if starts_at is not None and item.starts_at < starts_at:
            checks.fail(
                f"{at}.startsAt",
                ErrorCode.INVALID,
                f"Session nr. {number} starter før holdet ({_when(starts_at)}); "
                "en session skal ligge inden for holdets datoer.",
            )
            continue
        if ends_at is not None and item.ends_at > ends_at:
            checks.fail(
                f"{at}.endsAt",
                ErrorCode.INVALID,
                f"Session nr. {number} slutter efter holdet ({_when(ends_at)}); "
                "en session skal ligge inden for holdets datoer.",
            )
            continue
        cleaned.append(
            (
                index,
                CleanSession(
                    id=item.id,
                    starts_at=item.starts_at,
                    ends_at=item.ends_at,
                    title=title or None,
                    location=location or None,
                ),
            )
        )
    ordered = sorted(cleaned, key=lambda pair: (pair[1].starts_at, pair[0]))
    latest: tuple[int, CleanSession] | None = None  # the one that ends last so far
    for index, clean in ordered:
        if latest is not None and clean.starts_at < latest[1].ends_at:
            checks.fail(
                f"sessions[{index}].startsAt",
                ErrorCode.CONFLICT,
                f"Session nr. {index + 1} overlapper session nr. {latest[0] + 1}; "
                "et holds sessioner må ikke overlappe.",
            )
        if latest is None or clean.ends_at > latest[1].ends_at:
            latest = (index, clean)
    return [session for _, session in cleaned]


def sessions_outside(run: CourseRun, starts_at: datetime, ends_at: datetime) -> bool:
    """Whether moving the run to these dates would leave one of its sessions outside them."""
    return any(s.starts_at < starts_at or s.ends_at > ends_at for s in run.sessions)


def replace_sessions(run: CourseRun, sessions: Sequence[CleanSession]) -> bool:
    """Make the run's live sessions exactly ``sessions`` (checked); whether anything changed.

    An item without an id at the very times of a live session it does not otherwise
    keep is that session: sending the same list twice changes nothing, and keeps the
    ids (and so the calendar UIDs) the first request made. A session left out becomes
    a tombstone.
    """
    live = run.sessions
    by_id = {s.id: s for s in live}
    named = {s.id for s in sessions if s.id is not None}
    unnamed = {(s.starts_at, s.ends_at): s for s in live if s.id not in named}
    targets: list[tuple[CleanSession, CourseRunSession | None]] = []
    for item in sessions:
        if item.id is not None:
            targets.append((item, by_id[item.id]))
        else:
            targets.append((item, unnamed.pop((item.starts_at, item.ends_at), None)))
    kept = {id(existing) for _, existing in targets if existing is not None}
    changed = False
    now = utcnow()
    for existing in live:
        if id(existing) not in kept:
            existing.removed_at = now
            existing.sequence += 1
            changed = True
    for item, target in targets:
        values = {
            "starts_at": item.starts_at,
            "ends_at": item.ends_at,
            "title": item.title,
            "location": item.location,
        }
        if target is None:
            run.all_sessions.append(CourseRunSession(**values, sequence=0))
            changed = True
            continue
        moved = False
        for name, value in values.items():
            if getattr(target, name) != value:
                setattr(target, name, value)
                moved = True
        if moved:
            target.sequence += 1
            changed = True
    return changed
