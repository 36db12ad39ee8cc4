"""Bulk loading helpers behind every DataLoader: one query per batch, results in key order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from catalogue.models.base import Base

ModelT = TypeVar("ModelT", bound=Base)
KeyT = TypeVar("KeyT", bound=Hashable)
RowT = TypeVar("RowT")


def load_by_ids(session: Session, model: type[ModelT], ids: Sequence[int]) -> list[ModelT | None]:
    primary_key: Any = model.id  # type: ignore[attr-defined]
    rows = session.scalars(select(model).where(primary_key.in_(set(ids))))
    by_id = {row.id: row for row in rows}  # type: ignore[attr-defined]
    return [by_id.get(key) for key in ids]


def group_rows(
    session: Session,
    statement: Select[RowT],
    keys: Sequence[KeyT],
    key_of: Callable[[RowT], KeyT],
) -> list[list[RowT]]:
    """Run ``statement`` once and split its rows into one list per key, in key order."""
    grouped: dict[KeyT, list[RowT]] = defaultdict(list)
    for row in session.scalars(statement):
        grouped[key_of(row)].append(row)
    return [grouped.get(key, []) for key in keys]
