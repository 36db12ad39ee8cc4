"""HR's view across leaders: averages by org unit and field, with small-cell suppression.

Built only from the cells the leaders' own reports show (groups that met their
threshold), never from raw answers: the difference between two aggregates can then
reveal no more than the reports already show. A cell is hidden when it rests on fewer
than ``MIN_ANSWERS`` answers or fewer than ``MIN_LEADERS`` leaders.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Evaluatee, EvaluationRound, OrgUnit, Person
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.evaluation_access import READABLE_STATUSES
from catalogue.services.evaluation_report import build_report, shown_cells

MIN_ANSWERS = 5
MIN_LEADERS = 3


@dataclass(frozen=True)
class AggregateCell:
    org_unit_name: str
    field_key: str
    #: None when the cell is hidden (too few answers or leaders).
    average: float | None
    hidden: bool


def aggregate(session: Session, *, round_id: int) -> list[AggregateCell]:
    round_ = session.get(EvaluationRound, round_id)
    if round_ is None or round_.status not in READABLE_STATUSES:
        raise DomainError(
            ErrorCode.NOT_FOUND, "Runden findes ikke eller er ikke frigivet.", field="roundId"
        )
    rows = session.execute(
        select(Evaluatee.id, OrgUnit.name)
        .join(Person, Person.id == Evaluatee.person_id)
        .outerjoin(OrgUnit, OrgUnit.id == Person.org_unit_id)
        .where(Evaluatee.round_id == round_id)
    ).all()
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    leaders: dict[tuple[str, str], set[int]] = defaultdict(set)
    for evaluatee_id, unit_name in rows:
        report = build_report(session, evaluatee_id=evaluatee_id, with_trend=False)
        for field_key, cell in shown_cells(report):
            key = (unit_name or "Uden enhed", field_key)
            totals[key][0] += cell.total
            totals[key][1] += cell.count
            leaders[key].add(evaluatee_id)
    cells = []
    for (unit, field_key), (total, count) in sorted(totals.items()):
        hidden = count < MIN_ANSWERS or len(leaders[(unit, field_key)]) < MIN_LEADERS
        cells.append(
            AggregateCell(
                org_unit_name=unit,
                field_key=field_key,
                average=None if hidden else round(total / count, 2),
                hidden=hidden,
            )
        )
    return cells
