"""Many activity completions reported against enrolments, recorded in a few statements.

The LMS's completion pull reports thousands of completions a run. Recorded one
at a time (``completions.record_completion``) each costs about ten round trips
and a savepoint; here a batch of enrolments costs a fixed handful, whatever
its size:

1. the enrolments re-read with their courses, locked (``FOR UPDATE``) so that a
   leader withdrawing at the same moment waits rather than interleaves;
2. one ``INSERT .. ON CONFLICT DO NOTHING RETURNING`` for the completions, so
   a fact already recorded (by an earlier pull, by HR, or by a concurrent one)
   is a no-op and the first fact stands;
3. one insert of their audit rows;
4. two grouped counts of required activities, and of those done, for the roll-up
   (``course_rule``, shared with ``record_completion``);
5. one UPDATE per action (START, COMPLETE) with its audit rows, through the
   state machine's ``apply_quiet_transitions``.

The rules are ``record_completion``'s for an activity reported against an
enrolment, with one difference that follows from seeing the batch at once: an
enrolment whose last required activities arrive together moves straight to
COMPLETED (one audit entry) instead of passing IN_PROGRESS on the way. An
enrolment whose facts break a rule (unknown enrolment, an activity of another
course, a time in the future) is rejected whole and named in the outcome;
the others are recorded. A fact dated before the enrolment's run started is
recorded without the enrolment and moves nothing (``completions``' docstring
says why); the outcome lists it under ``before_run``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    ActivityCompletion,
    ChangeSource,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
)
from catalogue.models.base import utcnow
from catalogue.services.audit import audit_row, record_changes
from catalogue.services.bulk_insert import insert_many
from catalogue.services.completions import (
    ROLL_UP_REASONS,
    ROLL_UP_STATUSES,
    before_run_start,
    completion_change,
    completion_source,
    require_completion_recorder,
    roll_up_action,
    validate_completion,
)
from catalogue.services.course_rule import required_progress
from catalogue.services.enrolment_rules import (
    EnrolmentAction,
    QuietMove,
    apply_quiet_transitions,
)
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer


@dataclass(frozen=True)
class ReportedCompletion:
    """That the person of ``enrolment_id`` completed ``activity_id`` at ``completed_at``."""

    enrolment_id: int
    activity_id: int
    completed_at: datetime


@dataclass
class BatchOutcome:
    """What a batch recorded, per enrolment."""

    #: Activity ids newly recorded, by enrolment id (absent: nothing new).
    created: dict[int, list[int]] = field(default_factory=dict)
    #: Enrolments whose facts were refused, with why; nothing of theirs was written.
    rejected: dict[int, DomainError] = field(default_factory=dict)
    #: Each known enrolment's status after the batch.
    status: dict[int, EnrolmentStatus] = field(default_factory=dict)
    #: Activity ids newly recorded without the enrolment they were reported against,
    #: because they lie before its run's start, by that enrolment's id.
    before_run: dict[int, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Held:
    """An enrolment as read under lock."""

    enrolment_id: int
    person_id: int
    course_run_id: int
    course_id: int
    source: ChangeSource
    status: EnrolmentStatus
    run_starts_at: datetime

    def owns(self, fact: ReportedCompletion) -> bool:
        """Whether ``fact`` happened on this enrolment's run (not before it began)."""
        return not before_run_start(fact.completed_at, self.run_starts_at)


def record_activity_completions(
    session: Session,
    *,
    actor: Viewer,
    reported: Sequence[ReportedCompletion],
    only_underway: bool = False,
    now: datetime | None = None,
) -> BatchOutcome:
    """Record ``reported`` (HR, ADMIN and the LMS account) and roll each enrolment up.

    With ``only_underway`` the facts of an enrolment no longer underway when it
    is locked (withdrawn or completed since the caller read it) are left out,
    as a poll of underway enrolments would never have asked about it.
    """
    now = now or utcnow()
    require_completion_recorder(actor)
    outcome = BatchOutcome()
    held = _lock_enrolments(session, {r.enrolment_id for r in reported})
    outcome.status = {e.enrolment_id: e.status for e in held.values()}
    if only_underway:
        reported = [
            r
            for r in reported
            if r.enrolment_id not in held or held[r.enrolment_id].status in ROLL_UP_STATUSES
        ]
    accepted = _accepted(session, held, reported, now=now, rejected=outcome.rejected)
    source = completion_source(actor)
    inserted = _insert_new(session, accepted, held, source=source)
    audits = []
    for completion_id, fact in inserted:
        enrolment = held[fact.enrolment_id]
        owned = enrolment.owns(fact)
        new = outcome.created if owned else outcome.before_run
        new.setdefault(fact.enrolment_id, []).append(fact.activity_id)
        change = completion_change(
            actor_id=actor.person_id,
            completion_id=completion_id,
            person_id=enrolment.person_id,
            course_id=enrolment.course_id,
            activity_id=fact.activity_id,
            enrolment_id=enrolment.enrolment_id if owned else None,
            source=source,
            completed_at=fact.completed_at,
            result=None,
            evidence_url=None,
            now=now,
            reported_for=None if owned else enrolment.enrolment_id,
        )
        audits.append(audit_row(**change))
    record_changes(session, audits)
    touched = [held[enrolment_id] for enrolment_id in outcome.created]
    for action, moves in _roll_up(session, touched).items():
        apply_quiet_transitions(
            session,
            moves,
            action,
            actor_id=actor.person_id,
            now=now,
            reason=ROLL_UP_REASONS[action],
        )
        target = EnrolmentStatus.COMPLETED if action is EnrolmentAction.COMPLETE else None
        for move in moves:
            outcome.status[move.enrolment_id] = target or EnrolmentStatus.IN_PROGRESS
    return outcome


