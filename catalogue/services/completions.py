"""Recording completions and rolling them up to the course.

Rules (decided here; docs/architecture.md §7 says the LMS owns completion facts):

- A completion is recorded per activity (``personId`` + ``activityId``, or an
  ``enrolmentId`` + ``activityId``) or for the course as a whole (an
  ``enrolmentId`` alone; the way to complete a course without activities, and
  the only way to record FAILED).
- The course's rule: a course with required (non-archived) activities is
  completed when the person has completed all of them; a course with none is
  completed only by a completion of the course itself. Completing the first
  activity moves an enrolment to IN_PROGRESS; completing the last required one
  to COMPLETED, with ``completedAt`` the latest of those activities.
- Recording the same completion twice is a no-op: one row per person and
  activity, and the first fact stands (a later, different ``completedAt`` or
  ``result`` for the same activity does not overwrite it). Completing a course
  that is already COMPLETED (or FAILED as FAILED) changes nothing either.
- A completion for a course the person holds no place on (no approved,
  enrolled, underway or completed enrolment) is still recorded, without an
  enrolment, with the source of whoever reported it (LMS for the LMS account);
  HR sees these through ``completions(withoutEnrolment: true)`` and the audit
  log. They still count towards the person's progress.
- A completion belongs to a run only from the run's start (with ``CLOCK_SKEW``
  of slack for the clocks): one dated earlier happened before the run and is no
  evidence of it. Reported against an enrolment (``enrolmentId``, for an
  activity or the whole course) it is refused as INVALID on ``completedAt``,
  naming both times, and nothing is stored. Reported for a person and an
  activity it is linked to the latest place on a run that had started by
  then, and without one recorded without an enrolment, as above.
- The LMS's completion pull (``completion_batches``) reports each fact against
  the enrolment it asked about, but an LMS course outlives a run: a module
  done on an earlier run, or before this one began, comes back too. It is the
  LMS's fact, so the pull does not refuse it (it would be refused again on
  every pull): it is recorded without an enrolment, its audit entry says
  ``before_run_start``, it moves no enrolment, and HR finds it under
  ``completions(withoutEnrolment: true)``. The rest of the enrolment's facts are
  recorded as usual. A course completion the LMS dates before the run began is
  a state of the enrolment, so it cannot go without one: it is refused, and the
  SyncRun's errors name the enrolment with the message above.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    ActivityCompletion,
    ChangeSource,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    Person,
)
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, AuditChange, record_change
from catalogue.services.capabilities import Capability, requirement
from catalogue.services.course_rule import required_progress
from catalogue.services.danish_dates import LOCAL_TZ, danish_date
from catalogue.services.enrolment_rules import EnrolmentAction, apply_transition, next_status
from catalogue.services.enrolments import get_enrolment
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.text_rules import clean_text, is_blank

RESULT_MAX_LENGTH = 100
EVIDENCE_URL_MAX_LENGTH = 2000
CLOCK_SKEW = timedelta(minutes=5)

# Enrolments a completion is linked to: the person holds (or held) a place on the course.
PLACE_STATUSES = (
    EnrolmentStatus.APPROVED,
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.IN_PROGRESS,
    EnrolmentStatus.COMPLETED,
)
ROLL_UP_STATUSES = (EnrolmentStatus.APPROVED, EnrolmentStatus.ENROLLED, EnrolmentStatus.IN_PROGRESS)


class CompletionOutcome(StrEnum):
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


@dataclass(frozen=True)
class CompletionRecorded:
    """What a ``record_completion`` call left behind; ``created`` is False for a no-op."""

    enrolment: Enrolment | None
    activity_completion: ActivityCompletion | None
    created: bool


def completion_source(actor: Viewer) -> ChangeSource:
    return ChangeSource.LMS if actor.can(Capability.LMS_CLIENT) else ChangeSource.HR


def require_completion_recorder(actor: Viewer) -> None:
    """Completions are facts only those with completion.record report (HR, the LMS account)."""
    if not actor.can(Capability.COMPLETION_RECORD):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Ingen adgang: registrering af gennemførelser kræver "
            f"{requirement(Capability.COMPLETION_RECORD)}.",
        )


def before_run_start(completed_at: datetime, run_starts_at: datetime) -> bool:
    """Whether a completion at ``completed_at`` happened before the run began."""
    return completed_at < run_starts_at - CLOCK_SKEW


def before_run_start_message(completed_at: datetime, run_starts_at: datetime) -> str:
    """Why a completion before its run's start does not count, with both times."""
    return (
        f"Gennemførelsen ({_moment(completed_at)}) ligger før holdets start "
        f"({_moment(run_starts_at)}); en gennemførelse på holdet kan tidligst være "
        "fra holdets start."
    )


