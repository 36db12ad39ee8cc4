"""Each side's preparation: importances proposed and statements assessed, then submitted.

A side writes only its own rows and only until it submits; the first save of either
side moves the dialogue from INVITED to PREPARING, and the second submission to READY.
Statements are those of the cycle's profile version; a statement of another version
is refused. A score is a step of the cycle's scale or "ved ikke" (no score).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    CompetenceStatement,
    Dialogue,
    DialogueAdaptation,
    DialogueAssessment,
    DialogueCycle,
    DialogueSide,
    DialogueStatus,
    RoleProfile,
)
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.dialogue.access import (
    SIDE_OF,
    Standing,
    party_dialogue,
    require_chef,
    submitted_at,
)
from catalogue.services.dialogue.cycles import MAX_IMPORTANCE, starting_importances, write_start
from catalogue.services.dialogue.rules import (
    PREPARATION_EDITABLE,
    STATUS_LABELS,
    DialogueAction,
    apply_transition,
)
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.validation import Checks

COMMENT_MAX_LENGTH = 4000
MAX_ROWS = 200


@dataclass(frozen=True)
class ImportanceInput:
    statement_id: int
    importance: int
    rationale: str = ""


@dataclass(frozen=True)
class AssessmentInput:
    statement_id: int
    #: ``None`` is "ved ikke".
    score: int | None
    comment: str = ""


def cycle_statements(
    session: Session, cycle: DialogueCycle, statement_ids: Sequence[int]
) -> dict[int, CompetenceStatement]:
    rows = session.scalars(
        select(CompetenceStatement).where(CompetenceStatement.id.in_(set(statement_ids)))
    )
    return {row.id: row for row in rows}


def check_statement(
    checks: Checks,
    field: str,
    statement_id: int,
    found: dict[int, CompetenceStatement],
    cycle: DialogueCycle,
) -> bool:
    statement = found.get(statement_id)
    if statement is None:
        checks.fail(field, ErrorCode.NOT_FOUND, "Udsagnet findes ikke.")
        return False
    if statement.profile_id != cycle.profile_id:
        checks.fail(
            field,
            ErrorCode.INVALID,
            f"Udsagnet {statement.key} hører til profilversion {statement.profile_version}, "
            f"men samtalerunden bruger version {cycle.profile.version}.",
        )
        return False
    return True


def check_importances(
    checks: Checks,
    session: Session,
    cycle: DialogueCycle,
    importances: Sequence[ImportanceInput],
    *,
    field: str = "importances",
) -> list[tuple[ImportanceInput, str]]:
    """The valid rows with their cleaned rationale; problems go to ``checks``."""
    if len(importances) > MAX_ROWS:
        checks.fail(field, ErrorCode.INVALID, f"Højst {MAX_ROWS} udsagn ad gangen.")
        return []
    found = cycle_statements(session, cycle, [row.statement_id for row in importances])
    seen: set[int] = set()
    valid: list[tuple[ImportanceInput, str]] = []
    for i, row in enumerate(importances):
        where = f"{field}[{i}]"
        if not check_statement(checks, f"{where}.statementId", row.statement_id, found, cycle):
            continue
        if row.statement_id in seen:
            checks.fail(
                f"{where}.statementId",
                ErrorCode.DUPLICATE,
                f"Udsagnet {found[row.statement_id].key} står to gange.",
            )
            continue
        seen.add(row.statement_id)
        if not 0 <= row.importance <= MAX_IMPORTANCE:
            checks.fail(
                f"{where}.importance",
                ErrorCode.INVALID,
                f"Vigtigheden skal være 0 (ikke relevant i denne stilling) til {MAX_IMPORTANCE} "
                f"(afgørende); fik {row.importance}.",
            )
            continue
        rationale = checks.text(
            f"{where}.rationale",
            row.rationale,
            label="Begrundelsen",
            max_length=COMMENT_MAX_LENGTH,
            required=False,
            multiline=True,
        )
        valid.append((row, rationale or ""))
    return valid


def write_importances(
    session: Session,
    dialogue: Dialogue,
    side: DialogueSide,
    rows: Sequence[tuple[ImportanceInput, str]],
) -> None:
    existing = {
        row.statement_id: row
        for row in session.scalars(
            select(DialogueAdaptation).where(
                DialogueAdaptation.dialogue_id == dialogue.id, DialogueAdaptation.side == side
            )
        )
    }
    for row, rationale in rows:
        stored = existing.get(row.statement_id)
        if stored is None:
            stored = DialogueAdaptation(
                dialogue_id=dialogue.id, statement_id=row.statement_id, side=side
            )
            session.add(stored)
        stored.importance = row.importance
        stored.rationale = rationale


def _check_assessments(
    checks: Checks, session: Session, cycle: DialogueCycle, assessments: Sequence[AssessmentInput]
) -> list[tuple[AssessmentInput, str]]:
    if len(assessments) > MAX_ROWS:
        checks.fail("assessments", ErrorCode.INVALID, f"Højst {MAX_ROWS} udsagn ad gangen.")
        return []
    found = cycle_statements(session, cycle, [row.statement_id for row in assessments])
    seen: set[int] = set()
    valid: list[tuple[AssessmentInput, str]] = []
    for i, row in enumerate(assessments):
        where = f"assessments[{i}]"
        if not check_statement(checks, f"{where}.statementId", row.statement_id, found, cycle):
            continue
        if row.statement_id in seen:
            checks.fail(
                f"{where}.statementId",
                ErrorCode.DUPLICATE,
                f"Udsagnet {found[row.statement_id].key} står to gange.",
            )
            continue
        seen.add(row.statement_id)
        if row.score is not None and not cycle.scale_min <= row.score <= cycle.scale_max:
            checks.fail(
                f"{where}.score",
                ErrorCode.INVALID,
                f"Scoren for {found[row.statement_id].key} skal være {cycle.scale_min}–"
                f"{cycle.scale_max} eller »ved ikke« (tom); fik {row.score}.",
            )
            continue
        comment = checks.text(
            f"{where}.comment",
            row.comment,
            label="Kommentaren",
            max_length=COMMENT_MAX_LENGTH,
            required=False,
            multiline=True,
        )
        valid.append((row, comment or ""))
    return valid


def _editable_side(dialogue: Dialogue, where: Standing) -> DialogueSide:
    side = SIDE_OF[where]
    if dialogue.status not in PREPARATION_EDITABLE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Forberedelsen kan ikke ændres, fordi samtalen er {STATUS_LABELS[dialogue.status]}.",
            field="dialogueId",
        )
    if submitted_at(dialogue, side) is not None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "Du har allerede indsendt din forberedelse; den kan ikke ændres bagefter.",
            field="dialogueId",
        )
    return side


def _begin(session: Session, dialogue: Dialogue, actor: Viewer, now: datetime) -> None:
    if dialogue.status is DialogueStatus.INVITED:
        apply_transition(session, dialogue, DialogueAction.BEGIN, actor_id=actor.person_id, now=now)


def save_preparation(
    session: Session,
    *,
    actor: Viewer,
    dialogue_id: int,
    importances: Sequence[ImportanceInput] = (),
    assessments: Sequence[AssessmentInput] = (),
    now: datetime | None = None,
) -> Dialogue:
    """Store the actor's own proposals and assessments (a draft until submitted)."""
    now = now or utcnow()
    dialogue, where = party_dialogue(session, actor, dialogue_id)
    side = _editable_side(dialogue, where)
    checks = Checks()
    valid_importances = check_importances(checks, session, dialogue.cycle, importances)
    valid_assessments = _check_assessments(checks, session, dialogue.cycle, assessments)
    checks.done()
    write_importances(session, dialogue, side, valid_importances)
    existing = {
        row.statement_id: row
        for row in session.scalars(
            select(DialogueAssessment).where(
                DialogueAssessment.dialogue_id == dialogue.id, DialogueAssessment.side == side
            )
        )
    }
    for row, comment in valid_assessments:
        stored = existing.get(row.statement_id)
        if stored is None:
            stored = DialogueAssessment(
                dialogue_id=dialogue.id, statement_id=row.statement_id, side=side
            )
            session.add(stored)
        stored.score = row.score
        stored.comment = comment
    _begin(session, dialogue, actor, now)
    dialogue.updated_at = now
    session.flush()
    return dialogue


