"""DataLoaders for the competence profile: one bulk query per batch."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from catalogue.graphql.core.loading import group_rows, load_by_ids
from catalogue.models import CompetenceField, CompetenceProfile, CompetenceStatement, Theme
from catalogue.models.profile import field_themes


def themes_by_profile_id(session: Session) -> DataLoader[int, list[Theme]]:
    async def load(keys: Sequence[int]) -> list[list[Theme]]:
        statement = select(Theme).where(Theme.profile_id.in_(keys)).order_by(Theme.position)
        return group_rows(session, statement, keys, lambda t: t.profile_id)

    return DataLoader(load_fn=load)


def fields_by_profile_id(session: Session) -> DataLoader[int, list[CompetenceField]]:
    async def load(keys: Sequence[int]) -> list[list[CompetenceField]]:
        statement = (
            select(CompetenceField)
            .where(CompetenceField.profile_id.in_(keys))
            .order_by(CompetenceField.position)
        )
        return group_rows(session, statement, keys, lambda f: f.profile_id)

    return DataLoader(load_fn=load)


def field_by_id(session: Session) -> DataLoader[int, CompetenceField | None]:
    async def load(keys: Sequence[int]) -> list[CompetenceField | None]:
        return load_by_ids(session, CompetenceField, keys)

    return DataLoader(load_fn=load)


def statement_by_id(session: Session) -> DataLoader[int, CompetenceStatement | None]:
    async def load(keys: Sequence[int]) -> list[CompetenceStatement | None]:
        return load_by_ids(session, CompetenceStatement, keys)

    return DataLoader(load_fn=load)


def theme_by_id(session: Session) -> DataLoader[int, Theme | None]:
    async def load(keys: Sequence[int]) -> list[Theme | None]:
        return load_by_ids(session, Theme, keys)

    return DataLoader(load_fn=load)


def themes_by_field_id(session: Session) -> DataLoader[int, list[Theme]]:
    async def load(keys: Sequence[int]) -> list[list[Theme]]:
        rows = session.execute(
            select(field_themes.c.field_id, Theme)
            .join(Theme, Theme.id == field_themes.c.theme_id)
            .where(field_themes.c.field_id.in_(keys))
            .order_by(Theme.position)
        ).all()
        grouped: dict[int, list[Theme]] = {key: [] for key in keys}
        for field_id, theme in rows:
            grouped[field_id].append(theme)
        return [grouped[key] for key in keys]

    return DataLoader(load_fn=load)


def statements_by_field_id(session: Session) -> DataLoader[int, list[CompetenceStatement]]:
    async def load(keys: Sequence[int]) -> list[list[CompetenceStatement]]:
        statement = (
            select(CompetenceStatement)
            .where(CompetenceStatement.field_id.in_(keys))
            .order_by(CompetenceStatement.position)
        )
        return group_rows(session, statement, keys, lambda s: s.field_id)

    return DataLoader(load_fn=load)


def statements_by_profile_id(session: Session) -> DataLoader[int, list[CompetenceStatement]]:
    async def load(keys: Sequence[int]) -> list[list[CompetenceStatement]]:
        statement = (
            select(CompetenceStatement)
            .join(CompetenceField)
            .where(CompetenceStatement.profile_id.in_(keys))
            .order_by(CompetenceField.position, CompetenceStatement.position)
        )
        return group_rows(session, statement, keys, lambda s: s.profile_id)

    return DataLoader(load_fn=load)


def profile_by_id(session: Session) -> DataLoader[int, CompetenceProfile | None]:
    async def load(keys: Sequence[int]) -> list[CompetenceProfile | None]:
        return load_by_ids(session, CompetenceProfile, keys)

    return DataLoader(load_fn=load)
