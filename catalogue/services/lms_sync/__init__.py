"""The LMS sync engine: rules in the catalogue, the LMS behind a port (see ``port``).

Entry points: ``run_sync`` (one run of one kind, for the Celery tasks and the
``sync`` command), ``request_sync`` (HR's "sync now"), ``sync_lock`` and the
SyncRun queries for GraphQL.
"""

from catalogue.services.lms_sync.dispatch import TASK_NAMES, request_sync
from catalogue.services.lms_sync.engine import SyncOutcome, run_sync
from catalogue.services.lms_sync.locks import SyncBusyError, SyncLock, sync_lock
from catalogue.services.lms_sync.port import FailureKind, LmsGateway
from catalogue.services.lms_sync.runs import (
    queued_runs,
    skip_queued_run,
    sync_runs_statement,
)

__all__ = [
    "TASK_NAMES",
    "FailureKind",
    "LmsGateway",
    "SyncBusyError",
    "SyncLock",
    "SyncOutcome",
    "queued_runs",
    "request_sync",
    "run_sync",
    "skip_queued_run",
    "sync_lock",
    "sync_runs_statement",
]
