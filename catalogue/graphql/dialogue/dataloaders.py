"""DataLoaders for dialogues, their cycles, focus statements, actions and snapshots."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from catalogue.graphql.core.loading import group_rows, load_by_ids
from catalogue.models import (
    DevelopmentAction,
    Dialogue,
    DialogueCycle,
    DialogueFocus,
    DialogueSnapshot,
    RoleProfile,
)
from catalogue.services.dialogue.reading import latest_dialogues_of


def dialogue_by_id(session: Session) -> DataLoader[int, Dialogue | None]:
    async def load(keys: Sequence[int]) -> list[Dialogue | None]:
        return load_by_ids(session, Dialogue, keys)

    return DataLoader(load_fn=load)


def cycle_by_id(session: Session) -> DataLoader[int, DialogueCycle | None]:
    async def load(keys: Sequence[int]) -> list[DialogueCycle | None]:
        return load_by_ids(session, DialogueCycle, keys)

    return DataLoader(load_fn=load)


def role_profile_by_id(session: Session) -> DataLoader[int, RoleProfile | None]:
    async def load(keys: Sequence[int]) -> list[RoleProfile | None]:
        return load_by_ids(session, RoleProfile, keys)

    return DataLoader(load_fn=load)


def focus_by_id(session: Session) -> DataLoader[int, DialogueFocus | None]:
    async def load(keys: Sequence[int]) -> list[DialogueFocus | None]:
        return load_by_ids(session, DialogueFocus, keys)

    return DataLoader(load_fn=load)


def action_by_id(session: Session) -> DataLoader[int, DevelopmentAction | None]:
    async def load(keys: Sequence[int]) -> list[DevelopmentAction | None]:
        return load_by_ids(session, DevelopmentAction, keys)

    return DataLoader(load_fn=load)


def focus_by_dialogue_id(session: Session) -> DataLoader[int, list[DialogueFocus]]:
    async def load(keys: Sequence[int]) -> list[list[DialogueFocus]]:
        statement = (
            select(DialogueFocus)
            .where(DialogueFocus.dialogue_id.in_(keys))
            .order_by(DialogueFocus.position, DialogueFocus.id)
        )
        return group_rows(session, statement, keys, lambda f: f.dialogue_id)

    return DataLoader(load_fn=load)


def actions_by_focus_id(session: Session) -> DataLoader[int, list[DevelopmentAction]]:
    async def load(keys: Sequence[int]) -> list[list[DevelopmentAction]]:
        statement = (
            select(DevelopmentAction)
            .where(DevelopmentAction.focus_id.in_(keys))
            .order_by(DevelopmentAction.id)
        )
        return group_rows(session, statement, keys, lambda a: a.focus_id)

    return DataLoader(load_fn=load)


def snapshots_by_dialogue_id(session: Session) -> DataLoader[int, list[DialogueSnapshot]]:
    async def load(keys: Sequence[int]) -> list[list[DialogueSnapshot]]:
        statement = (
            select(DialogueSnapshot)
            .where(DialogueSnapshot.dialogue_id.in_(keys))
            .order_by(DialogueSnapshot.number)
        )
        return group_rows(session, statement, keys, lambda s: s.dialogue_id)

    return DataLoader(load_fn=load)


def dialogues_by_leader_id(session: Session) -> DataLoader[int, list[Dialogue]]:
    """Each leader's dialogues, newest cycle first."""

    async def load(keys: Sequence[int]) -> list[list[Dialogue]]:
        return group_rows(session, latest_dialogues_of(keys), keys, lambda d: d.leader_id)

    return DataLoader(load_fn=load)
