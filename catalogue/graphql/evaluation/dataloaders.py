"""DataLoaders for evaluation rounds, evaluatees and invitations: one query per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from catalogue.graphql.core.loading import group_rows, load_by_ids
from catalogue.models import (
    CompetenceField,
    CompetenceStatement,
    Evaluatee,
    EvaluationInvitation,
    EvaluationInvitationAnswered,
    EvaluationRound,
    InvitationStatus,
    RespondentGroup,
)
from catalogue.models.evaluation import round_statements


def round_by_id(session: Session) -> DataLoader[int, EvaluationRound | None]:
    async def load(keys: Sequence[int]) -> list[EvaluationRound | None]:
        return load_by_ids(session, EvaluationRound, keys)

    return DataLoader(load_fn=load)


def evaluatee_by_id(session: Session) -> DataLoader[int, Evaluatee | None]:
    async def load(keys: Sequence[int]) -> list[Evaluatee | None]:
        return load_by_ids(session, Evaluatee, keys)

    return DataLoader(load_fn=load)


def invitation_by_id(session: Session) -> DataLoader[int, EvaluationInvitation | None]:
    async def load(keys: Sequence[int]) -> list[EvaluationInvitation | None]:
        return load_by_ids(session, EvaluationInvitation, keys)

    return DataLoader(load_fn=load)


def evaluatees_by_round_id(session: Session) -> DataLoader[int, list[Evaluatee]]:
    async def load(keys: Sequence[int]) -> list[list[Evaluatee]]:
        statement = select(Evaluatee).where(Evaluatee.round_id.in_(keys)).order_by(Evaluatee.id)
        return group_rows(session, statement, keys, lambda e: e.round_id)

    return DataLoader(load_fn=load)


def invitations_by_evaluatee_id(session: Session) -> DataLoader[int, list[EvaluationInvitation]]:
    async def load(keys: Sequence[int]) -> list[list[EvaluationInvitation]]:
        statement = (
            select(EvaluationInvitation)
            .where(EvaluationInvitation.evaluatee_id.in_(keys))
            .order_by(EvaluationInvitation.group, EvaluationInvitation.id)
        )
        return group_rows(session, statement, keys, lambda i: i.evaluatee_id)

    return DataLoader(load_fn=load)


def statements_by_round_id(session: Session) -> DataLoader[int, list[CompetenceStatement]]:
    async def load(keys: Sequence[int]) -> list[list[CompetenceStatement]]:
        rows = session.execute(
            select(round_statements.c.round_id, CompetenceStatement)
            .join(CompetenceStatement, CompetenceStatement.id == round_statements.c.statement_id)
            .join(CompetenceField, CompetenceField.id == CompetenceStatement.field_id)
            .where(round_statements.c.round_id.in_(keys))
            .order_by(CompetenceField.position, CompetenceStatement.position)
        ).all()
        grouped: dict[int, list[CompetenceStatement]] = defaultdict(list)
        for round_id, statement in rows:
            grouped[round_id].append(statement)
        return [grouped.get(key, []) for key in keys]

    return DataLoader(load_fn=load)


@dataclass(frozen=True)
class ResponseCount:
    group: RespondentGroup
    invited: int
    answered: int


def response_counts_by_evaluatee_id(session: Session) -> DataLoader[int, list[ResponseCount]]:
    """Invited and answered per group, from the answered-records (never from the answers)."""

    async def load(keys: Sequence[int]) -> list[list[ResponseCount]]:
        rows = session.execute(
            select(
                EvaluationInvitation.evaluatee_id,
                EvaluationInvitation.group,
                func.count(EvaluationInvitation.id),
                func.count(EvaluationInvitationAnswered.invitation_id),
            )
            .outerjoin(
                EvaluationInvitationAnswered,
                EvaluationInvitationAnswered.invitation_id == EvaluationInvitation.id,
            )
            .where(
                EvaluationInvitation.evaluatee_id.in_(keys),
                EvaluationInvitation.status == InvitationStatus.ACTIVE,
            )
            .group_by(EvaluationInvitation.evaluatee_id, EvaluationInvitation.group)
            .order_by(EvaluationInvitation.evaluatee_id, EvaluationInvitation.group)
        ).all()
        grouped: dict[int, list[ResponseCount]] = defaultdict(list)
        for evaluatee_id, group, invited, answered in rows:
            grouped[evaluatee_id].append(ResponseCount(group, invited, answered))
        return [grouped.get(key, []) for key in keys]

    return DataLoader(load_fn=load)
