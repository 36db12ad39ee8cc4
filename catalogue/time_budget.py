"""A per-request time budget, enforced where the time goes: in the database.

Resolvers use a synchronous Session (each operation in a worker thread with a
loop of its own, ``catalogue.graphql.core.router``), so an asyncio timeout could
fire only between awaits and never stop a statement, nor free the thread and its
connection for the next request. The budget is therefore checked by
the database layer of every engine: no statement starts after the deadline
(``before_cursor_execute``), and one that runs past it is interrupted (SQLite's
progress handler; on PostgreSQL ``statement_timeout``, which ``make_engine``
sets for the API's engine). Work between statements is bounded by the query
cost limit, not here. Outside a budget (workers, CLI, migrations) nothing is
checked.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import Any, NamedTuple

from sqlalchemy import Engine, event


class _Budget(NamedTuple):
    deadline: float
    seconds: float


_current: ContextVar[_Budget | None] = ContextVar("time_budget", default=None)

#: SQLite calls the progress handler every this many virtual-machine instructions.
SQLITE_PROGRESS_STEPS = 10_000


class TimeBudgetExceededError(Exception):
    """The request used its time; what it already stored stays stored."""

    code = "TIME_BUDGET_EXCEEDED"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.message = (
            f"Forespørgslen blev afbrudt, fordi den tog mere end {seconds:g} sekunder, "
            "som er det højeste tilladte. Bed om færre felter eller en mindre side (first)."
        )
        super().__init__(self.message)

    @property
    def extensions(self) -> dict[str, Any]:
        """Picked up by graphql-core when a resolver's statement raises this error."""
        return {"code": self.code, "seconds": self.seconds}


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Everything run inside, in this context and tasks started from it, has ``seconds``."""
    token = _current.set(_Budget(time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        # A hook generator that was never resumed is closed later, from another context,
        # where the budget was never set; there is nothing to undo then.
        with suppress(ValueError):
            _current.reset(token)


def exceeded() -> TimeBudgetExceededError | None:
    budget = _current.get()
    if budget is not None and time.monotonic() > budget.deadline:
        return TimeBudgetExceededError(budget.seconds)
    return None


def check_time_budget() -> None:
    if error := exceeded():
        raise error


#: Statements that end a transaction or savepoint always run, so cleanup never fails.
_CLEANUP = ("ROLLBACK", "RELEASE")


def _before_cursor_execute(
    _conn: Any, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
) -> None:
    if not statement.lstrip().upper().startswith(_CLEANUP):
        check_time_budget()


def _translate_interrupt(context: Any) -> None:
    """A statement stopped by the budget (interrupted, cancelled) says so, not 'database error'."""
    if error := exceeded():
        raise error from context.original_exception


def sqlite_progress() -> int:
    """Non-zero interrupts the running SQLite statement."""
    return 1 if exceeded() else 0


def install_time_budget(engine: Engine) -> None:
    event.listen(engine, "before_cursor_execute", _before_cursor_execute)
    event.listen(engine, "handle_error", _translate_interrupt)
