"""Readiness checks: database reachable, schema at head, broker reachable when configured."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from catalogue.db import DatabaseConfigError
from catalogue.migrate import current_revision, head_revision


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database(engine: Engine) -> None:
    """Raise DatabaseConfigError with one clear line when the database can't be reached."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc
        reason = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        raise DatabaseConfigError(
            f"CATALOGUE_DATABASE_URL: databasen kan ikke nås ({engine.url.render_as_string()}): "
            f"{reason}"
        ) from exc


def readiness(engine: Engine, redis_url: str | None) -> list[Check]:
    checks: list[Check] = []
    try:
        check_database(engine)
        checks.append(Check("database", True, "forbundet"))
        current = current_revision(engine)
        head = head_revision()
        checks.append(Check("migrations", current == head, f"version {current}, nyeste {head}"))
    except DatabaseConfigError as exc:
        checks.append(Check("database", False, str(exc)))
    if redis_url:
        try:
            client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
            client.ping()
            client.close()
            checks.append(Check("broker", True, "forbundet"))
        except redis.RedisError as exc:
            checks.append(Check("broker", False, f"CATALOGUE_REDIS_URL: {exc}"))
    return checks
