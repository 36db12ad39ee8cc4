"""Migration 0006f: run sessions gain tombstones and a calendar sequence, and lose them again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from catalogue import migrate
from catalogue.db import make_engine
from tests.backends import postgres_schema_url, require_postgres

COURSE = (
    "INSERT INTO course (id, code, title, summary, kind, status, provider, language, audience, "
    "created_at, updated_at) VALUES (1, 'K-1', 'Kursus', '', 'SHORT_COURSE', 'PUBLISHED', '', "
    "'da', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)
RUN = (
    "INSERT INTO course_run (id, course_id, code, starts_at, ends_at, online, approval_required, "
    "created_at, updated_at) VALUES (1, 1, 'K-1-H1', '2030-03-01 08:00:00', "
    "'2030-03-10 15:00:00', false, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)
SESSION = (
    "INSERT INTO course_run_session (id, course_run_id, starts_at, ends_at, created_at, "
    "updated_at) VALUES (:id, 1, :starts, :ends, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'sessions.sqlite3'}"
        engine = make_engine(url)
        yield url, engine
        engine.dispose()
    else:
        with postgres_schema_url(require_postgres()) as url:
            engine = make_engine(url)
            yield url, engine
            engine.dispose()


def test_stored_sessions_stay_live_and_a_downgrade_drops_only_the_tombstones(
    engine: tuple[str, Engine],
) -> None:
    url, db = engine
    migrate.upgrade(url, "0005d")
    with db.begin() as connection:
        connection.execute(text(COURSE))
        connection.execute(text(RUN))
        for number in (1, 2):
            day = f"2030-03-0{number + 1}"
            connection.execute(
                text(SESSION),
                {"id": number, "starts": f"{day} 08:00:00", "ends": f"{day} 14:00:00"},
            )
    db.dispose()

    migrate.upgrade(url, "0006f")
    with db.begin() as connection:
        rows = connection.execute(
            text("SELECT id, removed_at, sequence FROM course_run_session ORDER BY id")
        ).all()
        assert [tuple(r) for r in rows] == [(1, None, 0), (2, None, 0)]  # live, at sequence 0
        connection.execute(
            text(
                "UPDATE course_run_session SET removed_at = CURRENT_TIMESTAMP, sequence = 1 "
                "WHERE id = 2"
            )
        )
    db.dispose()

    migrate.downgrade(url, "0005d")
    with db.connect() as connection:
        left = connection.scalars(text("SELECT id FROM course_run_session ORDER BY id")).all()
    assert left == [1]  # the older schema would have shown the tombstone as a live session
