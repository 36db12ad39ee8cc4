"""Who may read a leader's evaluation report, and from when.

Only after HR has released the round. The leader first; the chefs in the line above
the leader (as many levels as the round's ``chef_levels``) ``chef_delay_days`` later;
HR (``evaluation.read_all``) at release. ADMIN administers rounds but reads no report.
Anyone else, or anyone too early, gets the same NOT_FOUND as for a report that does not
exist, so a refusal does not tell whether there is one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Evaluatee, EvaluationRound, Person, RoundStatus
from catalogue.services.capabilities import Capability
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.people import subordinate_ids

READABLE_STATUSES = frozenset({RoundStatus.RELEASED, RoundStatus.ARCHIVED})

REPORT_NOT_FOUND = DomainError(
    ErrorCode.NOT_FOUND,
    "Rapporten findes ikke, er ikke frigivet endnu, eller du har ikke adgang til den.",
    field="evaluateeId",
)


def chef_line(session: Session, person_id: int, levels: int) -> list[int]:
    """The ids of the chefs above ``person_id``, nearest first, at most ``levels`` of them."""
    line: list[int] = []
    current = person_id
    for _ in range(levels):
        manager = session.scalar(select(Person.manager_id).where(Person.id == current))
        if manager is None or manager in line:
            break
        line.append(manager)
        current = manager
    return line


def chef_may_read_from(round_: EvaluationRound) -> datetime | None:
    if round_.released_at is None:
        return None
    return round_.released_at + timedelta(days=round_.chef_delay_days)


def may_read_report(
    session: Session, viewer: Viewer | None, evaluatee: Evaluatee, *, now: datetime
) -> bool:
    round_ = evaluatee.round
    if viewer is None or round_.status not in READABLE_STATUSES or round_.released_at is None:
        return False
    if viewer.can(Capability.EVALUATION_READ_ALL):
        return True
    if not viewer.can(Capability.EVALUATION_READ_OWN):
        return False
    if viewer.person_id == evaluatee.person_id:
        return True
    chefs_from = chef_may_read_from(round_)
    return (
        chefs_from is not None
        and now >= chefs_from
        and viewer.person_id in chef_line(session, evaluatee.person_id, round_.chef_levels)
    )


def readable_evaluatee(
    session: Session, viewer: Viewer | None, evaluatee_id: int, *, now: datetime
) -> Evaluatee:
    """The evaluatee whose report the viewer asks for, or REPORT_NOT_FOUND."""
    evaluatee = session.get(Evaluatee, evaluatee_id)
    if evaluatee is None or not may_read_report(session, viewer, evaluatee, now=now):
        raise REPORT_NOT_FOUND
    return evaluatee


def readable_evaluatee_ids(session: Session, viewer: Viewer | None, *, now: datetime) -> list[int]:
    """Every report the viewer may read now, newest round first (for ``evaluationReports``)."""
    if viewer is None:
        return []
    statement = (
        select(Evaluatee)
        .join(EvaluationRound, EvaluationRound.id == Evaluatee.round_id)
        .where(EvaluationRound.status.in_(READABLE_STATUSES))
        .order_by(EvaluationRound.closes_at.desc(), Evaluatee.id)
    )
    if not viewer.can(Capability.EVALUATION_READ_ALL):
        # Only oneself and the people below one can be in reach; the chef line decides.
        reach = {viewer.person_id} | subordinate_ids(session, viewer.person_id)
        statement = statement.where(Evaluatee.person_id.in_(reach))
    candidates = session.scalars(statement).all()
    return [e.id for e in candidates if may_read_report(session, viewer, e, now=now)]
