"""Loading the demo's closed, released evaluation round, so a report can be read at once.

Answers are written as the answering service would leave them after close: answer
sets with random ids and no change key, ratings, comments apart, and an
answered-record per invitation; the invitations of people outside the demo
organisation get made-up demo addresses. A round whose name exists is left alone.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    AnswerChoice,
    Evaluatee,
    EvaluationAnswerSet,
    EvaluationComment,
    EvaluationInvitation,
    EvaluationInvitationAnswered,
    EvaluationRating,
    EvaluationRound,
    Person,
    RespondentGroup,
    RoundStatus,
)
from catalogue.models.evaluation import round_statements
from catalogue.seeding.schema import EvaluationSeed
from catalogue.services.profiles import current_profile, statements_by_key

CHOICES = {"?": AnswerChoice.DONT_KNOW, "-": AnswerChoice.DECLINED}


def load_evaluations(
    session: Session, seeds: list[EvaluationSeed], *, today: date, created: Counter[str]
) -> None:
    profile = current_profile(session)
    assert profile is not None
    statements = statements_by_key(session, profile.id)
    fields = {s.field.key: s.field for s in statements.values()}
    existing = set(session.scalars(select(EvaluationRound.name)))
    for seed in seeds:
        if seed.name in existing:
            continue
        closes_at = datetime.combine(today - timedelta(days=seed.closed_days_ago), time(12), UTC)
        round_ = EvaluationRound(
            name=seed.name,
            profile_id=profile.id,
            status=RoundStatus.RELEASED,
            opens_on=(closes_at - timedelta(days=21)).date(),
            closes_at=closes_at,
            reminder_days=[7, 2],
            chef_delay_days=7,
            released_at=closes_at + timedelta(days=2),
        )
        session.add(round_)
        session.flush()
        session.execute(
            round_statements.insert(),
            [{"round_id": round_.id, "statement_id": statements[k].id} for k in seed.statements],
        )
        for evaluatee_seed in seed.evaluatees:
            leader = session.scalars(
                select(Person).where(Person.email == evaluatee_seed.leader)
            ).one()
            evaluatee = Evaluatee(round_id=round_.id, person_id=leader.id)
            session.add(evaluatee)
            session.flush()
            for group, answers in evaluatee_seed.answers.items():
                for number, line in enumerate(answers, start=1):
                    _answered_invitation(session, evaluatee, leader, group, number)
                    answer_set = EvaluationAnswerSet(evaluatee_id=evaluatee.id, group=group)
                    session.add(answer_set)
                    session.flush()
                    session.add_all(
                        EvaluationRating(
                            answer_set_id=answer_set.id,
                            statement_id=statements[key].id,
                            choice=CHOICES.get(mark, AnswerChoice.SCORE),
                            score=None if mark in CHOICES else int(mark),
                        )
                        for key, mark in zip(seed.statements, line, strict=True)
                    )
            session.add_all(
                EvaluationComment(
                    evaluatee_id=evaluatee.id,
                    group=comment.group,
                    field_id=fields[comment.field].id,
                    text=comment.text,
                )
                for comment in evaluatee_seed.comments
            )
        created["evaluation_rounds"] += 1
    session.flush()


def _answered_invitation(
    session: Session, evaluatee: Evaluatee, leader: Person, group: RespondentGroup, number: int
) -> None:
    if group is RespondentGroup.SELF:
        email, person_id = leader.email, leader.id
    elif group is RespondentGroup.CHEF and leader.manager is not None:
        email, person_id = leader.manager.email, leader.manager.id
    else:
        local, _, domain = leader.email.partition("@")
        email, person_id = f"{group.value.lower()}{number}.{local}@{domain}", None
    invitation = EvaluationInvitation(
        evaluatee_id=evaluatee.id, group=group, email=email, person_id=person_id
    )
    session.add(invitation)
    session.flush()
    session.add(EvaluationInvitationAnswered(invitation_id=invitation.id))
