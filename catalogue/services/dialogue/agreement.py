"""The meeting and the agreement: agreed importances, 1–3 focus statements, actions, summary.

The chef schedules and records the meeting (READY → HELD). While HELD or REOPENED
either side edits the agreement; any edit withdraws both confirmations, so what
each confirmed is what the other confirmed too. When both have confirmed the
summary the dialogue is AGREED and the agreement is frozen as a snapshot. After
that nothing of the agreement changes until the chef reopens it with a reason; a
reopened dialogue is agreed again with a new snapshot, the old ones stay.

Concurrent confirmations: each confirmation locks the dialogue's row first, so
two sides confirming at once are serialised and exactly one of them agrees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    ActionKind,
    ActionStatus,
    CourseRun,
    DevelopmentAction,
    Dialogue,
    DialogueFocus,
    DialogueSide,
    DialogueStatus,
    Person,
)
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.dialogue.access import Standing, party_dialogue, require_chef
from catalogue.services.dialogue.preparation import (
    COMMENT_MAX_LENGTH,
    ImportanceInput,
    check_importances,
    check_statement,
    cycle_statements,
    write_importances,
)
from catalogue.services.dialogue.rules import (
    AGREEMENT_EDITABLE,
    STATUS_LABELS,
    DialogueAction,
    apply_transition,
)
from catalogue.services.dialogue.snapshots import take_snapshot
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.validation import Checks

MAX_FOCUS = 3
MAX_ACTIONS_PER_FOCUS = 10
SUMMARY_MAX_LENGTH = 20000
PLACE_MAX_LENGTH = 200


@dataclass(frozen=True)
class ActionInput:
    kind: ActionKind
    description: str
    course_run_id: int | None = None
    owner_id: int | None = None
    starts_on: date | None = None
    due_on: date | None = None
    #: An action already stored, kept (and its booking with it) rather than replaced.
    action_id: int | None = None


@dataclass(frozen=True)
class FocusInput:
    statement_id: int
    goal: str
    success_criteria: str
    actions: Sequence[ActionInput] = field(default_factory=tuple)


def not_editable(dialogue: Dialogue) -> DomainError:
    if dialogue.status is DialogueStatus.AGREED or dialogue.status is DialogueStatus.FOLLOWED_UP:
        message = "Aftalen er indgået; chefen skal genåbne samtalen, før den kan ændres."
    else:
        message = f"Aftalen kan ikke ændres, fordi samtalen er {STATUS_LABELS[dialogue.status]}."
    return DomainError(ErrorCode.INVALID_TRANSITION, message, field="dialogueId")


def schedule_meeting(
    session: Session,
    *,
    actor: Viewer,
    dialogue_id: int,
    meeting_at: datetime,
    place: str,
    now: datetime | None = None,
) -> Dialogue:
    """The chef sets the time and place (before the meeting is recorded)."""
    dialogue, where = party_dialogue(session, actor, dialogue_id)
    require_chef(where, doing="fastsætte tid og sted for samtalen")
    if dialogue.status not in (
        DialogueStatus.INVITED,
        DialogueStatus.PREPARING,
        DialogueStatus.READY,
    ):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Tidspunktet kan ikke ændres, fordi samtalen er {STATUS_LABELS[dialogue.status]}.",
            field="dialogueId",
        )
    checks = Checks()
    checks.aware("meetingAt", meeting_at, label="Tidspunktet")
    clean_place = checks.text("place", place, label="Stedet", max_length=PLACE_MAX_LENGTH)
    cycle = dialogue.cycle
    if meeting_at.tzinfo is not None and not (
        cycle.meeting_from <= meeting_at.date() <= cycle.meeting_until
    ):
        checks.fail(
            "meetingAt",
            ErrorCode.INVALID,
            f"Samtalen skal ligge i rundens samtaleperiode, {cycle.meeting_from.isoformat()} til "
            f"{cycle.meeting_until.isoformat()}.",
        )
    checks.done()
    dialogue.meeting_at = meeting_at
    dialogue.meeting_place = clean_place or ""
    dialogue.updated_at = now or utcnow()
    session.flush()
    return dialogue


def record_meeting(
    session: Session,
    *,
    actor: Viewer,
    dialogue_id: int,
    importances: Sequence[ImportanceInput] = (),
    now: datetime | None = None,
) -> Dialogue:
    """The chef records that the meeting took place, with the importances agreed there."""
    now = now or utcnow()
    dialogue, where = party_dialogue(session, actor, dialogue_id)
    require_chef(where, doing="registrere, at samtalen er holdt")
    checks = Checks()
    rows = check_importances(checks, session, dialogue.cycle, importances)
    checks.done()
    apply_transition(session, dialogue, DialogueAction.HOLD, actor_id=actor.person_id, now=now)
    dialogue.held_at = now
    write_importances(session, dialogue, DialogueSide.AGREED, rows)
    session.flush()
    return dialogue


def _check_owner(
    checks: Checks, session: Session, dialogue: Dialogue, where: str, owner_id: int | None
) -> int:
    owner = owner_id if owner_id is not None else dialogue.leader_id
    if owner not in (dialogue.leader_id, dialogue.chef_id) and session.get(Person, owner) is None:
        checks.fail(f"{where}.ownerId", ErrorCode.NOT_FOUND, "Ejeren findes ikke.")
    return owner


def _check_action(
    checks: Checks,
    session: Session,
    dialogue: Dialogue,
    where: str,
    action: ActionInput,
    kept: dict[int, DevelopmentAction],
) -> str:
    description = checks.text(
        f"{where}.description",
        action.description,
        label="Beskrivelsen",
        max_length=COMMENT_MAX_LENGTH,
        multiline=True,
    )
    if action.kind is ActionKind.COURSE:
        if action.course_run_id is None:
            checks.fail(f"{where}.courseRunId", ErrorCode.REQUIRED, "Vælg et hold for et kursus.")
        elif session.get(CourseRun, action.course_run_id) is None:
            checks.fail(f"{where}.courseRunId", ErrorCode.NOT_FOUND, "Holdet findes ikke.")
    elif action.course_run_id is not None:
        checks.fail(f"{where}.courseRunId", ErrorCode.INVALID, "Kun et kursus kan have et hold.")
    if action.starts_on and action.due_on and action.due_on < action.starts_on:
        checks.fail(f"{where}.dueOn", ErrorCode.INVALID, "Slutdatoen ligger før startdatoen.")
    if action.action_id is not None and action.action_id not in kept:
        checks.fail(f"{where}.actionId", ErrorCode.NOT_FOUND, "Handlingen hører ikke til samtalen.")
    return description or ""


def set_agreement(
    session: Session,
    *,
    actor: Viewer,
    dialogue_id: int,
    focuses: Sequence[FocusInput],
    summary: str,
    importances: Sequence[ImportanceInput] = (),
    now: datetime | None = None,
) -> Dialogue:
    """Replace the agreement: agreed importances (merged), focus and actions, the summary."""
    now = now or utcnow()
    dialogue, _ = party_dialogue(session, actor, dialogue_id)
    if dialogue.status not in AGREEMENT_EDITABLE:
        raise not_editable(dialogue)
    checks = Checks()
    importance_rows = check_importances(checks, session, dialogue.cycle, importances)
    clean_summary = checks.text(
        "summary",
        summary,
        label="Referatet",
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        multiline=True,
    )
    if len(focuses) > MAX_FOCUS:
        checks.fail(
            "focuses",
            ErrorCode.INVALID,
            f"Der kan højst aftales {MAX_FOCUS} fokusudsagn (fik {len(focuses)}).",
        )
    stored_focus = list(
        session.scalars(select(DialogueFocus).where(DialogueFocus.dialogue_id == dialogue.id))
    )
    kept: dict[int, DevelopmentAction] = {
        action.id: action for focus in stored_focus for action in focus.actions
    }
    found = cycle_statements(session, dialogue.cycle, [f.statement_id for f in focuses])
    seen: set[int] = set()
    cleaned: list[tuple[FocusInput, str, str, list[tuple[ActionInput, str, int]]]] = []
    for i, focus_in in enumerate(focuses[:MAX_FOCUS]):
        where = f"focuses[{i}]"
        if not check_statement(
            checks, f"{where}.statementId", focus_in.statement_id, found, dialogue.cycle
        ):
            continue
        if focus_in.statement_id in seen:
            checks.fail(
                f"{where}.statementId",
                ErrorCode.DUPLICATE,
                f"Udsagnet {found[focus_in.statement_id].key} er valgt to gange.",
            )
            continue
        seen.add(focus_in.statement_id)
        goal = checks.text(
            f"{where}.goal",
            focus_in.goal,
            label="Målet",
            max_length=COMMENT_MAX_LENGTH,
            multiline=True,
        )
        success = checks.text(
            f"{where}.successCriteria",
            focus_in.success_criteria,
            label="Hvordan succes ses",
            max_length=COMMENT_MAX_LENGTH,
            multiline=True,
        )
        if len(focus_in.actions) > MAX_ACTIONS_PER_FOCUS:
            checks.fail(
                f"{where}.actions",
                ErrorCode.INVALID,
                f"Højst {MAX_ACTIONS_PER_FOCUS} handlinger pr. fokusudsagn.",
            )
        actions = []
        for j, action_in in enumerate(focus_in.actions[:MAX_ACTIONS_PER_FOCUS]):
            action_where = f"{where}.actions[{j}]"
            description = _check_action(checks, session, dialogue, action_where, action_in, kept)
            owner = _check_owner(checks, session, dialogue, action_where, action_in.owner_id)
            actions.append((action_in, description, owner))
        cleaned.append((focus_in, goal or "", success or "", actions))
    listed = {a.action_id for f in focuses for a in f.actions if a.action_id is not None}
    for action_id, action in kept.items():
        if action_id not in listed and action.status is not ActionStatus.PLANNED:
            checks.fail(
                "focuses",
                ErrorCode.CONFLICT,
                f"Handlingen »{action.description[:60]}« er i gang eller booket og kan ikke "
                "fjernes fra aftalen; sæt den til aflyst i stedet.",
            )
    checks.done()

    write_importances(session, dialogue, DialogueSide.AGREED, importance_rows)
    by_statement = {focus.statement_id: focus for focus in stored_focus}
    # Move kept actions aside first, so deleting a removed focus leaves them alone.
    for action in kept.values():
        if action.id in listed:
            action.focus.actions.remove(action)
    for focus in stored_focus:
        if focus.statement_id not in seen:
            session.delete(focus)
    for position, (focus_input, goal, success, actions) in enumerate(cleaned, 1):
        target = by_statement.get(focus_input.statement_id) or DialogueFocus(
            dialogue_id=dialogue.id, statement_id=focus_input.statement_id
        )
        session.add(target)
        target.position = position
        target.goal = goal
        target.success_criteria = success
        target.actions.clear()
        for action_input, description, owner in actions:
            kept_action = kept.get(action_input.action_id) if action_input.action_id else None
            action = kept_action or DevelopmentAction(status=ActionStatus.PLANNED)
            action.kind = action_input.kind
            action.description = description
            action.course_run_id = action_input.course_run_id
            action.owner_id = owner
            action.starts_on = action_input.starts_on
            action.due_on = action_input.due_on
            target.actions.append(action)
    dialogue.summary = clean_summary or ""
    dialogue.leader_confirmed_at = None
    dialogue.chef_confirmed_at = None
    dialogue.updated_at = now
    session.flush()
    return dialogue


def confirm_summary(
    session: Session, *, actor: Viewer, dialogue_id: int, now: datetime | None = None
) -> Dialogue:
    """The actor confirms the summary for their side; the second confirmation agrees it."""
    now = now or utcnow()
    dialogue, where = party_dialogue(session, actor, dialogue_id)
    if dialogue.status not in AGREEMENT_EDITABLE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Referatet kan ikke bekræftes, fordi samtalen er {STATUS_LABELS[dialogue.status]}.",
            field="dialogueId",
        )
    checks = Checks()
    if not dialogue.summary.strip():
        checks.fail("dialogueId", ErrorCode.REQUIRED, "Skriv referatet, før det bekræftes.")
    focus_count = session.scalar(
        select(func.count())
        .select_from(DialogueFocus)
        .where(DialogueFocus.dialogue_id == dialogue.id)
    )
    if not focus_count:
        checks.fail(
            "dialogueId",
            ErrorCode.REQUIRED,
            "Aftal mindst ét fokusudsagn, før referatet bekræftes.",
        )
    checks.done()
    if where is Standing.LEADER:
        already = dialogue.leader_confirmed_at is not None
        dialogue.leader_confirmed_at = dialogue.leader_confirmed_at or now
    else:
        already = dialogue.chef_confirmed_at is not None
        dialogue.chef_confirmed_at = dialogue.chef_confirmed_at or now
    if already:
        return dialogue  # the same confirmation twice changes nothing
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Dialogue",
        entity_id=dialogue.id,
        action=AuditAction.DIALOGUE_SUMMARY_CONFIRMED,
        person_id=dialogue.leader_id,
        details={"side": where.value, "cycle_id": dialogue.cycle_id},
        at=now,
    )
    if dialogue.leader_confirmed_at is not None and dialogue.chef_confirmed_at is not None:
        apply_transition(session, dialogue, DialogueAction.AGREE, actor_id=actor.person_id, now=now)
        dialogue.agreed_at = now
        session.flush()
        take_snapshot(session, dialogue, now=now)
    session.flush()
    return dialogue


def reopen(
    session: Session, *, actor: Viewer, dialogue_id: int, reason: str, now: datetime | None = None
) -> Dialogue:
    """The chef reopens a HELD or AGREED dialogue with a reason; snapshots stay."""
    now = now or utcnow()
    dialogue, where = party_dialogue(session, actor, dialogue_id)
    require_chef(where, doing="genåbne samtalen")
    checks = Checks()
    clean_reason = checks.text(
        "reason", reason, label="Begrundelsen", max_length=COMMENT_MAX_LENGTH, multiline=True
    )
    checks.done()
    apply_transition(
        session,
        dialogue,
        DialogueAction.REOPEN,
        actor_id=actor.person_id,
        now=now,
        reason=clean_reason,
    )
    dialogue.reopen_reason = clean_reason
    dialogue.leader_confirmed_at = None
    dialogue.chef_confirmed_at = None
    session.flush()
    return dialogue


def record_follow_up(
    session: Session, *, actor: Viewer, dialogue_id: int, note: str, now: datetime | None = None
) -> Dialogue:
    """The chef records the mid-year follow-up of an agreed dialogue."""
    now = now or utcnow()
    dialogue, where = party_dialogue(session, actor, dialogue_id)
    require_chef(where, doing="registrere opfølgningen")
    checks = Checks()
    clean_note = checks.text(
        "note", note, label="Opfølgningen", max_length=SUMMARY_MAX_LENGTH, multiline=True
    )
    checks.done()
    apply_transition(session, dialogue, DialogueAction.FOLLOW_UP, actor_id=actor.person_id, now=now)
    dialogue.follow_up_note = clean_note or ""
    dialogue.followed_up_at = now
    session.flush()
    return dialogue
