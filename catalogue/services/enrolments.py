"""Enrolling in course runs: requests, approval, capacity, the waiting list, withdrawal.

Decisions (the architecture notes leave them to us):

- Idempotency. ``enrol`` is answered the same when the same request comes
  again: if the person already has an enrolment in the run and the request
  carries the same motivation and focus statements, the existing enrolment is
  returned, nothing is stored and no error is given, whatever its status by now.
  A *different* request for a run the person already has an enrolment in is
  ALREADY_ENROLLED. A withdrawn enrolment is not in the way: enrolling again
  reuses its row (one row per person and run) and goes through the rules anew,
  at the end of the waiting list if the run is full.
- Order. Each run is serialised: the run's row is locked (``SELECT ... FOR
  UPDATE`` on PostgreSQL; SQLite serialises writers with its database lock)
  before seats are counted, so the order in which requests take that lock is
  the request order. The waiting list is first come, first served in that
  order: a newcomer gets the last position + 1, withdrawing or being promoted
  closes the gap, and a freed seat goes to position 1.
- Approval. A run with ``approval_required`` puts a request in REQUESTED
  whether or not it is full; the approval places it (ENROLLED, or WAITLISTED at
  the end of the list: one joins the waiting list when approved). When someone
  who may approve (a chef above the person, or HR/ADMIN) enrols someone else,
  the request is approved in the same step; nobody approves their own request.
- Who may do what. A leader (or chef) enrols and withdraws themself; a chef
  enrols anyone below them in the manager tree; HR and ADMIN anyone. Approval
  and rejection: any chef above the person, HR and ADMIN. Withdrawal: the
  person themself until the run starts (RUN_STARTED after), HR and ADMIN at any
  time. A denial is FORBIDDEN and is checked before anything is read or written.
  An enrolment the actor may not even see (``visible_enrolment``) is NOT_FOUND,
  the answer for an id that does not exist, so ids cannot be probed; FORBIDDEN
  is for someone who may see it but not do this (a chef withdrawing a report).
- Deadline, start, cancellation and course status are checked for new
  requests only, after the idempotency check, so a retried request that
  succeeded before the deadline is still answered the same after it.
- A seat freed by withdrawal is given to the first on the waiting list at once,
  also after the run has started; HR can withdraw a late promotion.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    ChangeSource,
    CompetenceStatement,
    Course,
    CourseRun,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Person,
)
from catalogue.models.base import utcnow
from catalogue.services.capabilities import Capability
from catalogue.services.catalogue_queries import SEAT_HOLDING_STATUSES, seats_left
from catalogue.services.enrolment_rules import STATUS_LABELS, EnrolmentAction, apply_transition
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.people import EVERYONE, subordinate_ids, visible_person_ids
from catalogue.services.profiles import current_profile
from catalogue.services.text_rules import clean_text, is_blank

MOTIVATION_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 2000


# --- who may act for whom -------------------------------------------------------------


def is_chef_above(session: Session, chef_id: int, person_id: int) -> bool:
    return person_id in subordinate_ids(session, chef_id)


def may_approve_for(session: Session, actor: Viewer, person_id: int) -> bool:
    """With manage_all anyone, with approve_subtree those below; never the person themself."""
    if person_id == actor.person_id:
        return False
    if actor.can(Capability.ENROLMENT_MANAGE_ALL):
        return True
    return actor.can(Capability.ENROLMENT_APPROVE_SUBTREE) and is_chef_above(
        session, actor.person_id, person_id
    )


def _check_may_enrol(session: Session, actor: Viewer, person_id: int) -> None:
    if actor.can(Capability.ENROLMENT_MANAGE_ALL):
        return
    if person_id == actor.person_id and actor.can(Capability.ENROLMENT_ENROL_SELF):
        return
    if actor.can(Capability.ENROLMENT_ENROL_SUBTREE) and is_chef_above(
        session, actor.person_id, person_id
    ):
        return
    raise DomainError(
        ErrorCode.FORBIDDEN,
        "Ingen adgang: du kan tilmelde dig selv og, som chef, dine medarbejdere.",
        field="personId",
    )


# --- reading ---------------------------------------------------------------------------


def lock_run(session: Session, run_id: int, *, field: str = "courseRunId") -> CourseRun:
    """The run, re-read and locked until the transaction ends: seats are counted after this."""
    run = session.scalar(
        select(CourseRun)
        .where(CourseRun.id == run_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if run is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Holdet findes ikke.", field=field)
    return run


def get_enrolment(
    session: Session, enrolment_id: int, *, field: str = "enrolmentId", fresh: bool = False
) -> Enrolment:
    statement = select(Enrolment).where(Enrolment.id == enrolment_id)
    if fresh:
        statement = statement.execution_options(populate_existing=True)
    enrolment = session.scalar(statement)
    if enrolment is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Tilmeldingen findes ikke.", field=field)
    return enrolment


def visible_enrolment(
    session: Session, actor: Viewer, enrolment_id: int, *, field: str = "enrolmentId"
) -> Enrolment:
    """The enrolment if the actor may see its person; otherwise the same NOT_FOUND as no row."""
    enrolment = session.get(Enrolment, enrolment_id)
    visible = visible_person_ids(session, actor)
    if enrolment is None or (visible is not None and enrolment.person_id not in visible):
        raise DomainError(ErrorCode.NOT_FOUND, "Tilmeldingen findes ikke.", field=field)
    return enrolment


def enrolments_statement(
    *,
    visible: set[int] | None,
    person_id: int | None = None,
    course_run_id: int | None = None,
    statuses: Sequence[EnrolmentStatus] | None = None,
) -> Select[Enrolment]:
    """Enrolments the viewer may see, by run start, then the waiting list, then id."""
    statement = (
        select(Enrolment)
        .join(CourseRun, CourseRun.id == Enrolment.course_run_id)
        .order_by(
            CourseRun.starts_at,
            Enrolment.course_run_id,
            Enrolment.waitlist_position.nulls_first(),
            Enrolment.id,
        )
    )
    if visible is not EVERYONE:
        statement = statement.where(Enrolment.person_id.in_(visible))
    if person_id is not None:
        statement = statement.where(Enrolment.person_id == person_id)
    if course_run_id is not None:
        statement = statement.where(Enrolment.course_run_id == course_run_id)
    if statuses:
        statement = statement.where(Enrolment.status.in_(statuses))
    return statement


def free_seats(session: Session, run: CourseRun, *, excluding: int | None = None) -> int | None:
    """Seats left on ``run`` (``None``: no limit), not counting enrolment ``excluding``."""
    if run.capacity is None:
        return None
    statement = select(func.count()).where(
        Enrolment.course_run_id == run.id, Enrolment.status.in_(SEAT_HOLDING_STATUSES)
    )
    if excluding is not None:
        statement = statement.where(Enrolment.id != excluding)
    return seats_left(run.capacity, session.scalar(statement) or 0)


# --- enrolling ---------------------------------------------------------------------------


def _clean_motivation(motivation: str | None) -> str:
    text = _clean_text(motivation, label="Motivationen", field="motivation")
    if len(text) > MOTIVATION_MAX_LENGTH:
        raise DomainError(
            ErrorCode.TOO_LONG,
            f"Motivationen må højst være {MOTIVATION_MAX_LENGTH} tegn.",
            field="motivation",
        )
    return text


def _focus_statements(session: Session, keys: Sequence[str] | None) -> list[CompetenceStatement]:
    wanted = list(dict.fromkeys(key.strip() for key in keys or ()))
    if not wanted:
        return []
    profile = current_profile(session)
    found = {
        statement.key: statement
        for statement in session.scalars(
            select(CompetenceStatement).where(
                CompetenceStatement.profile_id == (profile.id if profile else -1),
                CompetenceStatement.key.in_(wanted),
            )
        )
    }
    unknown = [key for key in wanted if key not in found]
    if unknown:
        raise DomainError(
            ErrorCode.INVALID,
            f"Ukendte udsagn i kompetenceprofilen: {', '.join(unknown)}.",
            field="focusStatementKeys",
        )
    return [found[key] for key in wanted]


def _check_open(run: CourseRun, course: Course, now: datetime) -> None:
    field = "courseRunId"
    if run.cancelled_at is not None:
        raise DomainError(ErrorCode.RUN_CANCELLED, "Holdet er aflyst.", field=field)
    if course.status is CourseStatus.ARCHIVED:
        raise DomainError(
            ErrorCode.COURSE_NOT_OPEN,
            "Kurset er arkiveret og tager ikke imod tilmeldinger.",
            field=field,
        )
    if course.status is not CourseStatus.PUBLISHED:
        raise DomainError(
            ErrorCode.COURSE_NOT_OPEN,
            "Kurset er ikke udgivet og tager ikke imod tilmeldinger.",
            field=field,
        )
    if now >= run.starts_at:
        raise DomainError(
            ErrorCode.RUN_STARTED, "Holdet er allerede startet; vælg et senere hold.", field=field
        )
    if run.enrolment_deadline is not None and now > run.enrolment_deadline:
        raise DomainError(
            ErrorCode.DEADLINE_PASSED,
            "Tilmeldingsfristen for holdet er overskredet.",
            field=field,
        )


def closed_reason(run: CourseRun, course: Course, now: datetime) -> str | None:
    """Why a new request for ``run`` would be refused now (Danish), or None: it is open."""
    try:
        _check_open(run, course, now)
    except DomainError as error:
        return error.message
    return None


def _is_same_request(
    enrolment: Enrolment, motivation: str, statements: list[CompetenceStatement]
) -> bool:
    return enrolment.motivation == motivation and {s.id for s in enrolment.focus_statements} == {
        s.id for s in statements
    }


def _place(
    session: Session,
    enrolment: Enrolment,
    run: CourseRun,
    *,
    actor_id: int | None,
    now: datetime,
) -> None:
    """A seat if one is free, otherwise the end of the waiting list."""
    seats = free_seats(session, run, excluding=enrolment.id)
    if seats is None or seats > 0:
        apply_transition(
            session, enrolment, EnrolmentAction.ENROL, run=run, actor_id=actor_id, now=now
        )
    else:
        apply_transition(
            session,
            enrolment,
            EnrolmentAction.WAITLIST,
            run=run,
            actor_id=actor_id,
            now=now,
            reason="Holdet er fuldt.",
        )


def promote_waitlisted(
    session: Session, run: CourseRun, *, actor_id: int | None, now: datetime
) -> list[Enrolment]:
    """Give free seats to the waiting list, first position first. The run must be locked."""
    promoted: list[Enrolment] = []
    while True:
        seats = free_seats(session, run)
        if seats is not None and seats <= 0:
            return promoted
        first = session.scalar(
            select(Enrolment)
            .where(
                Enrolment.course_run_id == run.id, Enrolment.status == EnrolmentStatus.WAITLISTED
            )
            .order_by(Enrolment.waitlist_position, Enrolment.id)
            .limit(1)
            .execution_options(populate_existing=True)
        )
        if first is None:
            return promoted
        apply_transition(
            session,
            first,
            EnrolmentAction.PROMOTE,
            run=run,
            actor_id=actor_id,
            now=now,
            reason="En plads blev ledig.",
        )
        promoted.append(first)


def enrol(
    session: Session,
    *,
    actor: Viewer,
    course_run_id: int,
    person_id: int | None = None,
    motivation: str | None = None,
    focus_statement_keys: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Enrolment:
    """Enrol a person (the actor by default) in a run; see the module docstring for the rules."""
    target_id = person_id if person_id is not None else actor.person_id
    _check_may_enrol(session, actor, target_id)
    person = session.get(Person, target_id)
    if person is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Personen findes ikke.", field="personId")
    if not person.active:
        raise DomainError(
            ErrorCode.INVALID, f"{person.name} er ikke længere aktiv.", field="personId"
        )
    text = _clean_motivation(motivation)
    statements = _focus_statements(session, focus_statement_keys)

    run = lock_run(session, course_run_id)
    # Stamped once the run is locked: the order of these stamps is the request order.
    now = now or utcnow()
    existing = session.scalar(
        select(Enrolment)
        .where(Enrolment.person_id == person.id, Enrolment.course_run_id == run.id)
        .execution_options(populate_existing=True)
    )
    if existing is not None and existing.status is not EnrolmentStatus.WITHDRAWN:
        if _is_same_request(existing, text, statements):
            return existing
        raise DomainError(
            ErrorCode.ALREADY_ENROLLED,
            f"{person.name} har allerede en tilmelding til holdet "
            f"({STATUS_LABELS[existing.status]}).",
            field="courseRunId",
        )
    _check_open(run, run.course, now)

    enrolment = existing or Enrolment(person_id=person.id, course_run_id=run.id)
    enrolment.source = (
        ChangeSource.HR if actor.can(Capability.ENROLMENT_MANAGE_ALL) else ChangeSource.UI
    )
    enrolment.motivation = text
    enrolment.focus_statements = statements
    enrolment.requested_at = now
    enrolment.completed_at = None
    enrolment.result = None
    if not run.approval_required:
        _place(session, enrolment, run, actor_id=actor.person_id, now=now)
        return enrolment
    apply_transition(
        session, enrolment, EnrolmentAction.REQUEST, run=run, actor_id=actor.person_id, now=now
    )
    if may_approve_for(session, actor, person.id):
        apply_transition(
            session,
            enrolment,
            EnrolmentAction.APPROVE,
            run=run,
            actor_id=actor.person_id,
            now=now,
            reason="Tilmeldt af en, der må godkende.",
        )
        _place(session, enrolment, run, actor_id=actor.person_id, now=now)
    return enrolment


# --- deciding on requests, withdrawing ---------------------------------------------------------


def _locked_enrolment(session: Session, enrolment_id: int) -> tuple[Enrolment, CourseRun]:
    """The enrolment re-read after locking its run, so its status is the committed one."""
    run_id = session.scalar(select(Enrolment.course_run_id).where(Enrolment.id == enrolment_id))
    if run_id is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Tilmeldingen findes ikke.", field="enrolmentId")
    run = lock_run(session, run_id, field="enrolmentId")
    return get_enrolment(session, enrolment_id, fresh=True), run


def _check_may_decide(session: Session, actor: Viewer, enrolment: Enrolment) -> None:
    if enrolment.person_id == actor.person_id:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Du kan ikke selv godkende eller afvise din egen tilmelding.",
            field="enrolmentId",
        )
    if not may_approve_for(session, actor, enrolment.person_id):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Ingen adgang: kun en chef over lederen eller HR kan godkende eller afvise.",
            field="enrolmentId",
        )


def _clean_text(value: str | None, *, label: str, field: str) -> str:
    """Free text of an enrolment under the one text rule; blank is empty."""
    text, problem = clean_text(value or "", label=label, multiline=True)
    if problem is not None:
        raise DomainError(problem.code, problem.message, field=field)
    return "" if is_blank(text) else text


def _clean_reason(reason: str | None, *, required: bool, field: str = "reason") -> str | None:
    text = _clean_text(reason, label="Begrundelsen", field=field)
    if required and not text:
        raise DomainError(ErrorCode.REQUIRED, "Skriv en begrundelse.", field=field)
    if len(text) > REASON_MAX_LENGTH:
        raise DomainError(
            ErrorCode.TOO_LONG,
            f"Begrundelsen må højst være {REASON_MAX_LENGTH} tegn.",
            field=field,
        )
    return text or None


def approve(
    session: Session,
    *,
    actor: Viewer,
    enrolment_id: int,
    comment: str | None = None,
    now: datetime | None = None,
) -> Enrolment:
    """A chef above the leader, or HR, says yes; the enrolment is placed at once."""
    now = now or utcnow()
    _check_may_decide(session, actor, visible_enrolment(session, actor, enrolment_id))
    text = _clean_reason(comment, required=False, field="comment")
    enrolment, run = _locked_enrolment(session, enrolment_id)
    if run.cancelled_at is not None:
        raise DomainError(ErrorCode.RUN_CANCELLED, "Holdet er aflyst.", field="enrolmentId")
    apply_transition(
        session,
        enrolment,
        EnrolmentAction.APPROVE,
        run=run,
        actor_id=actor.person_id,
        now=now,
        reason=text,
    )
    _place(session, enrolment, run, actor_id=actor.person_id, now=now)
    return enrolment


def reject(
    session: Session,
    *,
    actor: Viewer,
    enrolment_id: int,
    reason: str,
    now: datetime | None = None,
) -> Enrolment:
    """A chef above the leader, or HR, says no, and says why."""
    now = now or utcnow()
    _check_may_decide(session, actor, visible_enrolment(session, actor, enrolment_id))
    text = _clean_reason(reason, required=True)
    enrolment, run = _locked_enrolment(session, enrolment_id)
    apply_transition(
        session,
        enrolment,
        EnrolmentAction.REJECT,
        run=run,
        actor_id=actor.person_id,
        now=now,
        reason=text,
    )
    return enrolment


def withdraw(
    session: Session,
    *,
    actor: Viewer,
    enrolment_id: int,
    reason: str | None = None,
    now: datetime | None = None,
) -> Enrolment:
    """Oneself before the run starts, anyone at any time with manage_all; the seat passes on."""
    now = now or utcnow()
    enrolment = visible_enrolment(session, actor, enrolment_id)
    manages = actor.can(Capability.ENROLMENT_MANAGE_ALL)
    is_self = enrolment.person_id == actor.person_id
    if not manages and not (is_self and actor.can(Capability.ENROLMENT_ENROL_SELF)):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Ingen adgang: du kan kun afmelde dig selv; HR kan afmelde andre.",
            field="enrolmentId",
        )
    text = _clean_reason(reason, required=False)
    enrolment, run = _locked_enrolment(session, enrolment_id)
    if not manages and now >= run.starts_at:
        raise DomainError(
            ErrorCode.RUN_STARTED,
            "Holdet er startet; kontakt HR, hvis du vil afmeldes.",
            field="enrolmentId",
        )
    _withdraw_locked(session, enrolment, run, actor_id=actor.person_id, now=now, reason=text)
    return enrolment


def withdraw_place(
    session: Session, *, enrolment_id: int, actor_id: int | None, now: datetime, reason: str
) -> Enrolment:
    """Withdraw an enrolment for a reason the system has (a leaver), not a person's request.

    The same withdrawal as ``withdraw``'s: through the state machine, and a seat
    it held goes to the first on the waiting list. Who may ask is the caller's
    rule (the directory service deactivating a person).
    """
    enrolment, run = _locked_enrolment(session, enrolment_id)
    _withdraw_locked(session, enrolment, run, actor_id=actor_id, now=now, reason=reason)
    return enrolment


def _withdraw_locked(
    session: Session,
    enrolment: Enrolment,
    run: CourseRun,
    *,
    actor_id: int | None,
    now: datetime,
    reason: str | None,
) -> None:
    held_seat = enrolment.status in SEAT_HOLDING_STATUSES
    apply_transition(
        session,
        enrolment,
        EnrolmentAction.WITHDRAW,
        run=run,
        actor_id=actor_id,
        now=now,
        reason=reason,
    )
    if held_seat:
        promote_waitlisted(session, run, actor_id=actor_id, now=now)


#: An enrolment in one of these still expects the run to happen.
OPEN_PLACE_STATUSES = (
    EnrolmentStatus.REQUESTED,
    EnrolmentStatus.APPROVED,
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.IN_PROGRESS,
)


def people_on_open_runs(session: Session, course_id: int, *, now: datetime) -> list[str]:
    """For each run of the course not yet over nor cancelled: who still expects it, in words.

    Archiving a course under such people would leave them enrolled on a course nobody
    offers any more, so ``archive_course`` refuses and names these runs.
    """
    rows = session.execute(
        select(CourseRun.code, CourseRun.starts_at, Enrolment.status, func.count())
        .join(Enrolment, Enrolment.course_run_id == CourseRun.id)
        .where(
            CourseRun.course_id == course_id,
            CourseRun.cancelled_at.is_(None),
            CourseRun.ends_at > now,
            Enrolment.status.in_(OPEN_PLACE_STATUSES),
        )
        .group_by(CourseRun.code, CourseRun.starts_at, Enrolment.status)
        .order_by(CourseRun.starts_at, CourseRun.code, Enrolment.status)
    ).all()
    by_run: dict[str, list[str]] = {}
    for code, _starts_at, status, count in rows:
        by_run.setdefault(code, []).append(f"{count} {STATUS_LABELS[status]}")
    return [f"{code} ({', '.join(parts)})" for code, parts in by_run.items()]


def withdraw_everyone_from(
    session: Session, run: CourseRun, *, actor_id: int | None, now: datetime, reason: str
) -> int:
    """A cancelled run keeps nobody: each open enrolment is withdrawn, with the reason.

    Through the state machine, so each leader's enrolment shows WITHDRAWN with why,
    the audit log has one entry each and the LMS hears of every place given up.
    Nobody is promoted from the waiting list: there is no run to promote onto.
    Waiting-list places go last first, so no gap is renumbered on the way.
    """
    enrolments = session.scalars(
        select(Enrolment)
        .where(Enrolment.course_run_id == run.id, Enrolment.status.in_(OPEN_PLACE_STATUSES))
        .order_by(Enrolment.waitlist_position.desc(), Enrolment.id)
        .with_for_update()
    ).all()
    for enrolment in enrolments:
        apply_transition(
            session,
            enrolment,
            EnrolmentAction.WITHDRAW,
            run=run,
            actor_id=actor_id,
            now=now,
            reason=reason,
        )
    return len(enrolments)
