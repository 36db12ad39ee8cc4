"""SyncRun bookkeeping: queue, begin, count, finish; what HR reads about each sync.

A run is QUEUED when HR asks for it, RUNNING while a worker holds the kind's
lock, and ends SUCCEEDED, PARTIAL (some items failed) or FAILED (the run as a
whole could not finish). A Celery task keeps its id across retries, so all
attempts of one task share one run, found again by ``task_id``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from catalogue.models import SyncKind, SyncRun, SyncStatus
from catalogue.models.base import utcnow
from catalogue.services.errors import DomainError, ErrorCode

#: At most this many per-item errors are kept on a run; the counts stay exact.
MAX_STORED_ERRORS = 200

KIND_LABELS: dict[SyncKind, str] = {
    SyncKind.COURSES: "Kurser hentet fra LMS'et",
    SyncKind.OUTBOX: "Tilmeldinger og afmeldinger sendt til LMS'et",
    SyncKind.ENROLMENTS: "Tilmeldinger afstemt med LMS'et",
    SyncKind.COMPLETIONS: "Gennemførelser hentet fra LMS'et",
    SyncKind.COMPETENCIES: "Kompetenceprofilen sendt til LMS'et",
}

INTERRUPTED_MESSAGE = (
    "Afbrudt: kørslen stoppede uden at blive færdig (fx fordi arbejdsprocessen blev stoppet). "
    "Det, der nåede at blive gemt, er bevaret; næste kørsel gør resten."
)


class Change(StrEnum):
    """What applying one item did (or, in a dry run, would do)."""

    CREATED = "CREATED"
    UPDATED = "UPDATED"
    UNCHANGED = "UNCHANGED"


@dataclass
class Tally:
    """Counts and per-item errors of one run, kept in memory and written at the end."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    omitted_errors: int = 0
    #: What changed (or would change), in words, for the ``sync`` command; not stored.
    changes: list[str] = field(default_factory=list)

    @classmethod
    def resumed(cls, run: SyncRun) -> Tally:
        """The tally a run (re)starts with: what its earlier attempts saved stays counted.

        A retried attempt finds those rows already there (unchanged), so without
        this a run that saved 14 completions before the LMS failed would end "0
        oprettet". Only what was written carries over (created, updated); what
        an attempt found unchanged or failed is the last attempt's. A dry run
        saved nothing, so it starts from zero.
        """
        if run.dry_run:
            return cls()
        return cls(created=run.created_count or 0, updated=run.updated_count or 0)

    def count(self, change: Change) -> None:
        if change is Change.CREATED:
            self.created += 1
        elif change is Change.UPDATED:
            self.updated += 1
        else:
            self.unchanged += 1

    def note_change(self, text: str) -> None:
        if len(self.changes) < MAX_STORED_ERRORS:
            self.changes.append(text)

    def fail(self, item: str, item_id: str | int | None, code: str, message: str) -> None:
        self.failed += 1
        self._note("error", item, item_id, code, message)

    def warn(self, item: str, item_id: str | int | None, code: str, message: str) -> None:
        """Something HR should know that did not stop the item (an LMS warning, say)."""
        self._note("warning", item, item_id, code, message)

    def _note(
        self,
        level: Literal["error", "warning"],
        item: str,
        item_id: str | int | None,
        code: str,
        message: str,
    ) -> None:
        if len(self.errors) >= MAX_STORED_ERRORS:
            self.omitted_errors += 1
            return
        self.errors.append(
            {
                "level": level,
                "item": item,
                "item_id": str(item_id) if item_id is not None else None,
                "code": code,
                "message": message,
            }
        )

    @property
    def succeeded(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self, kind: SyncKind, *, dry_run: bool) -> str:
        text = (
            f"{KIND_LABELS[kind]}: {self.created} oprettet, {self.updated} opdateret, "
            f"{self.unchanged} uændret, {self.failed} fejlet"
        )
        if self.omitted_errors:
            text += f" ({self.omitted_errors} fejl og advarsler mere er ikke gemt)"
        return f"Prøvekørsel, intet er gemt. {text}" if dry_run else text


def new_task_id() -> str:
    return uuid.uuid4().hex


