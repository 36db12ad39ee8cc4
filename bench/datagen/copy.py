"""COPY helpers: rows go to PostgreSQL in one stream per table, ids assigned here.

Ids are chosen by the generator (continuing after the seed's) instead of being
returned by the database, so related rows can be written without a round trip
per row; the sequences are moved past them afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from psycopg import sql

Connection = psycopg.Connection[tuple[Any, ...]]


def next_id(connection: Connection, table: str) -> int:
    row = connection.execute(
        sql.SQL("SELECT coalesce(max(id), 0) + 1 FROM {}").format(sql.Identifier(table))
    ).fetchone()
    assert row is not None
    return int(row[0])


def copy_rows(
    connection: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write ``rows`` with COPY; returns how many."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    count = 0
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def reset_sequence(connection: Connection, table: str) -> None:
    connection.execute(
        sql.SQL(
            "SELECT setval(pg_get_serial_sequence({table}, 'id'), "
            "greatest((SELECT max(id) FROM {ident}), 1))"
        ).format(table=sql.Literal(table), ident=sql.Identifier(table))
    )
