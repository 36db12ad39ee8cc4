"""Migration 0005d: stored audit actions renamed to ``AuditAction``'s one naming, and back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from catalogue import migrate
from catalogue.db import make_engine
from catalogue.services.audit import AuditAction
from tests.backends import postgres_schema_url, require_postgres

INSERT = (
    "INSERT INTO audit_log_entry (at, entity_type, entity_id, action, details) "
    "VALUES (CURRENT_TIMESTAMP, :entity_type, 1, :action, '{}')"
)

#: What 0004's writers stored, and what each must read after the migration.
BEFORE_AFTER = [
    ("Enrolment", "request", "ENROLMENT_REQUESTED"),
    ("Enrolment", "approve", "ENROLMENT_APPROVED"),
    ("Enrolment", "reject", "ENROLMENT_REJECTED"),
    ("Enrolment", "enrol", "ENROLMENT_ENROLLED"),
    ("Enrolment", "waitlist", "ENROLMENT_WAITLISTED"),
    ("Enrolment", "promote", "ENROLMENT_PROMOTED"),
    ("Enrolment", "start", "ENROLMENT_STARTED"),
    ("Enrolment", "complete", "ENROLMENT_COMPLETED"),
    ("Enrolment", "fail", "ENROLMENT_FAILED"),
    ("Enrolment", "withdraw", "ENROLMENT_WITHDRAWN"),
    ("ActivityCompletion", "complete", "COMPLETION_RECORDED"),
    ("Course", "COURSE_CREATED", "COURSE_CREATED"),
    ("CompetenceLink", "LINK_REMOVED", "LINK_REMOVED"),
    ("CompetenceProfile", "PROFILE_VERSION_CREATED", "PROFILE_VERSION_CREATED"),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
        engine = make_engine(url)
        yield url, engine
        engine.dispose()
    else:
        with postgres_schema_url(require_postgres()) as url:
            engine = make_engine(url)
            yield url, engine
            engine.dispose()


def _actions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(text("SELECT action FROM audit_log_entry ORDER BY id")))


def test_stored_actions_are_renamed_and_back(engine: tuple[str, Engine]) -> None:
    url, db = engine
    migrate.upgrade(url, "0004")
    with db.begin() as connection:
        for entity_type, old, _ in BEFORE_AFTER:
            connection.execute(text(INSERT), {"entity_type": entity_type, "action": old})
    db.dispose()

    migrate.upgrade(url, "0005d")
    after = _actions(db)
    assert after == [new for _, _, new in BEFORE_AFTER]
    assert all(action in set(AuditAction) for action in after)
    db.dispose()

    migrate.downgrade(url, "0004")
    assert _actions(db) == [old for _, old, _ in BEFORE_AFTER]