def refuse_before_run_start(completed_at: datetime, run: CourseRun) -> None:
    """INVALID on ``completedAt`` when it lies before ``run`` started, with both times."""
    if before_run_start(completed_at, run.starts_at):
        raise DomainError(
            ErrorCode.INVALID,
            before_run_start_message(completed_at, run.starts_at),
            field="completedAt",
        )


def _moment(value: datetime) -> str:
    return f"{danish_date(value)} kl. {value.astimezone(LOCAL_TZ):%H:%M}"


def validate_completion(
    *,
    completed_at: datetime,
    result: str | None,
    evidence_url: str | None,
    now: datetime,
) -> tuple[str | None, str | None]:
    if completed_at.tzinfo is None:
        raise DomainError(
            ErrorCode.INVALID, "Tidspunktet skal have en tidszone.", field="completedAt"
        )
    if completed_at > now + CLOCK_SKEW:
        raise DomainError(
            ErrorCode.INVALID,
            "Gennemførelsen kan ikke ligge i fremtiden.",
            field="completedAt",
        )
    result, problem = clean_text(result or "", label="Resultatet", multiline=False)
    if problem is not None:
        raise DomainError(problem.code, problem.message, field="result")
    result = None if is_blank(result) else result
    if result is not None and len(result) > RESULT_MAX_LENGTH:
        raise DomainError(
            ErrorCode.TOO_LONG,
            f"Resultatet må højst være {RESULT_MAX_LENGTH} tegn.",
            field="result",
        )
    url = (evidence_url or "").strip() or None
    if url is not None:
        if len(url) > EVIDENCE_URL_MAX_LENGTH:
            raise DomainError(
                ErrorCode.TOO_LONG,
                f"Linket må højst være {EVIDENCE_URL_MAX_LENGTH} tegn.",
                field="evidenceUrl",
            )
        if not url.startswith(("https://", "http://")):
            raise DomainError(
                ErrorCode.INVALID,
                "Linket skal begynde med https:// eller http://.",
                field="evidenceUrl",
            )
    return result, url


def record_completion(
    session: Session,
    *,
    actor: Viewer,
    completed_at: datetime,
    enrolment_id: int | None = None,
    person_id: int | None = None,
    activity_id: int | None = None,
    result: str | None = None,
    evidence_url: str | None = None,
    outcome: CompletionOutcome = CompletionOutcome.COMPLETED,
    now: datetime | None = None,
) -> CompletionRecorded:
    """Record an activity or course completion (HR, ADMIN and the LMS account)."""
    now = now or utcnow()
    require_completion_recorder(actor)
    result, evidence_url = validate_completion(
        completed_at=completed_at, result=result, evidence_url=evidence_url, now=now
    )
    enrolment = None
    if enrolment_id is not None:
        enrolment = get_enrolment(session, enrolment_id)
        if person_id is not None and person_id != enrolment.person_id:
            raise DomainError(
                ErrorCode.INVALID,
                "Personen er ikke den, tilmeldingen tilhører.",
                field="personId",
            )
        person_id = enrolment.person_id
        refuse_before_run_start(completed_at, enrolment.course_run)
    if activity_id is None:
        if enrolment is None:
            raise DomainError(
                ErrorCode.REQUIRED,
                "Angiv enten en tilmelding eller en person og en aktivitet.",
                field="enrolmentId",
            )
        return _complete_course(
            session,
            actor=actor,
            enrolment=enrolment,
            outcome=outcome,
            completed_at=completed_at,
            result=result,
            evidence_url=evidence_url,
            now=now,
        )
    if person_id is None:
        raise DomainError(
            ErrorCode.REQUIRED,
            "Angiv personen (eller tilmeldingen), der har gennemført aktiviteten.",
            field="personId",
        )
    if outcome is not CompletionOutcome.COMPLETED:
        raise DomainError(
            ErrorCode.INVALID,
            "Kun et helt forløb kan registreres som ikke bestået; udelad aktiviteten.",
            field="outcome",
        )
    return _complete_activity(
        session,
        actor=actor,
        person_id=person_id,
        activity_id=activity_id,
        enrolment=enrolment,
        completed_at=completed_at,
        result=result,
        evidence_url=evidence_url,
        now=now,
    )


