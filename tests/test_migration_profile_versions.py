"""Migration 0005a: removal reasons for existing tombstones, and a downgrade that loses nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, exc, text
from sqlalchemy.orm import sessionmaker

from catalogue import migrate
from catalogue.db import make_engine
from catalogue.seeding.loader import seed
from tests.backends import postgres_schema_url, require_postgres
from tests.conftest import SEED_DAY

#: This migration; the one before it is read from the script, so a re-chained history still fits.
THIS = ScriptDirectory.from_config(migrate.alembic_config("sqlite://")).get_revision("0005a")
BEFORE = str(THIS.down_revision) if THIS is not None else "0004"


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """A database at head with the profile and demo data."""
    if request.param == "sqlite":
        yield from _prepared(f"sqlite:///{tmp_path / 'versions.sqlite3'}")
    else:
        with postgres_schema_url(require_postgres()) as url:
            yield from _prepared(url)


def _prepared(url: str) -> Iterator[tuple[str, Engine]]:
    migrate.upgrade(url)
    engine = make_engine(url)
    seed(sessionmaker(bind=engine), demo=True, today=SEED_DAY)
    yield url, engine
    engine.dispose()


def _scalar(engine: Engine, sql: str) -> object:
    with engine.connect() as connection:
        return connection.scalar(text(sql))


def _counts(engine: Engine) -> dict[str, object]:
    tables = ("competence_profile", "competence_statement", "competence_link", "theme")
    return {table: _scalar(engine, f"SELECT count(*) FROM {table}") for table in tables}


def test_tombstones_from_before_get_the_reason_removed_and_no_row_is_lost(
    seeded: tuple[str, Engine],
) -> None:
    url, engine = seeded
    before = _counts(engine)
    engine.dispose()
    migrate.downgrade(url, BEFORE)
    # SQLite's batch mode rebuilds competence_profile; with foreign keys on, that used to
    # cascade to every statement and link (catalogue/migrations/env.py).
    assert _counts(engine) == before
    with engine.begin() as connection:  # HR removed one link under the old schema
        connection.execute(
            text(
                "UPDATE competence_link SET removed_at = CURRENT_TIMESTAMP "
                "WHERE id = (SELECT min(id) FROM competence_link)"
            )
        )
    engine.dispose()

    migrate.upgrade(url)

    assert _counts(engine) == before
    rows = _scalar(
        engine,
        "SELECT count(*) FROM competence_link "
        "WHERE removed_at IS NOT NULL AND removal_reason = 'REMOVED'",
    )
    assert rows == 1
    with pytest.raises(exc.IntegrityError), engine.begin() as connection:
        connection.execute(  # a tombstone without a reason is refused
            text("UPDATE competence_link SET removal_reason = NULL WHERE removed_at IS NOT NULL")
        )


def test_the_downgrade_refuses_when_two_versions_share_a_text(seeded: tuple[str, Engine]) -> None:
    url, engine = seeded
    with engine.begin() as connection:  # version 2: a file put back to version 1's text
        connection.execute(
            text(
                "INSERT INTO competence_profile (version, title, intro, work_environment_note, "
                "dialogue_note, content_digest, published_at) "
                "SELECT 2, title, intro, work_environment_note, dialogue_note, content_digest, "
                "published_at FROM competence_profile WHERE version = 1"
            )
        )
    engine.dispose()

    with pytest.raises(RuntimeError, match="to versioner af kompetenceprofilen har samme indhold"):
        migrate.downgrade(url, BEFORE)

    # This migration refused and stands. PostgreSQL rolls the whole downgrade back (to head);
    # on SQLite the later migrations' steps down are already committed.
    assert migrate.current_revision(engine) in {THIS.revision, migrate.head_revision()}
    assert _scalar(engine, "SELECT count(*) FROM competence_profile") == 2
