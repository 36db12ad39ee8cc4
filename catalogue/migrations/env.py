"""Alembic environment: batch mode on SQLite so ALTERs work there too."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from catalogue.db import make_engine
from catalogue.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=False,
    )


def _run(connection: Connection) -> None:
    """Run the migrations; on SQLite with foreign keys off while batch mode rebuilds tables.

    Batch mode rebuilds a table by copying it and dropping the original. With foreign
    keys on, SQLite's DROP TABLE deletes the rows first and runs the children's ON
    DELETE actions: rebuilding ``competence_profile`` would delete every statement and
    link. So, as SQLite's own advice for schema changes says, the keys are switched off
    outside the transaction (the pragma is a no-op inside one) and checked at the end.
    """
    sqlite = connection.dialect.name == "sqlite" and not connection.in_transaction()
    if sqlite:
        _sqlite_pragma(connection, "PRAGMA foreign_keys=OFF")
    _configure(connection)
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(f"Migreringen efterlod brudte fremmednøgler: {broken[:5]}")
    finally:
        if sqlite:
            _sqlite_pragma(connection, "PRAGMA foreign_keys=ON")


def _sqlite_pragma(connection: Connection, pragma: str) -> None:
    """Straight on the driver's connection: through SQLAlchemy it would open a transaction."""
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(pragma)


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set"
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()  # also when a migration refuses, so no connection is left open


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run `catalogue migrate`.")
run_migrations_online()
