"""The areas of personal data: what each holds on a person, its export and its erasure.

Like a Moodle plugin's privacy provider, each area exports the person's data in
its own words and erases it so that the figures others rely on stay: an erased
leader's enrolment still takes its seat in the run's history and counts in the
course's completions, but holds no motivation, focus or result, and the audit
entries about them keep what happened and when, not the reasons written about
them. Records other people own (an approval a chef made, a link HR made) stay as
they are; they point at the anonymised person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, delete, select, update
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    ActivityCompletion,
    AuditLogEntry,
    CalibrationNote,
    Candidate,
    CommitteeMember,
    CompetenceLink,
    CompetenceStatement,
    ConflictDeclaration,
    Course,
    CourseRun,
    DevelopmentAction,
    Dialogue,
    DialogueAdaptation,
    DialogueAssessment,
    DialogueCycle,
    DialogueFocus,
    DialogueReminderSent,
    DialogueSnapshot,
    Enrolment,
    Evaluatee,
    EvaluationComment,
    EvaluationInvitation,
    EvaluationRound,
    InterviewGuide,
    JobProfile,
    LoginSession,
    ManagerPeriod,
    OrgUnit,
    Person,
    RecruitmentHandOver,
    RoleGroup,
    RoleGroupMember,
    Scorecard,
    StatementScore,
    SyncRun,
)
from catalogue.models.enrolment import enrolment_focus
from catalogue.models.search import SearchSynonym

ERASED_NAME = "Slettet person"


def erased_email(person_id: int) -> str:
    """Unique, never deliverable (RFC 2606's ``.invalid``), and says nothing of the person."""
    return f"slettet-{person_id}@slettet.invalid"


def _at(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class PersonalDataArea:
    """One kind of data held on a person; ``columns`` are the person references it covers.

    ``description`` says in Danish what is held and why, as a Moodle provider's metadata
    does; the export carries it so the person can read what each part is.
    """

    name: str
    description: str
    columns: tuple[str, ...]
    export: Callable[[Session, int], Any]
    erase: Callable[[Session, int], int]
    #: The most SQL statements its export or its erasure takes (one per table it reads or
    #: changes), whatever the person's history; the statement count test adds them up.
    statements: int = 1


#: Where the catalogue sends personal data (Moodle's "external location link"): erasing here
#: does not erase there, so the export says so.
EXTERNAL_LOCATIONS = {
    "lms": (
        "LMS'et (fx Moodle) får personens e-mailadresse til at finde brugeren og personens "
        "tilmeldinger og afmeldinger; LMS'et sletter selv sine egne data."
    ),
}


def _export_person(session: Session, person_id: int) -> dict[str, Any]:
    person = session.get(Person, person_id)
    assert person is not None
    unit = session.get(OrgUnit, person.org_unit_id) if person.org_unit_id else None
    manager = session.get(Person, person.manager_id) if person.manager_id else None
    return {
        "id": person.id,
        "name": person.name,
        "email": person.email,
        "title": person.title,
        "lmsUserId": person.lms_user_id,
        "roles": sorted(person.roles),
        "active": person.active,
        "orgUnit": {"key": unit.key, "name": unit.name} if unit else None,
        "manager": {"id": manager.id, "name": manager.name} if manager else None,
        "createdAt": _at(person.created_at),
        "updatedAt": _at(person.updated_at),
        "deactivatedAt": _at(person.deactivated_at),
        "erasedAt": _at(person.erased_at),
    }


def _erase_person(session: Session, person_id: int) -> int:
    person = session.get(Person, person_id)
    assert person is not None
    person.name = ERASED_NAME
    person.email = erased_email(person_id)
    person.title = ""
    person.lms_user_id = None
    person.org_unit_id = None
    person.manager_id = None
    person.set_roles(set())
    person.active = False
    return 1


def _export_enrolments(session: Session, person_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Enrolment, CourseRun.code, Course.title)
        .join(CourseRun, CourseRun.id == Enrolment.course_run_id)
        .join(Course, Course.id == CourseRun.course_id)
        .where(Enrolment.person_id == person_id)
        .order_by(Enrolment.id)
    ).all()
    focus: dict[int, list[str]] = {}
    for enrolment_id, key in session.execute(
        select(enrolment_focus.c.enrolment_id, CompetenceStatement.key)
        .join(CompetenceStatement, CompetenceStatement.id == enrolment_focus.c.statement_id)
        .join(Enrolment, Enrolment.id == enrolment_focus.c.enrolment_id)
        .where(Enrolment.person_id == person_id)
        .order_by(CompetenceStatement.key)
    ):
        focus.setdefault(enrolment_id, []).append(key)
    return [
        {
            "id": enrolment.id,
            "courseRun": run_code,
            "course": course_title,
            "status": enrolment.status.value,
            "source": enrolment.source.value,
            "motivation": enrolment.motivation,
            "focusStatements": focus.get(enrolment.id, []),
            "waitlistPosition": enrolment.waitlist_position,
            "requestedAt": _at(enrolment.requested_at),
            "completedAt": _at(enrolment.completed_at),
            "result": enrolment.result,
        }
        for enrolment, run_code, course_title in rows
    ]


def _erase_enrolments(session: Session, person_id: int) -> int:
    mine = select(Enrolment.id).where(Enrolment.person_id == person_id).scalar_subquery()
    session.execute(delete(enrolment_focus).where(enrolment_focus.c.enrolment_id.in_(mine)))
    result = session.execute(
        update(Enrolment)
        .where(Enrolment.person_id == person_id)
        .values(motivation="", result=None)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _export_completions(session: Session, person_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(ActivityCompletion, Activity.title)
        .join(Activity, Activity.id == ActivityCompletion.activity_id)
        .where(ActivityCompletion.person_id == person_id)
        .order_by(ActivityCompletion.id)
    ).all()
    return [
        {
            "id": completion.id,
            "activity": title,
            "enrolmentId": completion.enrolment_id,
            "completedAt": _at(completion.completed_at),
            "result": completion.result,
            "evidenceUrl": completion.evidence_url,
            "source": completion.source.value,
        }
        for completion, title in rows
    ]


def _erase_completions(session: Session, person_id: int) -> int:
    result = session.execute(
        update(ActivityCompletion)
        .where(ActivityCompletion.person_id == person_id)
        .values(result=None, evidence_url=None)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _audit_entry(entry: AuditLogEntry, *, with_details: bool) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "at": _at(entry.at),
        "action": entry.action,
        "entityType": entry.entity_type,
        "entityId": entry.entity_id,
        "fromState": entry.from_state,
        "toState": entry.to_state,
        "reason": entry.reason,
    }
    if with_details:
        shown["actorId"] = entry.actor_id
        shown["details"] = entry.details
    else:
        shown["personId"] = entry.person_id
    return shown


def _export_audit_about(session: Session, person_id: int) -> list[dict[str, Any]]:
    entries = session.scalars(
        select(AuditLogEntry)
        .where(AuditLogEntry.person_id == person_id)
        .order_by(AuditLogEntry.at, AuditLogEntry.id)
    )
    return [_audit_entry(entry, with_details=True) for entry in entries]


def _erase_audit_about(session: Session, person_id: int) -> int:
    """What happened stays (action, states, time, who did it); what was written about them goes."""
    result = session.execute(
        update(AuditLogEntry)
        .where(AuditLogEntry.person_id == person_id)
        .values(reason=None, details={})
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _export_audit_by(session: Session, person_id: int) -> list[dict[str, Any]]:
    """What they did; others' details are left out, as they are the others' data."""
    entries = session.scalars(
        select(AuditLogEntry)
        .where(AuditLogEntry.actor_id == person_id)
        .order_by(AuditLogEntry.at, AuditLogEntry.id)
    )
    return [_audit_entry(entry, with_details=False) for entry in entries]


def _keep(_session: Session, _person_id: int) -> int:
    """Others' records: they stay, pointing at the anonymised person."""
    return 0


def _export_links(session: Session, person_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(CompetenceLink, CompetenceStatement.key)
        .join(CompetenceStatement, CompetenceStatement.id == CompetenceLink.statement_id)
        .where(CompetenceLink.linked_by_id == person_id)
        .order_by(CompetenceLink.id)
    ).all()
    return [
        {
            "id": link.id,
            "statement": key,
            "courseId": link.course_id,
            "activityId": link.activity_id,
            "rationale": link.rationale,
            "linkedAt": _at(link.linked_at),
        }
        for link, key in rows
    ]


def _export_sync_runs(session: Session, person_id: int) -> list[dict[str, Any]]:
    runs = session.scalars(
        select(SyncRun).where(SyncRun.requested_by_id == person_id).order_by(SyncRun.id)
    )
    return [
        {"id": run.id, "kind": run.kind.value, "startedAt": _at(run.started_at)} for run in runs
    ]


def _export_synonyms(session: Session, person_id: int) -> list[dict[str, Any]]:
    synonyms = session.scalars(
        select(SearchSynonym)
        .where(SearchSynonym.created_by_id == person_id)
        .order_by(SearchSynonym.id)
    )
    return [
        {"id": s.id, "first": s.first, "second": s.second, "createdAt": _at(s.created_at)}
        for s in synonyms
    ]


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _leaders_dialogues(person_id: int) -> Any:
    return select(Dialogue.id).where(Dialogue.leader_id == person_id).scalar_subquery()


def _export_dialogues(session: Session, person_id: int) -> list[dict[str, Any]]:
    """The leader's own dialogues with everything both sides wrote in them."""
    rows = session.execute(
        select(Dialogue, DialogueCycle.year, DialogueCycle.title)
        .join(DialogueCycle, DialogueCycle.id == Dialogue.cycle_id)
        .where(Dialogue.leader_id == person_id)
        .order_by(Dialogue.id)
    ).all()
    mine = _leaders_dialogues(person_id)
    adaptations: dict[int, list[dict[str, Any]]] = {}
    for row, key in session.execute(
        select(DialogueAdaptation, CompetenceStatement.key)
        .join(CompetenceStatement, CompetenceStatement.id == DialogueAdaptation.statement_id)
        .where(DialogueAdaptation.dialogue_id.in_(mine))
        .order_by(DialogueAdaptation.id)
    ):
        adaptations.setdefault(row.dialogue_id, []).append(
            {
                "statement": key,
                "side": row.side.value,
                "importance": row.importance,
                "rationale": row.rationale,
            }
        )
    assessments: dict[int, list[dict[str, Any]]] = {}
    for assessment, key in session.execute(
        select(DialogueAssessment, CompetenceStatement.key)
        .join(CompetenceStatement, CompetenceStatement.id == DialogueAssessment.statement_id)
        .where(DialogueAssessment.dialogue_id.in_(mine))
        .order_by(DialogueAssessment.id)
    ):
        assessments.setdefault(assessment.dialogue_id, []).append(
            {
                "statement": key,
                "side": assessment.side.value,
                "score": assessment.score,
                "comment": assessment.comment,
            }
        )
    focus: dict[int, list[dict[str, Any]]] = {}
    by_focus: dict[int, dict[str, Any]] = {}
    for focus_row, key in session.execute(
        select(DialogueFocus, CompetenceStatement.key)
        .join(CompetenceStatement, CompetenceStatement.id == DialogueFocus.statement_id)
        .where(DialogueFocus.dialogue_id.in_(mine))
        .order_by(DialogueFocus.dialogue_id, DialogueFocus.position)
    ):
        shown = {
            "statement": key,
            "goal": focus_row.goal,
            "successCriteria": focus_row.success_criteria,
            "actions": [],
        }
        focus.setdefault(focus_row.dialogue_id, []).append(shown)
        by_focus[focus_row.id] = shown
    for action in session.scalars(
        select(DevelopmentAction)
        .join(DialogueFocus, DialogueFocus.id == DevelopmentAction.focus_id)
        .where(DialogueFocus.dialogue_id.in_(mine))
        .order_by(DevelopmentAction.id)
    ):
        by_focus[action.focus_id]["actions"].append(
            {
                "id": action.id,
                "kind": action.kind.value,
                "description": action.description,
                "courseRunId": action.course_run_id,
                "ownerId": action.owner_id,
                "startsOn": action.starts_on.isoformat() if action.starts_on else None,
                "dueOn": action.due_on.isoformat() if action.due_on else None,
                "status": action.status.value,
                "statusReason": action.status_reason,
            }
        )
    return [
        {
            "id": dialogue.id,
            "cycle": {"year": year, "title": title},
            "chefId": dialogue.chef_id,
            "status": dialogue.status.value,
            "meetingAt": _at(dialogue.meeting_at),
            "meetingPlace": dialogue.meeting_place,
            "heldAt": _at(dialogue.held_at),
            "summary": dialogue.summary,
            "agreedAt": _at(dialogue.agreed_at),
            "followUpNote": dialogue.follow_up_note,
            "followedUpAt": _at(dialogue.followed_up_at),
            "reopenReason": dialogue.reopen_reason,
            "adaptation": adaptations.get(dialogue.id, []),
            "assessments": assessments.get(dialogue.id, []),
            "focus": focus.get(dialogue.id, []),
        }
        for dialogue, year, title in rows
    ]


def _blank_snapshot(content: dict[str, Any]) -> dict[str, Any]:
    """The frozen agreement without its words: importances, scores and the plan's shape stay."""
    return {
        **content,
        "summary": "",
        "adaptation": {
            key: {**row, "rationale": ""} for key, row in content.get("adaptation", {}).items()
        },
        "assessments": {
            side: {key: {**row, "comment": ""} for key, row in rows.items()}
            for side, rows in content.get("assessments", {}).items()
        },
        "focus": [
            {
                **focus,
                "goal": "",
                "success_criteria": "",
                "actions": [{**a, "description": ""} for a in focus.get("actions", [])],
            }
            for focus in content.get("focus", [])
        ],
    }


def _erase_dialogues(session: Session, person_id: int) -> int:
    """Every free text goes; statuses, importances, scores and dates stay for HR's counts.

    The frozen snapshots lose the same words (erasure is the one change a snapshot takes),
    and the reminder receipts, which hold the recipient's address, are deleted.
    """
    mine = _leaders_dialogues(person_id)
    for blanked in (
        update(DialogueAdaptation)
        .where(DialogueAdaptation.dialogue_id.in_(mine))
        .values(rationale=""),
        update(DialogueAssessment)
        .where(DialogueAssessment.dialogue_id.in_(mine))
        .values(comment=""),
        update(DialogueFocus)
        .where(DialogueFocus.dialogue_id.in_(mine))
        .values(goal="", success_criteria=""),
    ):
        session.execute(blanked.execution_options(synchronize_session=False))
    session.execute(
        update(DevelopmentAction)
        .where(
            DevelopmentAction.focus_id.in_(
                select(DialogueFocus.id).where(DialogueFocus.dialogue_id.in_(mine))
            )
        )
        .values(description="", status_reason=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(DialogueReminderSent).where(DialogueReminderSent.dialogue_id.in_(mine)))
    snapshots = session.execute(
        select(DialogueSnapshot.id, DialogueSnapshot.content).where(
            DialogueSnapshot.dialogue_id.in_(mine)
        )
    ).all()
    if snapshots:
        session.execute(
            update(DialogueSnapshot),
            [{"id": i, "content": _blank_snapshot(c)} for i, c in snapshots],
        )
    result = session.execute(
        update(Dialogue)
        .where(Dialogue.leader_id == person_id)
        .values(meeting_place="", summary="", follow_up_note="", reopen_reason=None)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return _rowcount(result)


def _export_dialogues_as_chef(session: Session, person_id: int) -> list[dict[str, Any]]:
    """Which dialogues they held as chef; what was written there is the leader's data."""
    dialogues = session.scalars(
        select(Dialogue).where(Dialogue.chef_id == person_id).order_by(Dialogue.id)
    )
    return [
        {
            "id": d.id,
            "leaderId": d.leader_id,
            "status": d.status.value,
            "heldAt": _at(d.held_at),
            "agreedAt": _at(d.agreed_at),
        }
        for d in dialogues
    ]


def _erase_dialogues_as_chef(session: Session, person_id: int) -> int:
    """The chef's dialogues stay; only the reminder receipts sent to the chef lose the address.

    A receipt addressed to anyone but the dialogue's leader went to the chef; it is matched
    so because the person's own area has already replaced the address it could be matched by.
    """
    leaders_address = select(Person.email).where(Person.id == Dialogue.leader_id).scalar_subquery()
    result = session.execute(
        update(DialogueReminderSent)
        .where(
            DialogueReminderSent.dialogue_id.in_(
                select(Dialogue.id).where(
                    Dialogue.chef_id == person_id,
                    Dialogue.id == DialogueReminderSent.dialogue_id,
                    DialogueReminderSent.recipient != leaders_address,
                )
            )
        )
        .values(recipient=erased_email(person_id))
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


def _export_actions_owned(session: Session, person_id: int) -> list[dict[str, Any]]:
    actions = session.execute(
        select(DevelopmentAction, DialogueFocus.dialogue_id)
        .join(DialogueFocus, DialogueFocus.id == DevelopmentAction.focus_id)
        .where(DevelopmentAction.owner_id == person_id)
        .order_by(DevelopmentAction.id)
    ).all()
    return [
        {
            "id": a.id,
            "dialogueId": dialogue_id,
            "kind": a.kind.value,
            "status": a.status.value,
            "dueOn": a.due_on.isoformat() if a.due_on else None,
        }
        for a, dialogue_id in actions
    ]


def _export_cycles_made(session: Session, person_id: int) -> list[dict[str, Any]]:
    cycles = session.scalars(
        select(DialogueCycle)
        .where(DialogueCycle.created_by_id == person_id)
        .order_by(DialogueCycle.id)
    )
    return [
        {"id": c.id, "year": c.year, "title": c.title, "createdAt": _at(c.created_at)}
        for c in cycles
    ]


def _export_evaluations(session: Session, person_id: int) -> list[dict[str, Any]]:
    """The rounds they were evaluated in; the answers are anonymous and never linked."""
    rows = session.execute(
        select(Evaluatee, EvaluationRound)
        .join(EvaluationRound, EvaluationRound.id == Evaluatee.round_id)
        .where(Evaluatee.person_id == person_id)
        .order_by(Evaluatee.id)
    ).all()
    comments: dict[int, list[dict[str, Any]]] = {}
    for comment in session.scalars(
        select(EvaluationComment)
        .join(Evaluatee, Evaluatee.id == EvaluationComment.evaluatee_id)
        .where(Evaluatee.person_id == person_id, EvaluationComment.change_key.is_(None))
        .order_by(EvaluationComment.group, EvaluationComment.field_id, EvaluationComment.text)
    ):
        comments.setdefault(comment.evaluatee_id, []).append(
            {"group": comment.group.value, "fieldId": comment.field_id, "text": comment.text}
        )
    return [
        {
            "id": evaluatee.id,
            "round": {"id": round_.id, "name": round_.name, "status": round_.status.value},
            "releasedAt": _at(round_.released_at),
            "comments": comments.get(evaluatee.id, []),
        }
        for evaluatee, round_ in rows
    ]


def _erase_evaluations(session: Session, person_id: int) -> int:
    """The open comments about them go blank; the ratings stay, as the figures are anonymous."""
    result = session.execute(
        update(EvaluationComment)
        .where(
            EvaluationComment.evaluatee_id.in_(
                select(Evaluatee.id).where(Evaluatee.person_id == person_id)
            )
        )
        .values(text="")
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


def _export_invitations(session: Session, person_id: int) -> list[dict[str, Any]]:
    """Whom they were asked to evaluate; never whether or how they answered."""
    rows = session.execute(
        select(EvaluationInvitation, Evaluatee.person_id, Evaluatee.round_id)
        .join(Evaluatee, Evaluatee.id == EvaluationInvitation.evaluatee_id)
        .where(EvaluationInvitation.person_id == person_id)
        .order_by(EvaluationInvitation.id)
    ).all()
    return [
        {
            "id": invitation.id,
            "roundId": round_id,
            "evaluateeId": evaluated,
            "group": invitation.group.value,
            "email": invitation.email,
            "status": invitation.status.value,
            "proposedById": invitation.proposed_by_id,
        }
        for invitation, evaluated, round_id in rows
    ]


def _erase_invitations(session: Session, person_id: int) -> int:
    """The address goes and the link dies; the invitation still counts in the response rate."""
    result = session.execute(
        update(EvaluationInvitation)
        .where(EvaluationInvitation.person_id == person_id)
        .values(email=erased_email(person_id), token_hash=None)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


def _export_invitations_proposed(session: Session, person_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(EvaluationInvitation)
        .where(EvaluationInvitation.proposed_by_id == person_id)
        .order_by(EvaluationInvitation.id)
    )
    return [
        {
            "id": i.id,
            "evaluateeId": i.evaluatee_id,
            "group": i.group.value,
            "status": i.status.value,
        }
        for i in rows
    ]


def _export_rounds_made(session: Session, person_id: int) -> list[dict[str, Any]]:
    rounds = session.scalars(
        select(EvaluationRound)
        .where(EvaluationRound.created_by_id == person_id)
        .order_by(EvaluationRound.id)
    )
    return [{"id": r.id, "name": r.name, "createdAt": _at(r.created_at)} for r in rounds]


def _export_login_sessions(session: Session, person_id: int) -> list[dict[str, Any]]:
    logins = session.scalars(
        select(LoginSession).where(LoginSession.person_id == person_id).order_by(LoginSession.id)
    )
    return [
        {
            "id": s.id,
            "roles": s.roles,
            "method": s.method,
            "createdAt": _at(s.created_at),
            "lastSeenAt": _at(s.last_seen_at),
            "endedAt": _at(s.ended_at),
        }
        for s in logins
    ]


def _erase_login_sessions(session: Session, person_id: int) -> int:
    result = session.execute(
        delete(LoginSession)
        .where(LoginSession.person_id == person_id)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


def _export_manager_periods(session: Session, person_id: int) -> list[dict[str, Any]]:
    periods = session.scalars(
        select(ManagerPeriod)
        .where(ManagerPeriod.person_id == person_id)
        .order_by(ManagerPeriod.valid_from, ManagerPeriod.id)
    )
    return [
        {"managerId": p.manager_id, "from": _at(p.valid_from), "to": _at(p.valid_to)}
        for p in periods
    ]


def _erase_manager_periods(session: Session, person_id: int) -> int:
    result = session.execute(
        delete(ManagerPeriod)
        .where(ManagerPeriod.person_id == person_id)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


def _export_managed_periods(session: Session, person_id: int) -> list[dict[str, Any]]:
    periods = session.scalars(
        select(ManagerPeriod)
        .where(ManagerPeriod.manager_id == person_id)
        .order_by(ManagerPeriod.valid_from, ManagerPeriod.id)
    )
    return [
        {"personId": p.person_id, "from": _at(p.valid_from), "to": _at(p.valid_to)} for p in periods
    ]


def _export_role_groups(session: Session, person_id: int) -> list[dict[str, Any]]:
    groups = session.scalars(
        select(RoleGroup)
        .join(RoleGroupMember, RoleGroupMember.group_id == RoleGroup.id)
        .where(RoleGroupMember.person_id == person_id)
        .order_by(RoleGroup.display_name)
    )
    return [{"group": g.display_name, "role": g.role} for g in groups]


def _erase_role_groups(session: Session, person_id: int) -> int:
    result = session.execute(
        delete(RoleGroupMember)
        .where(RoleGroupMember.person_id == person_id)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


def _export_committee(session: Session, person_id: int) -> list[dict[str, Any]]:
    """Their seats on hiring committees and the scorecards they wrote (ids and dates)."""
    rows = session.execute(
        select(CommitteeMember, JobProfile.position_title)
        .join(JobProfile, JobProfile.id == CommitteeMember.job_profile_id)
        .where(CommitteeMember.person_id == person_id)
        .order_by(CommitteeMember.id)
    ).all()
    cards: dict[int, list[dict[str, Any]]] = {}
    for card in session.scalars(
        select(Scorecard)
        .join(CommitteeMember, CommitteeMember.id == Scorecard.member_id)
        .where(CommitteeMember.person_id == person_id)
        .order_by(Scorecard.id)
    ):
        cards.setdefault(card.member_id, []).append(
            {
                "id": card.id,
                "candidateId": card.candidate_id,
                "round": card.round,
                "submittedAt": _at(card.submitted_at),
            }
        )
    notes: dict[int, list[dict[str, Any]]] = {}
    for declaration in session.scalars(
        select(ConflictDeclaration)
        .join(CommitteeMember, CommitteeMember.id == ConflictDeclaration.member_id)
        .where(CommitteeMember.person_id == person_id)
        .order_by(ConflictDeclaration.id)
    ):
        notes.setdefault(declaration.member_id, []).append(
            {
                "candidateId": declaration.candidate_id,
                "note": declaration.note,
                "declaredAt": _at(declaration.declared_at),
            }
        )
    return [
        {
            "id": member.id,
            "jobProfileId": member.job_profile_id,
            "position": title,
            "role": member.role.value,
            "confidentialityConfirmedAt": _at(member.confidentiality_confirmed_at),
            "conflictsDeclaredAt": _at(member.conflicts_declared_at),
            "conflicts": notes.get(member.id, []),
            "scorecards": cards.get(member.id, []),
        }
        for member, title in rows
    ]


def _erase_committee(session: Session, person_id: int) -> int:
    """Their own words on their conflicts go; the seat and the scorecards are the committee's."""
    result = session.execute(
        update(ConflictDeclaration)
        .where(
            ConflictDeclaration.member_id.in_(
                select(CommitteeMember.id).where(CommitteeMember.person_id == person_id)
            )
        )
        .values(note="")
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


def _hired_candidacies(person_id: int) -> Any:
    return select(Candidate.id).where(Candidate.hired_person_id == person_id).scalar_subquery()


def _export_candidacies(session: Session, person_id: int) -> list[dict[str, Any]]:
    """The application that made them a person here, with what the committee wrote of it."""
    rows = session.execute(
        select(Candidate, JobProfile.position_title)
        .join(JobProfile, JobProfile.id == Candidate.job_profile_id)
        .where(Candidate.hired_person_id == person_id)
        .order_by(Candidate.id)
    ).all()
    mine = _hired_candidacies(person_id)
    scores: dict[int, list[dict[str, Any]]] = {}
    for score, card in session.execute(
        select(StatementScore, Scorecard)
        .join(Scorecard, Scorecard.id == StatementScore.scorecard_id)
        .where(Scorecard.candidate_id.in_(mine))
        .order_by(StatementScore.id)
    ):
        scores.setdefault(card.candidate_id, []).append(
            {
                "round": card.round,
                "statementId": score.statement_id,
                "score": score.score,
                "evidence": score.evidence,
                "overallNote": card.overall_note,
            }
        )
    notes: dict[int, list[dict[str, Any]]] = {}
    for note in session.scalars(
        select(CalibrationNote)
        .where(CalibrationNote.candidate_id.in_(mine))
        .order_by(CalibrationNote.id)
    ):
        notes.setdefault(note.candidate_id, []).append(
            {
                "round": note.round,
                "statementId": note.statement_id,
                "note": note.note,
                "agreedScore": note.agreed_score,
            }
        )
    return [
        {
            "id": candidate.id,
            "position": title,
            "name": candidate.name,
            "email": candidate.email,
            "atsReference": candidate.ats_reference,
            "status": candidate.status.value,
            "committeeRecommendation": candidate.committee_recommendation.value
            if candidate.committee_recommendation
            else None,
            "committeeReason": candidate.committee_reason,
            "scores": scores.get(candidate.id, []),
            "calibrationNotes": notes.get(candidate.id, []),
        }
        for candidate, title in rows
    ]


def _erase_candidacies(session: Session, person_id: int) -> int:
    """As the recruitment retention anonymises a candidate, but the scores stay as figures."""
    mine = _hired_candidacies(person_id)
    cards = select(Scorecard.id).where(Scorecard.candidate_id.in_(mine))
    for blanked in (
        update(StatementScore).where(StatementScore.scorecard_id.in_(cards)).values(evidence=""),
        update(Scorecard).where(Scorecard.candidate_id.in_(mine)).values(overall_note=""),
        update(CalibrationNote).where(CalibrationNote.candidate_id.in_(mine)).values(note=""),
        update(ConflictDeclaration)
        .where(ConflictDeclaration.candidate_id.in_(mine))
        .values(note=""),
    ):
        session.execute(blanked.execution_options(synchronize_session=False))
    result = session.execute(
        update(Candidate)
        .where(Candidate.hired_person_id == person_id)
        .values(
            name=ERASED_NAME,
            email="",
            ats_reference="slettet-" + Candidate.id.cast(String),
            committee_reason="",
        )
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


def _export_hand_overs(session: Session, person_id: int) -> list[dict[str, Any]]:
    hand_overs = session.scalars(
        select(RecruitmentHandOver)
        .where(RecruitmentHandOver.person_id == person_id)
        .order_by(RecruitmentHandOver.id)
    )
    return [
        {
            "candidateId": h.candidate_id,
            "dialogueId": h.dialogue_id,
            "focusStatements": list(h.focus_candidates),
            "preparedAt": _at(h.prepared_at),
        }
        for h in hand_overs
    ]


def _export_job_profiles(session: Session, person_id: int) -> list[dict[str, Any]]:
    """Vacancies they were hiring chef for or set up; the vacancy is the organisation's."""
    profiles = session.scalars(
        select(JobProfile)
        .where((JobProfile.hiring_chef_id == person_id) | (JobProfile.created_by_id == person_id))
        .order_by(JobProfile.id)
    )
    return [
        {
            "id": p.id,
            "position": p.position_title,
            "hiringChef": p.hiring_chef_id == person_id,
            "createdBy": p.created_by_id == person_id,
            "approvedAt": _at(p.approved_at),
        }
        for p in profiles
    ]


def _export_recruitment_work(session: Session, person_id: int) -> dict[str, Any]:
    guides = session.scalars(
        select(InterviewGuide)
        .where(InterviewGuide.locked_by_id == person_id)
        .order_by(InterviewGuide.id)
    ).all()
    notes = session.scalars(
        select(CalibrationNote)
        .where(CalibrationNote.author_id == person_id)
        .order_by(CalibrationNote.id)
    ).all()
    return {
        "guidesLocked": [
            {"id": g.id, "jobProfileId": g.job_profile_id, "lockedAt": _at(g.locked_at)}
            for g in guides
        ],
        "calibrationNotesWritten": [
            {"id": n.id, "candidateId": n.candidate_id, "createdAt": _at(n.created_at)}
            for n in notes
        ],
    }


AREAS: tuple[PersonalDataArea, ...] = (
    PersonalDataArea(
        "person",
        "Navn, e-mail, titel, enhed, leder, roller og LMS-bruger-id: hvem personen er i kataloget.",
        ("person.id", "person.manager_id"),
        _export_person,
        _erase_person,
    ),
    PersonalDataArea(
        "enrolments",
        "Tilmeldinger til hold med begrundelse, fokusudsagn, status og resultat.",
        ("enrolment.person_id",),
        _export_enrolments,
        _erase_enrolments,
    ),
    PersonalDataArea(
        "activityCompletions",
        "Gennemførte aktiviteter med tidspunkt, resultat og dokumentation.",
        ("activity_completion.person_id",),
        _export_completions,
        _erase_completions,
    ),
    PersonalDataArea(
        "auditEntriesAboutPerson",
        "Revisionsloggens poster om personens data: hvad der skete, hvornår og af hvem.",
        ("audit_log_entry.person_id",),
        _export_audit_about,
        _erase_audit_about,
    ),
    PersonalDataArea(
        "auditEntriesByPerson",
        "Hvad personen selv har gjort (fx godkendt en tilmelding), uden de andres oplysninger.",
        ("audit_log_entry.actor_id",),
        _export_audit_by,
        _keep,
    ),
    PersonalDataArea(
        "competenceLinksMade",
        "Koblinger mellem kompetenceudsagn og kurser, som personen har lavet (HR).",
        ("competence_link.linked_by_id",),
        _export_links,
        _keep,
    ),
    PersonalDataArea(
        "syncRunsRequested",
        "Synkroniseringer med LMS'et, som personen har bestilt.",
        ("sync_run.requested_by_id",),
        _export_sync_runs,
        _keep,
    ),
    PersonalDataArea(
        "searchSynonymsMade",
        "Synonymer til søgningen, som personen har tilføjet (HR).",
        ("search_synonym.created_by_id",),
        _export_synonyms,
        _keep,
    ),
    PersonalDataArea(
        "dialogues",
        "Lederudviklingssamtaler (LUS) som leder: tilpasning, egen og chefens vurdering, "
        "fokus, mål, handlinger, referat og opfølgning.",
        ("dialogue.leader_id",),
        _export_dialogues,
        _erase_dialogues,
        statements=8,
    ),
    PersonalDataArea(
        "dialoguesAsChef",
        "Samtaler, som personen har holdt som chef (hvem, status og datoer).",
        ("dialogue.chef_id",),
        _export_dialogues_as_chef,
        _erase_dialogues_as_chef,
    ),
    PersonalDataArea(
        "developmentActionsOwned",
        "Udviklingshandlinger, som personen er ansvarlig for.",
        ("development_action.owner_id",),
        _export_actions_owned,
        _keep,
    ),
    PersonalDataArea(
        "dialogueCyclesMade",
        "Samtalerunder, som personen har oprettet (HR).",
        ("dialogue_cycle.created_by_id",),
        _export_cycles_made,
        _keep,
    ),
    PersonalDataArea(
        "evaluations",
        "Ledelsesevalueringer, personen er evalueret i, med de åbne kommentarer i rapporten; "
        "svarene er anonyme og kan ikke føres tilbage til nogen.",
        ("evaluatee.person_id",),
        _export_evaluations,
        _erase_evaluations,
        statements=2,
    ),
    PersonalDataArea(
        "evaluationInvitations",
        "Invitationer til at evaluere en leder: hvem, i hvilken gruppe og til hvilken adresse "
        "(aldrig hvad personen svarede).",
        ("evaluation_invitation.person_id",),
        _export_invitations,
        _erase_invitations,
    ),
    PersonalDataArea(
        "evaluationInvitationsProposed",
        "Kolleger, som personen har foreslået som evaluatorer.",
        ("evaluation_invitation.proposed_by_id",),
        _export_invitations_proposed,
        _keep,
    ),
    PersonalDataArea(
        "evaluationRoundsMade",
        "Evalueringsrunder, som personen har oprettet (HR).",
        ("evaluation_round.created_by_id",),
        _export_rounds_made,
        _keep,
    ),
    PersonalDataArea(
        "loginSessions",
        "Logins i webappen: hvornår, hvordan og med hvilke roller.",
        ("login_session.person_id",),
        _export_login_sessions,
        _erase_login_sessions,
    ),
    PersonalDataArea(
        "managerPeriods",
        "Hvem der har været personens leder og hvornår.",
        ("manager_period.person_id",),
        _export_manager_periods,
        _erase_manager_periods,
    ),
    PersonalDataArea(
        "managerPeriodsAsManager",
        "Hvem personen har været leder for og hvornår (medarbejdernes historik).",
        ("manager_period.manager_id",),
        _export_managed_periods,
        _keep,
    ),
    PersonalDataArea(
        "roleGroups",
        "Rollegrupper fra identitetsudbyderen (SCIM), som personen er medlem af.",
        ("role_group_member.person_id",),
        _export_role_groups,
        _erase_role_groups,
    ),
    PersonalDataArea(
        "committeeMemberships",
        "Pladser i ansættelsesudvalg: rolle, tavshedserklæring, erklærede interessekonflikter "
        "og de bedømmelser, personen har afgivet.",
        ("committee_member.person_id",),
        _export_committee,
        _erase_committee,
        statements=3,
    ),
    PersonalDataArea(
        "candidacies",
        "Ansøgningen, der gjorde personen til medarbejder: navn, e-mail, udvalgets "
        "begrundelse, bedømmelser og kalibreringsnoter.",
        ("candidate.hired_person_id",),
        _export_candidacies,
        _erase_candidacies,
        statements=5,
    ),
    PersonalDataArea(
        "recruitmentHandOvers",
        "Overdragelsen fra rekruttering til den første samtale (foreslåede fokusudsagn).",
        ("recruitment_hand_over.person_id",),
        _export_hand_overs,
        _keep,
    ),
    PersonalDataArea(
        "jobProfiles",
        "Stillinger, som personen har været ansættende chef for eller har oprettet.",
        ("job_profile.hiring_chef_id", "job_profile.created_by_id"),
        _export_job_profiles,
        _keep,
    ),
    PersonalDataArea(
        "recruitmentWork",
        "Interviewguides, personen har låst, og kalibreringsnoter, personen har skrevet.",
        ("interview_guide.locked_by_id", "calibration_note.author_id"),
        _export_recruitment_work,
        _keep,
        statements=2,
    ),
)
