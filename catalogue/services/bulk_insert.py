"""Inserting many rows in one statement whose text does not grow with their number.

SQLAlchemy sends many rows as one multi-row ``VALUES`` whose text grows with
the rows, and psycopg parses every such text anew: at scale L that parsing
alone was a third of the completion sync (``bench/results/profile-sync-L.txt``).
On PostgreSQL the rows go instead as one array per column, unnested by the
server, in a statement that is the same short text every time. Elsewhere
(SQLite) multi-row ``VALUES`` stays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Row, Table, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement


def insert_many(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    skip_conflicts_on: Sequence[str] = (),
    returning: Sequence[ColumnElement[Any]] = (),
) -> list[Row[Any]]:
    """Insert ``rows`` (all with the same keys) in the session's transaction.

    With ``skip_conflicts_on`` a row that would break that unique key is left
    out (``ON CONFLICT DO NOTHING``); ``returning`` gives the inserted rows' values.
    """
    if not rows:
        return []
    names = list(rows[0])
    params: list[dict[str, Any]] | None = None
    if session.get_bind().dialect.name == "postgresql":
        # SQLAlchemy renders each array parameter with its type (%(rows_at)s::TIMESTAMP...[])
        arrays = [
            bindparam(f"rows_{name}", [row[name] for row in rows], type_=_array(table, name))
            for name in names
        ]
        unnested = func.unnest(*arrays).table_valued(*names).render_derived(name="rows")
        statement: postgresql.Insert | sqlite.Insert = postgresql.insert(table).from_select(
            names, select(*(unnested.c[name] for name in names))
        )
    else:
        statement, params = sqlite.insert(table), [dict(row) for row in rows]
    if skip_conflicts_on:
        statement = statement.on_conflict_do_nothing(index_elements=skip_conflicts_on)
    if not returning:
        session.execute(statement, params)
        return []
    return list(session.execute(statement.returning(*returning), params))


def _array(table: Table, name: str) -> postgresql.ARRAY[Any]:
    return postgresql.ARRAY(table.c[name].type)