def _complete_course(
    session: Session,
    *,
    actor: Viewer,
    enrolment: Enrolment,
    outcome: CompletionOutcome,
    completed_at: datetime,
    result: str | None,
    evidence_url: str | None,
    now: datetime,
) -> CompletionRecorded:
    done = {
        CompletionOutcome.COMPLETED: EnrolmentStatus.COMPLETED,
        CompletionOutcome.FAILED: EnrolmentStatus.FAILED,
    }[outcome]
    if enrolment.status is done:
        return CompletionRecorded(enrolment=enrolment, activity_completion=None, created=False)
    action = (
        EnrolmentAction.COMPLETE if outcome is CompletionOutcome.COMPLETED else EnrolmentAction.FAIL
    )
    next_status(enrolment.status, action)  # refuse before anything is touched
    enrolment.completed_at = completed_at
    enrolment.result = result
    apply_transition(
        session,
        enrolment,
        action,
        run=enrolment.course_run,
        actor_id=actor.person_id,
        now=now,
        reason=result,
        details={"completed_at": completed_at.isoformat(), "evidence_url": evidence_url},
    )
    return CompletionRecorded(enrolment=enrolment, activity_completion=None, created=True)


def _enrolment_on_course(
    session: Session, person_id: int, course_id: int, *, started_by: datetime
) -> Enrolment | None:
    """The person's place on the course: the latest run, started by then, where they have one."""
    return session.scalar(
        select(Enrolment)
        .join(CourseRun, CourseRun.id == Enrolment.course_run_id)
        .where(
            Enrolment.person_id == person_id,
            CourseRun.course_id == course_id,
            CourseRun.starts_at <= started_by,
            Enrolment.status.in_(PLACE_STATUSES),
        )
        .order_by(CourseRun.starts_at.desc(), Enrolment.id.desc())
        .limit(1)
    )


def _existing(session: Session, person_id: int, activity_id: int) -> ActivityCompletion | None:
    return session.scalar(
        select(ActivityCompletion).where(
            ActivityCompletion.person_id == person_id,
            ActivityCompletion.activity_id == activity_id,
        )
    )


