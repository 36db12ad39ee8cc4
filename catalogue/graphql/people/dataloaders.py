"""DataLoaders for people and org units."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from catalogue.graphql.core.loading import load_by_ids
from catalogue.models import OrgUnit, Person


def person_by_id(session: Session) -> DataLoader[int, Person | None]:
    async def load(keys: Sequence[int]) -> list[Person | None]:
        return load_by_ids(session, Person, keys)

    return DataLoader(load_fn=load)


def org_unit_by_id(session: Session) -> DataLoader[int, OrgUnit | None]:
    async def load(keys: Sequence[int]) -> list[OrgUnit | None]:
        return load_by_ids(session, OrgUnit, keys)

    return DataLoader(load_fn=load)
