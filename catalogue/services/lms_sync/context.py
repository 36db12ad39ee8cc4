"""What one sync step works with, and the rule that one bad item never stops the rest."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from catalogue.services.errors import DomainError
from catalogue.services.lms_sync.port import FailureKind, LmsGateway
from catalogue.services.lms_sync.runs import Change, Tally

log = logging.getLogger("catalogue.lms_sync")

#: Failures of the catalogue's own rules that concern one item only.
CATALOGUE_ITEM_ERRORS: tuple[type[Exception], ...] = (DomainError, IntegrityError, DataError)


@dataclass
class ItemResult:
    """Filled in by a step for one item: what it changed, or that it failed."""

    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failed: bool = False

    def add(self, change: Change, note: str | None = None) -> None:
        """Count ``change``; ``note`` says in words what changed, for the command line."""
        self.changes.append(change)
        if note is not None and change is not Change.UNCHANGED:
            self.notes.append(note)


@dataclass
class SyncContext:
    """One run's session, LMS gateway, tally and mode.

    Each item runs in a savepoint: in a real run it is committed on its own,
    so a run that dies halfway keeps what it finished and the next run does
    the rest; in a dry run nothing is committed and the engine rolls it all
    back at the end, so the counts come from the same code that would write.
    """

    session: Session
    gateway: LmsGateway
    tally: Tally
    dry_run: bool

    def commit(self) -> None:
        if not self.dry_run:
            self.session.commit()

    def failure_kind(self, error: BaseException) -> FailureKind | None:
        kind = self.gateway.failure_kind(error)
        if kind is None and isinstance(error, CATALOGUE_ITEM_ERRORS):
            return FailureKind.ITEM
        return kind

    @contextmanager
    def item(
        self,
        what: str,
        item_id: str | int | None,
        *,
        count: bool = True,
        on_failure: Callable[[Exception], None] | None = None,
    ) -> Iterator[ItemResult]:
        """Run one item; its failure is recorded and swallowed unless it stops the run.

        ``on_failure`` runs after the item's savepoint is rolled back, also when
        the failure stops the run, so a step can note an attempt durably.
        """
        result = ItemResult()
        try:
            with self.session.begin_nested():
                yield result
        except Exception as exc:
            if on_failure is not None:
                on_failure(exc)
            self.fail_item(what, item_id, exc)
            result.failed = True
            return
        self.commit()
        if count:
            self.count_item(result)

    def fail_item(self, what: str, item_id: str | int | None, error: Exception) -> None:
        """Record ``error`` against the item, or re-raise it when it stops the whole run."""
        if self.failure_kind(error) is not FailureKind.ITEM:
            raise error
        log.info("lms sync: %s %s failed: %s", what, item_id, error)
        self.tally.fail(what, item_id, error_code(error), error_message(error))

    def count_item(self, result: ItemResult) -> None:
        """Count a committed item's changes (UNCHANGED when it had none) and its notes."""
        for change in result.changes or [Change.UNCHANGED]:
            self.tally.count(change)
        for note in result.notes:
            self.tally.note_change(note)


def error_code(error: BaseException) -> str:
    if isinstance(error, DomainError):
        return error.code.value
    code = getattr(error, "errorcode", None)
    return str(code) if code else type(error).__name__


def error_message(error: BaseException) -> str:
    """A message for HR: domain and LMS errors are already Danish; database ones are summed up."""
    if isinstance(error, DomainError):
        return error.message
    if isinstance(error, IntegrityError | DataError):
        detail = str(error.orig).strip().splitlines()[0] if error.orig else ""
        return f"Databasen afviste ændringen ({detail[:200]})."
    return str(error)[:1000] or type(error).__name__
