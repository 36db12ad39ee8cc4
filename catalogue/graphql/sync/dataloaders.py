"""DataLoaders for sync runs."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from catalogue.graphql.core.loading import load_by_ids
from catalogue.models import SyncRun


def sync_run_by_id(session: Session) -> DataLoader[int, SyncRun | None]:
    async def load(keys: Sequence[int]) -> list[SyncRun | None]:
        return load_by_ids(session, SyncRun, keys)

    return DataLoader(load_fn=load)