def submit_preparation(
    session: Session, *, actor: Viewer, dialogue_id: int, now: datetime | None = None
) -> Dialogue:
    """The actor's side is final; with both sides in, the dialogue is READY."""
    now = now or utcnow()
    dialogue, where = party_dialogue(session, actor, dialogue_id)
    side = _editable_side(dialogue, where)
    _begin(session, dialogue, actor, now)
    if side is DialogueSide.LEADER:
        dialogue.leader_submitted_at = now
    else:
        dialogue.chef_submitted_at = now
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Dialogue",
        entity_id=dialogue.id,
        action=AuditAction.DIALOGUE_PREPARATION_SUBMITTED,
        person_id=dialogue.leader_id,
        details={"side": side.value, "cycle_id": dialogue.cycle_id},
        at=now,
    )
    if dialogue.leader_submitted_at is not None and dialogue.chef_submitted_at is not None:
        apply_transition(
            session,
            dialogue,
            DialogueAction.COMPLETE_PREPARATION,
            actor_id=actor.person_id,
            now=now,
        )
    session.flush()
    return dialogue


def apply_role_profile(
    session: Session,
    *,
    actor: Viewer,
    dialogue_id: int,
    role_profile_id: int,
    now: datetime | None = None,
) -> Dialogue:
    """The chef picks the leader's role profile as the starting point, before preparation ends."""
    dialogue, where = party_dialogue(session, actor, dialogue_id)
    require_chef(where, doing="vælge lederens rolleprofil")
    if dialogue.status not in PREPARATION_EDITABLE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Rolleprofilen kan ikke skiftes, fordi samtalen er {STATUS_LABELS[dialogue.status]}.",
            field="dialogueId",
        )
    role_profile = session.get(RoleProfile, role_profile_id)
    if role_profile is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Rolleprofilen findes ikke.", field="roleProfileId")
    dialogue.role_profile_id = role_profile.id
    write_start(
        session,
        dialogue,
        starting_importances(session, dialogue.cycle, previous=None, role_profile=role_profile),
    )
    dialogue.updated_at = now or utcnow()
    session.flush()
    return dialogue
