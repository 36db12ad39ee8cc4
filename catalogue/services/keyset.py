"""Keyset paging: a page starts after the last row seen, by that row's sort key, not at an offset.

An offset counts rows, so a row inserted before it, or an edit that moves a row
across it, makes the next page repeat or skip a row. A keyset page instead
asks for the rows that sort after the previous page's last row: its values of
every ORDER BY expression, ending with the id, so the order is total. The
ordering is read from the statement itself, so every list keeps the order its
service gives it.

The WHERE is a row-value comparison ``(k1, k2, id) > (:k1, :k2, :id)`` when all
keys run one way and none can be NULL (an index can serve it on both SQLite
and PostgreSQL); otherwise it is expanded, ``k1 > :k1 OR (k1 = :k1 AND ...)``,
with each key's direction, and NULLs placed as the backend places them: last
ascending on PostgreSQL, first on SQLite, unless the ordering says
``NULLS FIRST``/``NULLS LAST``.

What "exactly once" means while the data changes: a row that exists when a
pull starts, and still matches its filter, arrives exactly once, and a row
inserted during the pull arrives once if it sorts after the pull's position.
A row whose sort key changes moves: the LMS's mirror feeds therefore page in
id order (``catalogue_queries``, ``CourseOrder.ID``), which no edit changes,
so an edit made after a row was read does not bring it back, and an edit made
before brings it in its new state. Edits after a row was read reach the
mirror through the next incremental pull, whose ``updatedSince`` is the time
the previous pull started.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import BindParameter, ColumnElement, Row, Select, and_, false, literal, or_, tuple_
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.schema import Column
from sqlalchemy.types import TypeDecorator

# How each backend orders NULLs when the ORDER BY does not say: larger than any value on
# PostgreSQL, smaller on SQLite.
NULLS_ARE_LARGEST = {"postgresql": True, "sqlite": False}
KEY_LABEL = "keyset_{}"
# Every integer key (ids, positions) is a 32-bit INTEGER column; a larger one would fail in SQL.
INT_LIMIT = 2**31
#: A SELECT or a row of any columns.
AnySelect: TypeAlias = Select[*tuple[Any, ...]]
AnyRow: TypeAlias = Row[*tuple[Any, ...]]


class CursorMismatchError(ValueError):
    """Cursor values that do not fit the statement's sort keys (another list's, or forged)."""


@dataclass(frozen=True)
class SortKey:
    """One ORDER BY expression, its direction and where its NULLs go."""

    expression: ColumnElement[Any]
    descending: bool
    nulls_first: bool
    nullable: bool

    def after(self, value: Any) -> ColumnElement[bool]:
        """Rows whose key sorts strictly after ``value``."""
        if value is None:
            return self.expression.is_not(None) if self.nulls_first else false()
        beyond: ColumnElement[bool] = (
            self.expression < value if self.descending else self.expression > value
        )
        if self.nullable and not self.nulls_first:
            return or_(beyond, self.expression.is_(None))
        return beyond

    def equal(self, value: Any) -> ColumnElement[bool]:
        return self.expression.is_(None) if value is None else self.expression == value

    def python_type(self) -> type[Any] | None:
        """The type a cursor's value must have for this key, if the column type knows it."""
        column_type = self.expression.type
        if isinstance(column_type, TypeDecorator):
            column_type = column_type.impl_instance
        try:
            known = column_type.python_type
        except NotImplementedError:
            return None
        return None if known is object else known


def sort_keys(statement: AnySelect, dialect: str) -> list[SortKey]:
    """The statement's ORDER BY as sort keys; constant terms, which order nothing, left out."""
    nulls_largest = NULLS_ARE_LARGEST[dialect]
    keys = []
    for clause in statement._order_by_clauses:
        expression: Any = clause
        descending = False
        nulls_first: bool | None = None
        while isinstance(expression, UnaryExpression) and expression.modifier is not None:
            if expression.modifier is operators.desc_op:
                descending = True
            elif expression.modifier is operators.nulls_first_op:
                nulls_first = True
            elif expression.modifier is operators.nulls_last_op:
                nulls_first = False
            elif expression.modifier is not operators.asc_op:
                break
            expression = expression.element
        if isinstance(expression, BindParameter):
            continue
        if nulls_first is None:
            nulls_first = nulls_largest == descending
        nullable = not isinstance(expression, Column) or bool(expression.nullable)
        keys.append(SortKey(expression, descending, nulls_first, nullable))
    return keys


