"""The frozen record of an agreement: what both confirmed, kept across reopenings.

A snapshot is written when a dialogue becomes AGREED and is never changed or
deleted; a reopened dialogue agreed again gets the next number. Its content is
plain JSON (statement keys and texts, not ids) so it still reads the same when the
profile, the catalogue or the people change later.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    CompetenceStatement,
    CourseRun,
    DevelopmentAction,
    Dialogue,
    DialogueAdaptation,
    DialogueAssessment,
    DialogueFocus,
    DialogueSide,
    DialogueSnapshot,
)


def agreement_content(session: Session, dialogue: Dialogue) -> dict[str, Any]:
    """The agreement as plain data: agreed importances, both assessments, focus, plan."""
    keys = dict(
        session.execute(
            select(CompetenceStatement.id, CompetenceStatement.key).where(
                CompetenceStatement.profile_id == dialogue.cycle.profile_id
            )
        ).all()
    )
    adaptation = {
        keys[row.statement_id]: {"importance": row.importance, "rationale": row.rationale}
        for row in session.scalars(
            select(DialogueAdaptation).where(
                DialogueAdaptation.dialogue_id == dialogue.id,
                DialogueAdaptation.side == DialogueSide.AGREED,
            )
        )
    }
    assessments: dict[str, dict[str, Any]] = {"self": {}, "chef": {}}
    for row in session.scalars(
        select(DialogueAssessment).where(DialogueAssessment.dialogue_id == dialogue.id)
    ):
        side = "self" if row.side is DialogueSide.LEADER else "chef"
        assessments[side][keys[row.statement_id]] = {"score": row.score, "comment": row.comment}
    focus = []
    for focus_row in session.scalars(
        select(DialogueFocus)
        .where(DialogueFocus.dialogue_id == dialogue.id)
        .order_by(DialogueFocus.position)
    ):
        actions = []
        for action in session.scalars(
            select(DevelopmentAction)
            .where(DevelopmentAction.focus_id == focus_row.id)
            .order_by(DevelopmentAction.id)
        ):
            run = session.get(CourseRun, action.course_run_id) if action.course_run_id else None
            actions.append(
                {
                    "kind": action.kind.value,
                    "description": action.description,
                    "course_run": run.code if run else None,
                    "owner_id": action.owner_id,
                    "starts_on": action.starts_on.isoformat() if action.starts_on else None,
                    "due_on": action.due_on.isoformat() if action.due_on else None,
                }
            )
        focus.append(
            {
                "statement": keys[focus_row.statement_id],
                "goal": focus_row.goal,
                "success_criteria": focus_row.success_criteria,
                "actions": actions,
            }
        )
    return {
        "profile_version": dialogue.cycle.profile.version,
        "summary": dialogue.summary,
        "adaptation": dict(sorted(adaptation.items())),
        "assessments": {side: dict(sorted(rows.items())) for side, rows in assessments.items()},
        "focus": focus,
    }


def take_snapshot(session: Session, dialogue: Dialogue, *, now: datetime) -> DialogueSnapshot:
    number = (
        session.scalar(
            select(func.max(DialogueSnapshot.number)).where(
                DialogueSnapshot.dialogue_id == dialogue.id
            )
        )
        or 0
    ) + 1
    snapshot = DialogueSnapshot(
        dialogue_id=dialogue.id,
        number=number,
        taken_at=now,
        content=agreement_content(session, dialogue),
    )
    session.add(snapshot)
    session.flush()
    return snapshot
