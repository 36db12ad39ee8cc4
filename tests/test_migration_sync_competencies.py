"""Migration 0004: the COMPETENCIES sync kind, enforced by the database on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, exc, inspect, text

from catalogue import migrate
from catalogue.db import make_engine
from tests.backends import postgres_schema_url, require_postgres

INSERT = (
    "INSERT INTO sync_run (kind, status, dry_run, started_at, created_count, updated_count, "
    "unchanged_count, failed_count, errors) "
    "VALUES (:kind, 'SUCCEEDED', false, CURRENT_TIMESTAMP, 0, 0, 0, 0, '[]')"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kinds.sqlite3'}"
        engine = make_engine(url)
        yield url, engine
        engine.dispose()
    else:
        with postgres_schema_url(require_postgres()) as url:
            engine = make_engine(url)
            yield url, engine
            engine.dispose()


#: PostgreSQL refuses a too long value before it checks; SQLite only has the CHECK.
REFUSED = (exc.IntegrityError, exc.DataError)


def _insert(engine: Engine, kind: str) -> None:
    with engine.begin() as connection:
        connection.execute(text(INSERT), {"kind": kind})


def _kinds(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(text("SELECT kind FROM sync_run ORDER BY id")))


def _kind_length(engine: Engine) -> int | None:
    [column] = [c for c in inspect(engine).get_columns("sync_run") if c["name"] == "kind"]
    return getattr(column["type"], "length", None)


def test_competencies_is_a_kind_after_0004_and_not_before(engine: tuple[str, Engine]) -> None:
    url, db = engine
    migrate.upgrade(url, "0003")
    with pytest.raises(REFUSED):
        _insert(db, "COMPETENCIES")
    db.dispose()

    migrate.upgrade(url)
    assert _kind_length(db) == 12
    _insert(db, "COMPETENCIES")
    _insert(db, "COURSES")
    with pytest.raises(exc.IntegrityError):
        _insert(db, "KOMPETENCER")
    assert _kinds(db) == ["COMPETENCIES", "COURSES"]
    db.dispose()

    migrate.downgrade(url, "0003")
    assert _kinds(db) == ["COURSES"], "runs of the unknown kind go, the rest stay"
    assert _kind_length(db) == 11
    with pytest.raises(REFUSED):
        _insert(db, "COMPETENCIES")