def _complete_activity(
    session: Session,
    *,
    actor: Viewer,
    person_id: int,
    activity_id: int,
    enrolment: Enrolment | None,
    completed_at: datetime,
    result: str | None,
    evidence_url: str | None,
    now: datetime,
) -> CompletionRecorded:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Aktiviteten findes ikke.", field="activityId")
    if enrolment is not None and enrolment.course_run.course_id != activity.course_id:
        raise DomainError(
            ErrorCode.INVALID,
            "Aktiviteten hører ikke til tilmeldingens kursus.",
            field="activityId",
        )
    if session.get(Person, person_id) is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Personen findes ikke.", field="personId")
    existing = _existing(session, person_id, activity_id)
    if existing is not None:
        return _no_op(session, existing)
    if enrolment is None:
        enrolment = _enrolment_on_course(
            session, person_id, activity.course_id, started_by=completed_at + CLOCK_SKEW
        )
    source = completion_source(actor)
    completion = ActivityCompletion(
        person_id=person_id,
        activity_id=activity_id,
        enrolment_id=enrolment.id if enrolment else None,
        completed_at=completed_at,
        result=result,
        evidence_url=evidence_url,
        source=source,
    )
    try:
        with session.begin_nested():
            session.add(completion)
    except IntegrityError:
        # The same completion arrived at the same moment over another connection.
        existing = _existing(session, person_id, activity_id)
        if existing is None:
            raise
        return _no_op(session, existing)
    record_change(
        session,
        **completion_change(
            actor_id=actor.person_id,
            completion_id=completion.id,
            person_id=person_id,
            course_id=activity.course_id,
            activity_id=activity_id,
            enrolment_id=enrolment.id if enrolment else None,
            source=source,
            completed_at=completed_at,
            result=result,
            evidence_url=evidence_url,
            now=now,
        ),
    )
    if enrolment is not None:
        _roll_up(session, enrolment, actor_id=actor.person_id, now=now)
    return CompletionRecorded(enrolment=enrolment, activity_completion=completion, created=True)


def completion_change(
    *,
    actor_id: int,
    completion_id: int,
    person_id: int,
    course_id: int,
    activity_id: int,
    enrolment_id: int | None,
    source: ChangeSource,
    completed_at: datetime,
    result: str | None,
    evidence_url: str | None,
    now: datetime,
    reported_for: int | None = None,
) -> AuditChange:
    """The audit entry of a new activity completion, the same from every path.

    ``reported_for`` is the enrolment the LMS reported a completion against that
    lies before its run's start, so it was recorded without it.
    """
    return AuditChange(
        actor_id=actor_id,
        entity_type="ActivityCompletion",
        entity_id=completion_id,
        action=AuditAction.COMPLETION_RECORDED,
        from_state=None,
        to_state=EnrolmentStatus.COMPLETED.value,
        reason=result,
        person_id=person_id,
        course_id=course_id,
        details={
            "activity_id": activity_id,
            "enrolment_id": enrolment_id,
            "without_enrolment": enrolment_id is None,
            "source": source.value,
            "completed_at": completed_at.isoformat(),
            "evidence_url": evidence_url,
        }
        | (
            {"before_run_start": True, "reported_for_enrolment_id": reported_for}
            if reported_for
            else {}
        ),
        at=now,
    )


def _no_op(session: Session, existing: ActivityCompletion) -> CompletionRecorded:
    enrolment = session.get(Enrolment, existing.enrolment_id) if existing.enrolment_id else None
    return CompletionRecorded(enrolment=enrolment, activity_completion=existing, created=False)


def roll_up_action(status: EnrolmentStatus, *, required: int, done: int) -> EnrolmentAction | None:
    """The course's rule after activity completions: complete, start, or leave it be."""
    if status not in ROLL_UP_STATUSES:
        return None
    if required and done == required:
        return EnrolmentAction.COMPLETE
    if status is not EnrolmentStatus.IN_PROGRESS:
        return EnrolmentAction.START
    return None


ROLL_UP_REASONS = {
    EnrolmentAction.COMPLETE: "Alle obligatoriske aktiviteter er gennemført.",
    EnrolmentAction.START: "Den første aktivitet er gennemført.",
}


def _roll_up(session: Session, enrolment: Enrolment, *, actor_id: int, now: datetime) -> None:
    """Apply the course's rule after an activity completion."""
    if enrolment.status not in ROLL_UP_STATUSES:
        return
    run = enrolment.course_run
    done = required_progress(
        session, person_ids=[enrolment.person_id], course_ids=[run.course_id]
    ).of(enrolment.person_id, run.course_id)
    action = roll_up_action(enrolment.status, required=done.required, done=done.done)
    if action is None:
        return
    if action is EnrolmentAction.COMPLETE:
        enrolment.completed_at = done.last_done
    apply_transition(
        session,
        enrolment,
        action,
        run=run,
        actor_id=actor_id,
        now=now,
        reason=ROLL_UP_REASONS[action],
    )