def queue_run(
    session: Session, *, kind: SyncKind, dry_run: bool, requested_by_id: int | None
) -> SyncRun:
    """A run HR asked for; a worker starts it. One waiting run per kind and mode is enough."""
    waiting = session.scalar(
        select(SyncRun).where(
            SyncRun.kind == kind,
            SyncRun.status == SyncStatus.QUEUED,
            SyncRun.dry_run == dry_run,
        )
    )
    if waiting is not None:
        raise DomainError(
            ErrorCode.CONFLICT,
            f"{KIND_LABELS[kind]}: en kørsel venter allerede på at blive startet.",
            field="kind",
        )
    run = SyncRun(
        kind=kind,
        status=SyncStatus.QUEUED,
        dry_run=dry_run,
        started_at=utcnow(),
        task_id=new_task_id(),
        requested_by_id=requested_by_id,
        errors=[],
        message="I kø: venter på en arbejdsproces.",
    )
    session.add(run)
    session.flush()
    return run


def begin_run(
    session: Session, *, kind: SyncKind, dry_run: bool, task_id: str | None
) -> SyncRun | None:
    """Start (or, for a retried task, resume) the run; None if this task's run already ended.

    Call it holding the kind's lock: any other RUNNING run of the kind is then
    a leftover of a worker that died, and is closed as interrupted.
    """
    run = session.scalar(select(SyncRun).where(SyncRun.task_id == task_id)) if task_id else None
    if run is not None and run.status not in (SyncStatus.QUEUED, SyncStatus.RUNNING):
        return None  # a redelivered task whose run already finished: nothing to do
    leftovers = session.scalars(
        select(SyncRun).where(SyncRun.kind == kind, SyncRun.status == SyncStatus.RUNNING)
    )
    now = utcnow()
    for leftover in leftovers:
        if run is None or leftover.id != run.id:
            leftover.status = SyncStatus.FAILED
            leftover.finished_at = now
            leftover.message = INTERRUPTED_MESSAGE
    if run is None:
        run = SyncRun(kind=kind, dry_run=dry_run, task_id=task_id, errors=[])
        session.add(run)
    if run.status is not SyncStatus.RUNNING:
        run.status = SyncStatus.RUNNING
        run.started_at = now
        run.message = None
    session.flush()
    return run


def _store(run: SyncRun, tally: Tally) -> None:
    run.created_count = tally.created
    run.updated_count = tally.updated
    run.unchanged_count = tally.unchanged
    run.failed_count = tally.failed
    run.errors = list(tally.errors)


def finish_run(session: Session, run: SyncRun, tally: Tally) -> SyncRun:
    """SUCCEEDED; PARTIAL when some items failed; FAILED when every item failed."""
    _store(run, tally)
    if tally.failed == 0:
        run.status = SyncStatus.SUCCEEDED
    elif tally.succeeded == 0:
        run.status = SyncStatus.FAILED
    else:
        run.status = SyncStatus.PARTIAL
    run.finished_at = utcnow()
    run.message = tally.summary(run.kind, dry_run=run.dry_run)
    session.flush()
    return run


def fail_run(session: Session, run: SyncRun, tally: Tally, reason: str) -> SyncRun:
    """The run as a whole could not finish; the counts show how far it got."""
    _store(run, tally)
    run.status = SyncStatus.FAILED
    run.finished_at = utcnow()
    run.message = f"Fejlet: {reason} {tally.summary(run.kind, dry_run=run.dry_run)}."
    session.flush()
    return run


def note_retry(session: Session, run: SyncRun, tally: Tally, reason: str, attempt: int) -> SyncRun:
    """A transient failure with attempts left: the run stays RUNNING and says so."""
    _store(run, tally)
    run.message = f"Forsøg {attempt} mislykkedes: {reason} Prøver igen om lidt."
    session.flush()
    return run


def skip_queued_run(session: Session, task_id: str, reason: str) -> None:
    """A queued run that will not start (e.g. no LMS is configured) ends FAILED with the reason."""
    run = session.scalar(select(SyncRun).where(SyncRun.task_id == task_id))
    if run is not None and run.status is SyncStatus.QUEUED:
        run.status = SyncStatus.FAILED
        run.finished_at = utcnow()
        run.message = reason
        session.flush()


def queued_runs(session: Session, kind: SyncKind | None = None) -> list[SyncRun]:
    """Runs waiting for a worker, oldest first (the ``sync`` command starts them in-process)."""
    statement = select(SyncRun).where(SyncRun.status == SyncStatus.QUEUED)
    if kind is not None:
        statement = statement.where(SyncRun.kind == kind)
    return list(session.scalars(statement.order_by(SyncRun.started_at, SyncRun.id)))


def sync_runs_statement(kind: SyncKind | None = None) -> Select[SyncRun]:
    """Newest first, for HR's list; the id breaks ties so paging is stable."""
    statement = select(SyncRun)
    if kind is not None:
        statement = statement.where(SyncRun.kind == kind)
    return statement.order_by(SyncRun.started_at.desc(), SyncRun.id.desc())