def after_condition(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows that sort strictly after the row whose sort key values are ``values``."""
    directions = {key.descending for key in keys}
    if len(directions) == 1 and not any(key.nullable for key in keys) and None not in values:
        row = tuple_(*(key.expression for key in keys))
        bound = tuple_(
            *(literal(v, type_=k.expression.type) for k, v in zip(keys, values, strict=True))
        )
        return row < bound if keys[0].descending else row > bound
    terms = []
    for index, key in enumerate(keys):
        equal_before = [k.equal(v) for k, v in zip(keys[:index], values[:index], strict=True)]
        terms.append(and_(*equal_before, key.after(values[index])))
    return or_(*terms)


def key_columns(keys: Sequence[SortKey]) -> list[ColumnElement[Any]]:
    """The sort keys as labelled columns, to read each row's cursor with the row."""
    return [key.expression.label(KEY_LABEL.format(i)) for i, key in enumerate(keys)]


def checked_values(keys: Sequence[SortKey], values: Sequence[Any]) -> list[Any]:
    """``values`` (from JSON) as the keys' Python values; ``CursorMismatchError`` if unfit."""
    if len(values) != len(keys):
        raise CursorMismatchError(f"{len(values)} values for {len(keys)} sort keys")
    return [_as_type(value, key.python_type()) for key, value in zip(keys, values, strict=True)]


def _as_type(value: Any, expected: type[Any] | None) -> Any:
    if value is None:
        return None
    if expected is datetime:
        if not isinstance(value, str):
            raise CursorMismatchError("a time must be a string")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as exc:
            raise CursorMismatchError("not a time") from exc
        if moment.tzinfo is None:
            raise CursorMismatchError("a time must have a time zone")
        return moment
    if expected is float and type(value) in (int, float):
        return float(value)
    if expected is None:
        if type(value) not in (str, int, float, bool):
            raise CursorMismatchError("a value must be a JSON scalar")
        return value
    if type(value) is not expected:
        raise CursorMismatchError(f"expected {expected.__name__}, got {type(value).__name__}")
    if expected is int and not -INT_LIMIT <= value < INT_LIMIT:
        raise CursorMismatchError("an integer beyond what a column holds")
    return value


@dataclass(frozen=True)
class KeysetPage:
    """A page's rows (the key columns still on the end) and each row's sort key values."""

    rows: list[AnyRow]
    keys: list[tuple[Any, ...]]
    has_next: bool


@dataclass(frozen=True)
class Keyset:
    """One page of a statement: ``limit`` rows after the row whose key values are ``after``."""

    keys: list[SortKey]
    after: list[Any] | None
    limit: int

    @classmethod
    def of(
        cls, statement: AnySelect, *, dialect: str, after: Sequence[Any] | None, limit: int
    ) -> Keyset:
        """``CursorMismatchError`` if ``after`` does not fit the statement's ordering."""
        keys = sort_keys(statement, dialect)
        if not keys:
            raise TypeError("a keyset page needs an ordered statement")
        values = None if after is None else checked_values(keys, after)
        return cls(keys=keys, after=values, limit=limit)

    def select(self, statement: AnySelect) -> AnySelect:
        """``statement`` after the cursor, with the key columns, one row more than the page."""
        if self.after is not None:
            statement = statement.where(after_condition(self.keys, self.after))
        return statement.add_columns(*key_columns(self.keys)).limit(self.limit + 1)

    def page(self, rows: Sequence[AnyRow]) -> KeysetPage:
        """Split what ``select`` read into the page and whether more rows follow."""
        width = len(self.keys)
        shown = list(rows[: self.limit])
        return KeysetPage(
            rows=shown,
            keys=[tuple(row[-width:]) for row in shown],
            has_next=len(rows) > self.limit,
        )


def checked_like(sample: Sequence[Any], values: Sequence[Any]) -> tuple[Any, ...]:
    """``values`` with the types of ``sample``'s, for a list ordered in Python by such keys."""
    if len(values) != len(sample):
        raise CursorMismatchError(f"{len(values)} values for {len(sample)} sort keys")
    return tuple(
        _as_type(value, None if known is None else type(known))
        for known, value in zip(sample, values, strict=True)
    )