def _lock_enrolments(session: Session, enrolment_ids: set[int]) -> dict[int, _Held]:
    if not enrolment_ids:
        return {}
    rows = session.execute(
        select(
            Enrolment.id,
            Enrolment.person_id,
            Enrolment.course_run_id,
            CourseRun.course_id,
            Enrolment.source,
            Enrolment.status,
            CourseRun.starts_at,
        )
        .join(CourseRun, CourseRun.id == Enrolment.course_run_id)
        .where(Enrolment.id.in_(sorted(enrolment_ids)))
        .order_by(Enrolment.id)
        .with_for_update(of=Enrolment)
    )
    return {row[0]: _Held(*row) for row in rows}


def _accepted(
    session: Session,
    held: dict[int, _Held],
    reported: Sequence[ReportedCompletion],
    *,
    now: datetime,
    rejected: dict[int, DomainError],
) -> list[ReportedCompletion]:
    """The facts that keep the rules, once per person and activity, in enrolment order."""
    statement = select(Activity.id, Activity.course_id).where(
        Activity.id.in_(sorted({r.activity_id for r in reported}))
    )
    courses: dict[int, int] = dict(session.execute(statement).all())  # rows, not the Result
    for fact in reported:
        if fact.enrolment_id in rejected:
            continue
        error = _broken_rule(fact, held.get(fact.enrolment_id), courses.get(fact.activity_id), now)
        if error is not None:
            rejected[fact.enrolment_id] = error
    seen: set[tuple[int, int]] = set()
    accepted = []
    for fact in sorted(reported, key=lambda r: (r.enrolment_id, r.activity_id)):
        if fact.enrolment_id in rejected:
            continue
        key = (held[fact.enrolment_id].person_id, fact.activity_id)
        if key not in seen:
            seen.add(key)
            accepted.append(fact)
    return accepted


def _broken_rule(
    fact: ReportedCompletion, enrolment: _Held | None, course_id: int | None, now: datetime
) -> DomainError | None:
    if enrolment is None:
        return DomainError(ErrorCode.NOT_FOUND, "Tilmeldingen findes ikke.", field="enrolmentId")
    if course_id is None:
        return DomainError(ErrorCode.NOT_FOUND, "Aktiviteten findes ikke.", field="activityId")
    if course_id != enrolment.course_id:
        return DomainError(
            ErrorCode.INVALID,
            "Aktiviteten hører ikke til tilmeldingens kursus.",
            field="activityId",
        )
    try:
        validate_completion(completed_at=fact.completed_at, result=None, evidence_url=None, now=now)
    except DomainError as error:
        return error
    return None


def _insert_new(
    session: Session,
    accepted: list[ReportedCompletion],
    held: dict[int, _Held],
    *,
    source: ChangeSource,
) -> list[tuple[int, ReportedCompletion]]:
    """Insert what is new; returns the new rows' ids with their facts."""
    if not accepted:
        return []
    table = ActivityCompletion.__table__
    assert isinstance(table, Table)
    now = utcnow()
    rows = [
        {
            "person_id": held[fact.enrolment_id].person_id,
            "activity_id": fact.activity_id,
            "enrolment_id": fact.enrolment_id if held[fact.enrolment_id].owns(fact) else None,
            "completed_at": fact.completed_at,
            "result": None,
            "evidence_url": None,
            "source": source,
            "created_at": now,
            "updated_at": now,
        }
        for fact in accepted
    ]
    by_key = {(held[f.enrolment_id].person_id, f.activity_id): f for f in accepted}
    returned = insert_many(
        session,
        table,
        rows,
        skip_conflicts_on=("person_id", "activity_id"),
        returning=(table.c.id, table.c.person_id, table.c.activity_id),
    )
    return sorted((row.id, by_key[(row.person_id, row.activity_id)]) for row in returned)


def _roll_up(session: Session, touched: list[_Held]) -> dict[EnrolmentAction, list[QuietMove]]:
    """The course's rule for every enrolment that got a new completion, grouped by action."""
    rolling = [e for e in touched if e.status in ROLL_UP_STATUSES]
    if not rolling:
        return {}
    progress = required_progress(
        session,
        person_ids={e.person_id for e in rolling},
        course_ids={e.course_id for e in rolling},
    )
    moves: dict[EnrolmentAction, list[QuietMove]] = defaultdict(list)
    for enrolment in rolling:
        done = progress.of(enrolment.person_id, enrolment.course_id)
        action = roll_up_action(enrolment.status, required=done.required, done=done.done)
        if action is not None:
            moves[action].append(
                QuietMove(
                    enrolment_id=enrolment.enrolment_id,
                    person_id=enrolment.person_id,
                    course_run_id=enrolment.course_run_id,
                    course_id=enrolment.course_id,
                    source=enrolment.source,
                    current=enrolment.status,
                    completed_at=done.last_done if action is EnrolmentAction.COMPLETE else None,
                )
            )
    return moves
