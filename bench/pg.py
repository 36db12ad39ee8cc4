"""The PostgreSQL the benchmarks run on: reach it, and manage the bench's own databases.

Every database here is named ``kk_bench_*`` and created by the bench on the
server of ``BENCH_DATABASE_URL`` (default: the local cluster as user postgres,
trust auth, like ``.ci/run``). The tests' ``test`` database is never touched.

Each scale has a *pristine* database, generated once and reused while its
fingerprint (generator source, migrations, seed files, today's date) is
unchanged; the fingerprint is kept as the database's comment. A run works on a
*scratch* copy made with ``CREATE DATABASE ... TEMPLATE`` (a file copy, seconds
even at L), so benchmarks that write (enrolments, the sync) never change the
data the next run starts from.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import make_url

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PREFIX = "kk_bench_"


class PostgresUnavailableError(Exception):
    """PostgreSQL can't be reached (and could not be started)."""


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def database_url(name: str) -> str:
    """The SQLAlchemy URL of database ``name`` on the bench's server."""
    return make_url(server_url()).set(database=name).render_as_string(hide_password=False)


def libpq_url(name: str) -> str:
    """The same database as a libpq URL, for psycopg without SQLAlchemy."""
    return (
        make_url(database_url(name))
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )


def _reachable() -> bool:
    try:
        with psycopg.connect(libpq_url("postgres"), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def ensure_postgres() -> None:
    """Reach PostgreSQL, starting the local cluster the way ``.ci/run`` does if it is down."""
    if _reachable():
        return
    clusters = Path("/etc/postgresql")
    if shutil.which("pg_ctlcluster") and clusters.is_dir() and any(clusters.iterdir()):
        version = sorted(p.name for p in clusters.iterdir())[-1]
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            check=False,
            capture_output=True,
        )
        for _ in range(30):
            if _reachable():
                return
            time.sleep(1)
    raise PostgresUnavailableError(
        f"PostgreSQL på {make_url(server_url()).render_as_string()} svarer ikke "
        "(sæt BENCH_DATABASE_URL, eller start PostgreSQL)"
    )


@contextmanager
def admin() -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """An autocommit connection to the maintenance database, for CREATE/DROP DATABASE."""
    with psycopg.connect(libpq_url("postgres"), autocommit=True) as connection:
        yield connection


def exists(name: str) -> bool:
    with admin() as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def fingerprint_of(name: str) -> str | None:
    with admin() as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return str(row[0]) if row and row[0] else None


def set_fingerprint(name: str, fingerprint: str) -> None:
    with admin() as connection:
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(fingerprint)
            )
        )


def drop(name: str) -> None:
    assert name.startswith(PREFIX), name
    with admin() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def create(name: str, *, template: str | None = None) -> None:
    """A new, empty database (or a file copy of ``template``), replacing any old one."""
    drop(name)
    with admin() as connection:
        if template is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        else:
            connection.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )


def bench_databases() -> list[str]:
    with admin() as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY datname",
            [PREFIX.replace("_", r"\_") + "%"],
        ).fetchall()
    return [str(row[0]) for row in rows]


def server_version() -> str:
    with admin() as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def size_mib(name: str) -> float:
    with admin() as connection:
        row = connection.execute("SELECT pg_database_size(%s)", [name]).fetchone()
    return round(int(str(row[0])) / 2**20, 1) if row else 0.0
