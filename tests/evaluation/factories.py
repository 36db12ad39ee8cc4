"""An organisation and a round made to measure for the evaluation tests.

A leader (Lea) with a chef (Carl) and the chef's chef (Dorte); employees reporting to
Lea; peer leaders under Carl; HR and ADMIN people. Every test states how many of each
it needs, so the thresholds it tests are visible in the test itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    AnswerChoice,
    Evaluatee,
    EvaluationInvitation,
    Person,
    RespondentGroup,
    Role,
    RoundStatus,
)
from catalogue.models.base import utcnow
from catalogue.services import evaluation_rounds as rounds
from catalogue.services.evaluation_answers import RatingInput, submit_answers
from catalogue.services.evaluation_tokens import new_token, token_hash
from catalogue.services.identity import Viewer


def viewer(person: Person, *roles: Role) -> Viewer:
    return Viewer(person_id=person.id, email=person.email, roles=frozenset(roles or person.roles))


def make_person(
    session: Session, name: str, *, manager: Person | None = None, **flags: bool
) -> Person:
    tag = uuid.uuid4().hex[:8]
    person = Person(
        email=f"{name.lower().replace(' ', '.')}.{tag}@eval.ltk.example",
        name=name,
        manager_id=manager.id if manager else None,
        **flags,
    )
    session.add(person)
    session.flush()
    return person


@dataclass
class EvalOrg:
    director: Person
    chef: Person
    leader: Person
    employees: list[Person]
    peers: list[Person]
    hr: Person
    admin: Person
    outsider: Person
    sub_leaders: list[Person] = field(default_factory=list)


def make_org(
    session: Session, *, employees: int = 5, peers: int = 3, sub_leaders: int = 0
) -> EvalOrg:
    director = make_person(session, "Dorte Direktør", is_chef=True, is_leader=True)
    chef = make_person(session, "Carl Chef", manager=director, is_chef=True, is_leader=True)
    leader = make_person(session, "Lea Leder", manager=chef, is_leader=True, is_chef=True)
    staff = [make_person(session, f"Medarbejder {i}", manager=leader) for i in range(employees)]
    subs = []
    for i in range(sub_leaders):
        sub = make_person(session, f"Afdelingsleder {i}", manager=leader, is_leader=True)
        make_person(session, f"Ansat under {i}", manager=sub)
        subs.append(sub)
    peer_people = [
        make_person(session, f"Kollega {i}", manager=chef, is_leader=True) for i in range(peers)
    ]
    return EvalOrg(
        director=director,
        chef=chef,
        leader=leader,
        employees=staff,
        peers=peer_people,
        hr=make_person(session, "Hanne HR", is_hr=True),
        admin=make_person(session, "Anders Admin", is_admin=True),
        outsider=make_person(session, "Ole Udenfor", is_leader=True, is_chef=True),
        sub_leaders=subs,
    )


def make_round(
    session: Session,
    org: EvalOrg,
    *,
    statement_keys: list[str] | None = None,
    closes_in: timedelta = timedelta(days=14),
    **settings: object,
) -> tuple[int, Evaluatee]:
    """A DRAFT round with Lea in it (her SELF, CHEF and employee invitations made)."""
    now = utcnow()
    given = rounds.RoundFields(
        name=f"Ledelsesevaluering {uuid.uuid4().hex[:6]}",
        opens_on=date.today(),
        closes_at=now + closes_in,
        statement_keys=statement_keys,
        **settings,  # type: ignore[arg-type]
    )
    hr = viewer(org.hr, Role.HR)
    round_ = rounds.create_round(session, actor=hr, given=given, now=now)
    evaluatee = rounds.add_evaluatee(
        session, actor=hr, round_id=round_.id, person_id=org.leader.id, now=now
    )
    return round_.id, evaluatee


def hr_of(org: EvalOrg) -> Viewer:
    return viewer(org.hr, Role.HR)


def move(session: Session, org: EvalOrg, round_id: int, to: RoundStatus) -> None:
    rounds.move_round(session, actor=hr_of(org), round_id=round_id, to=to, now=utcnow())


def issue_tokens(session: Session, evaluatee: Evaluatee) -> dict[int, str]:
    """A token for every active invitation, as the invitation e-mail would make it."""
    tokens: dict[int, str] = {}
    for invitation in session.scalars(
        select(EvaluationInvitation).where(EvaluationInvitation.evaluatee_id == evaluatee.id)
    ):
        token = new_token()
        invitation.token_hash = token_hash(token)
        tokens[invitation.id] = token
    session.flush()
    return tokens


def tokens_of(
    session: Session, evaluatee: Evaluatee, tokens: dict[int, str], group: RespondentGroup
) -> list[str]:
    ids = session.scalars(
        select(EvaluationInvitation.id)
        .where(
            EvaluationInvitation.evaluatee_id == evaluatee.id,
            EvaluationInvitation.group == group,
        )
        .order_by(EvaluationInvitation.id)
    ).all()
    return [tokens[i] for i in ids if i in tokens]


def answer(
    session: Session,
    token: str,
    scores: dict[str, int | AnswerChoice],
    *,
    now: datetime | None = None,
) -> None:
    ratings = [
        RatingInput(statement_key=key, choice=value, score=None)
        if isinstance(value, AnswerChoice)
        else RatingInput(statement_key=key, choice=AnswerChoice.SCORE, score=value)
        for key, value in scores.items()
    ]
    submit_answers(session, token=token, ratings=ratings, comments=[], now=now or utcnow())
