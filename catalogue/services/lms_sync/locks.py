"""One lock per sync kind, so two runs of the same sync never overlap.

Where the lock lives follows the deployment (docs/architecture.md §8):

- Redis configured (production): a Redis lock with a timeout a little longer
  than the task's hard time limit, so a killed worker's lock expires by itself.
- PostgreSQL without Redis: a session-level advisory lock on a dedicated
  connection; PostgreSQL drops it when the connection dies.
- SQLite (embedded): ``flock`` on a file beside the database; every process
  using that file is on this machine, and the kernel drops the lock with the
  process.

Locks never wait: a sync that finds its kind busy is skipped (or, if HR asked
for it, retried by the task) rather than queued behind the other.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Protocol

import redis
from redis.exceptions import LockError
from sqlalchemy import Connection, Engine, func, select

from catalogue.models import SyncKind
from catalogue.settings import Settings

#: Extra seconds the Redis lock outlives the hard time limit.
LOCK_MARGIN_SECONDS = 120


class SyncLock(Protocol):
    def acquire(self) -> bool:
        """True if this caller now holds the lock; never blocks."""
        ...

    def release(self) -> None: ...


class SyncBusyError(Exception):
    """Another run of the same kind holds the lock."""

    def __init__(self, kind: SyncKind) -> None:
        super().__init__(f"En anden kørsel af samme slags ({kind}) er i gang.")
        self.kind = kind


@contextmanager
def holding(lock: SyncLock, kind: SyncKind) -> Iterator[None]:
    """Acquire ``lock`` or raise ``SyncBusyError``; always release it afterwards."""
    if not lock.acquire():
        raise SyncBusyError(kind)
    try:
        yield
    finally:
        lock.release()


def _scope(database_url: str) -> str:
    """Locks are per catalogue database: two test schemas, or two sites, never collide."""
    return hashlib.sha256(database_url.encode()).hexdigest()[:16]


class RedisSyncLock:
    def __init__(self, url: str, name: str, timeout: int) -> None:
        self._client = redis.Redis.from_url(url)
        self._lock = self._client.lock(name, timeout=timeout, blocking=False)

    def acquire(self) -> bool:
        got = bool(self._lock.acquire(blocking=False))
        if not got:
            self._client.close()
        return got

    def release(self) -> None:
        try:
            self._lock.release()
        except LockError:
            pass  # it expired: the time limit killed the run before we got here
        finally:
            self._client.close()


class PostgresAdvisoryLock:
    def __init__(self, engine: Engine, key: int) -> None:
        self._engine = engine
        self._key = key
        self._connection: Connection | None = None

    def acquire(self) -> bool:
        connection = self._engine.connect()
        try:
            got = bool(connection.scalar(select(func.pg_try_advisory_lock(self._key))))
            connection.commit()
        except BaseException:
            connection.invalidate()
            connection.close()
            raise
        if not got:
            connection.close()
            return False
        self._connection = connection
        return True

    def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.scalar(select(func.pg_advisory_unlock(self._key)))
            connection.commit()
        except Exception:
            connection.invalidate()  # closing the session drops the lock anyway
        finally:
            connection.close()


class FileSyncLock:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._file: IO[bytes] | None = None

    def acquire(self) -> bool:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        handle = self._path.open("ab")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        handle, self._file = self._file, None
        if handle is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()


_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


class ThreadSyncLock:
    """For an in-memory SQLite database, which only this process can see."""

    def __init__(self, name: str) -> None:
        with _THREAD_LOCKS_GUARD:
            self._lock = _THREAD_LOCKS.setdefault(name, threading.Lock())
        self._held = False

    def acquire(self) -> bool:
        self._held = self._lock.acquire(blocking=False)
        return self._held

    def release(self) -> None:
        if self._held:
            self._held = False
            self._lock.release()


def sync_lock(settings: Settings, kind: SyncKind, bind: Engine | Connection) -> SyncLock:
    """The lock for ``kind`` in this deployment (see the module docstring)."""
    engine = bind.engine
    database_url = engine.url.render_as_string(hide_password=True)
    scope = _scope(database_url)
    if settings.redis_url:
        return RedisSyncLock(
            settings.redis_url,
            f"kompetencekatalog:sync-lock:{scope}:{kind.value}",
            timeout=settings.sync_time_limit + LOCK_MARGIN_SECONDS,
        )
    if engine.dialect.name == "postgresql":
        digest = hashlib.sha256(f"sync-lock:{scope}:{kind.value}".encode()).digest()
        return PostgresAdvisoryLock(engine, int.from_bytes(digest[:8], "big", signed=True))
    database = engine.url.database
    if database and database != ":memory:" and not database.startswith("file::memory:"):
        path = Path(database)
        return FileSyncLock(path.with_name(f"{path.name}.sync-{kind.value.lower()}.lock"))
    return ThreadSyncLock(f"{scope}:{kind.value}:{os.getpid()}")
