"""The side-by-side view: per statement the importance, both scores, and a focus priority.

What the viewer sees of each side follows ``access.visible_sides``; a side the
viewer may not see yet is left out here, on the server, never sent to be hidden.

- ``importance``: the agreed importance, else the starting point's (last year's or
  the role profile's); ``None`` when neither says.
- ``difference``: self score minus chef score, when both scored (a positive one
  means the leader sees themself stronger than the chef does). "Ved ikke" is no
  score and never counts.
- ``gap``: how far the lower of the known scores is below the top of the scale, so
  a statement both rate low has a large gap and a disagreement is taken at the
  more critical view.
- ``priority``: importance × gap; the view is sorted by it, highest first (then in
  the profile's order), to suggest focus candidates.
- Last year: whether the statement was a focus in the previous dialogue, and the
  statuses its actions ended in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    ActionStatus,
    CompetenceField,
    CompetenceStatement,
    DevelopmentAction,
    Dialogue,
    DialogueAdaptation,
    DialogueAssessment,
    DialogueFocus,
    DialogueSide,
)
from catalogue.services.dialogue.access import Standing, visible_sides


@dataclass(frozen=True)
class SideScore:
    assessed: bool
    score: int | None
    comment: str


@dataclass(frozen=True)
class StatementRow:
    statement_id: int
    key: str
    importance: int | None
    importance_rationale: str
    leader_importance: int | None
    chef_importance: int | None
    self_assessment: SideScore | None
    chef_assessment: SideScore | None
    difference: int | None
    gap: int | None
    priority: int | None
    focus_last_year: bool
    last_year_outcomes: tuple[ActionStatus, ...]


def _score(row: SideScore | None) -> int | None:
    return row.score if row is not None else None


def side_by_side(session: Session, dialogue: Dialogue, where: Standing) -> list[StatementRow]:
    """Every statement of the cycle's profile, sorted by priority (see the module docstring)."""
    cycle = dialogue.cycle
    sides = visible_sides(dialogue, cycle.visibility, where)
    statements = session.execute(
        select(CompetenceStatement, CompetenceField.position)
        .join(CompetenceField, CompetenceField.id == CompetenceStatement.field_id)
        .where(CompetenceStatement.profile_id == cycle.profile_id)
        .order_by(CompetenceField.position, CompetenceStatement.position)
    ).all()
    importances: dict[tuple[int, DialogueSide], DialogueAdaptation] = {
        (row.statement_id, row.side): row
        for row in session.scalars(
            select(DialogueAdaptation).where(
                DialogueAdaptation.dialogue_id == dialogue.id,
                DialogueAdaptation.side.in_(sides),
            )
        )
    }
    scores: dict[tuple[int, DialogueSide], SideScore] = {
        (row.statement_id, row.side): SideScore(True, row.score, row.comment)
        for row in session.scalars(
            select(DialogueAssessment).where(
                DialogueAssessment.dialogue_id == dialogue.id,
                DialogueAssessment.side.in_(sides),
            )
        )
    }
    last_year = _last_year(session, dialogue.previous_dialogue_id)
    rows: list[tuple[tuple[int, int, int], StatementRow]] = []
    for statement, field_position in statements:
        sid = statement.id
        chosen = importances.get((sid, DialogueSide.AGREED)) or importances.get(
            (sid, DialogueSide.START)
        )
        own = scores.get((sid, DialogueSide.LEADER))
        chef = scores.get((sid, DialogueSide.CHEF))
        known = [s for s in (_score(own), _score(chef)) if s is not None]
        difference = (
            _score(own) - _score(chef)  # type: ignore[operator]
            if _score(own) is not None and _score(chef) is not None
            else None
        )
        gap = cycle.scale_max - min(known) if known else None
        importance = chosen.importance if chosen else None
        priority = importance * gap if importance is not None and gap is not None else None
        leader_proposal = importances.get((sid, DialogueSide.LEADER))
        chef_proposal = importances.get((sid, DialogueSide.CHEF))
        row = StatementRow(
            statement_id=sid,
            key=statement.key,
            importance=importance,
            importance_rationale=chosen.rationale if chosen else "",
            leader_importance=leader_proposal.importance if leader_proposal else None,
            chef_importance=chef_proposal.importance if chef_proposal else None,
            self_assessment=own,
            chef_assessment=chef,
            difference=difference,
            gap=gap,
            priority=priority,
            focus_last_year=statement.key in last_year,
            last_year_outcomes=last_year.get(statement.key, ()),
        )
        rows.append(
            ((-(priority if priority is not None else -1), field_position, statement.position), row)
        )
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


def _last_year(session: Session, previous_id: int | None) -> dict[str, tuple[ActionStatus, ...]]:
    """Statement key -> the statuses of its actions, for last year's focus statements."""
    if previous_id is None:
        return {}
    rows = session.execute(
        select(CompetenceStatement.key, DialogueFocus.id, DevelopmentAction.status)
        .join(DialogueFocus, DialogueFocus.statement_id == CompetenceStatement.id)
        .outerjoin(DevelopmentAction, DevelopmentAction.focus_id == DialogueFocus.id)
        .where(DialogueFocus.dialogue_id == previous_id)
        .order_by(DialogueFocus.position, DevelopmentAction.id)
    ).all()
    outcomes: dict[str, list[ActionStatus]] = {}
    for key, _focus_id, status in rows:
        outcomes.setdefault(key, [])
        if status is not None:
            outcomes[key].append(status)
    return {key: tuple(statuses) for key, statuses in outcomes.items()}


def priorities_by_statement_key(rows: Sequence[StatementRow]) -> dict[str, int]:
    """Statement key -> priority, for ranking recommendations."""
    return {row.key: row.priority for row in rows if row.priority is not None}
