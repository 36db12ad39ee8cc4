"""Which databases and brokers the tests run against.

SQLite always; PostgreSQL and Redis when TEST_DATABASE_URL / TEST_REDIS_URL are
set. With CI=true a missing service is a failure, never a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import make_url, text

from catalogue.db import make_engine

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url and IN_CI:
        pytest.fail("CI=true, men TEST_DATABASE_URL er ikke sat: PostgreSQL-testene kan ikke køre")
    return url


def redis_url() -> str | None:
    url = os.environ.get("TEST_REDIS_URL")
    if not url and IN_CI:
        pytest.fail("CI=true, men TEST_REDIS_URL er ikke sat: Redis-testene kan ikke køre")
    return url


def require_postgres() -> str:
    url = postgres_url()
    if url is None:
        pytest.skip("TEST_DATABASE_URL er ikke sat (sæt den, eller kør .ci/run)")
    return url


def require_redis() -> str:
    url = redis_url()
    if url is None:
        pytest.skip("TEST_REDIS_URL er ikke sat (sæt den, eller kør .ci/run)")
    return url


@contextmanager
def postgres_schema_url(base_url: str) -> Iterator[str]:
    """A fresh schema for this test run, dropped afterwards, so runs never share tables."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL på {make_url(base_url).render_as_string()} kan ikke nås: {exc}")
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
