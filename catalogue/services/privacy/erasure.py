"""Erasing a person's personal data (GDPR art. 17), refused while they have open obligations.

An open obligation is something others still count on: a place on a run that has
not finished (the seat, the waiting list, the chef's approval), people who have
the person as their manager, a dialogue of an open cycle that is not closed (the
chef still works on it with them) or an open evaluation round they are evaluated
in (the respondents are still answering). Erasing then would leave a seat nobody
can free, a team without a chef or a chef's work half gone, so it is refused with
the reason, unless an ADMIN forces it: the open places are then withdrawn as on
any withdrawal (the seat goes to the waiting list), the open dialogue and
evaluation lose their texts as any erased one does, and the reports keep their
manager link to the anonymised person until the directory gives them a new one.

The erasure is audited by what was done (counts, forced or not, by whom), never
by what was erased: the entry repeats no name, address or text of the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    CourseRun,
    CycleStatus,
    Dialogue,
    DialogueCycle,
    DialogueStatus,
    Enrolment,
    Evaluatee,
    EvaluationRound,
    Person,
    RoundStatus,
)
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.capabilities import Capability
from catalogue.services.enrolments import OPEN_PLACE_STATUSES
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.privacy.areas import AREAS
from catalogue.services.text_rules import clean_text, is_blank

REASON_MAX_LENGTH = 500
FORCED_WITHDRAWAL_REASON = "Personens data er slettet efter databeskyttelsesreglerne."


@dataclass(frozen=True)
class OpenObligations:
    open_runs: list[str] = field(default_factory=list)
    active_reports: int = 0
    #: The person's dialogues as leader in an open cycle that are not closed yet.
    open_dialogues: list[str] = field(default_factory=list)
    #: Open evaluation rounds the person is evaluated in (answers are still coming in).
    open_rounds: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.open_runs or self.active_reports or self.open_dialogues or self.open_rounds
        )

    def describe(self) -> str:
        parts = []
        if self.open_runs:
            parts.append(
                f"en åben plads på {len(self.open_runs)} hold, der ikke er afsluttet "
                f"({', '.join(self.open_runs)})"
            )
        if self.active_reports:
            parts.append(f"{self.active_reports} aktive medarbejdere med personen som leder")
        if self.open_dialogues:
            parts.append(
                f"{len(self.open_dialogues)} lederudviklingssamtale(r), der ikke er afsluttet "
                f"({', '.join(self.open_dialogues)})"
            )
        if self.open_rounds:
            parts.append(f"en åben ledelsesevaluering ({', '.join(self.open_rounds)})")
        return " og ".join(parts)


@dataclass(frozen=True)
class Erasure:
    """What an erasure did, by area: the counts the audit entry holds as well."""

    person: Person
    erased_at: datetime
    forced: bool
    withdrawn_enrolments: int
    counts: dict[str, int]


def open_obligations(session: Session, person_id: int, *, now: datetime) -> OpenObligations:
    runs = session.scalars(
        select(CourseRun.code)
        .join(Enrolment, Enrolment.course_run_id == CourseRun.id)
        .where(
            Enrolment.person_id == person_id,
            Enrolment.status.in_(OPEN_PLACE_STATUSES),
            CourseRun.cancelled_at.is_(None),
            CourseRun.ends_at > now,
        )
        .order_by(CourseRun.starts_at, CourseRun.code)
    ).all()
    reports = session.scalar(
        select(func.count())
        .select_from(Person)
        .where(Person.manager_id == person_id, Person.active.is_(True))
    )
    dialogues = session.scalars(
        select(DialogueCycle.title)
        .join(Dialogue, Dialogue.cycle_id == DialogueCycle.id)
        .where(
            Dialogue.leader_id == person_id,
            Dialogue.status != DialogueStatus.CLOSED,
            DialogueCycle.status == CycleStatus.OPEN,
        )
        .order_by(DialogueCycle.year, DialogueCycle.id)
    ).all()
    rounds = session.scalars(
        select(EvaluationRound.name)
        .join(Evaluatee, Evaluatee.round_id == EvaluationRound.id)
        .where(Evaluatee.person_id == person_id, EvaluationRound.status == RoundStatus.OPEN)
        .order_by(EvaluationRound.id)
    ).all()
    return OpenObligations(
        open_runs=list(runs),
        active_reports=int(reports or 0),
        open_dialogues=list(dialogues),
        open_rounds=list(rounds),
    )


def _clean_reason(reason: str | None) -> str | None:
    if reason is None:
        return None
    text, problem = clean_text(reason, label="Begrundelsen", multiline=True)
    if problem is not None:
        raise DomainError(problem.code, problem.message, field="reason")
    if len(text) > REASON_MAX_LENGTH:
        raise DomainError(
            ErrorCode.TOO_LONG,
            f"Begrundelsen må højst have {REASON_MAX_LENGTH} tegn (den har {len(text)}).",
            field="reason",
        )
    return None if is_blank(text) else text


def _locked_person(session: Session, person_id: int) -> Person:
    """The person's row, locked: two erasures of one person run one after the other."""
    person = session.scalar(
        select(Person)
        .where(Person.id == person_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if person is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Personen findes ikke.", field="personId")
    return person


def _withdraw_open_places(session: Session, actor: Viewer, person_id: int, now: datetime) -> int:
    open_ids = session.scalars(
        select(Enrolment.id)
        .join(CourseRun, CourseRun.id == Enrolment.course_run_id)
        .where(
            Enrolment.person_id == person_id,
            Enrolment.status.in_(OPEN_PLACE_STATUSES),
            CourseRun.cancelled_at.is_(None),
            CourseRun.ends_at > now,
        )
        .order_by(Enrolment.id)
    ).all()
    for enrolment_id in open_ids:
        enrolments.withdraw(
            session,
            actor=actor,
            enrolment_id=enrolment_id,
            reason=FORCED_WITHDRAWAL_REASON,
            now=now,
        )
    return len(open_ids)


def erase_person(
    session: Session,
    *,
    actor: Viewer | None,
    person_id: int,
    force: bool = False,
    reason: str | None = None,
    now: datetime | None = None,
) -> Erasure:
    """Anonymise ``person_id`` in every area; ``actor`` None is the retention schedule.

    Only an actor with ``people.erase`` forces past open obligations; the schedule never does.
    """
    now = now or utcnow()
    text = _clean_reason(reason)
    if actor is not None and actor.person_id == person_id:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Du kan ikke slette dine egne data; bed en anden administrator om det.",
            field="personId",
        )
    if force and (actor is None or not actor.can(Capability.PEOPLE_ERASE)):
        raise DomainError(
            ErrorCode.FORBIDDEN, "Kun en administrator kan gennemtvinge en sletning.", field="force"
        )
    person = _locked_person(session, person_id)
    if person.erased_at is not None:
        raise DomainError(
            ErrorCode.ALREADY_ERASED,
            f"Personens data blev slettet {person.erased_at:%d.%m.%Y kl. %H:%M} (UTC); "
            "der er intet at slette.",
            field="personId",
        )
    obligations = open_obligations(session, person_id, now=now)
    if obligations and not force:
        raise DomainError(
            ErrorCode.OPEN_OBLIGATIONS,
            f"Personens data kan ikke slettes endnu: personen har {obligations.describe()}. "
            "Afmeld eller flyt dem først, eller gennemtving sletningen (force).",
            field="personId",
        )
    withdrawn = 0
    if obligations.open_runs:
        assert actor is not None  # force was checked above
        withdrawn = _withdraw_open_places(session, actor, person_id, now)
    session.flush()
    counts = {area.name: area.erase(session, person_id) for area in AREAS}
    person.erased_at = now
    record_change(
        session,
        actor_id=actor.person_id if actor is not None else None,
        person_id=person_id,
        entity_type="Person",
        entity_id=person_id,
        action=AuditAction.PERSON_ERASED,
        reason=text,
        details={
            "forced": bool(obligations) and force,
            "source": "ADMIN" if actor is not None else "RETENTION",
            "withdrawn_enrolments": withdrawn,
            "active_reports": obligations.active_reports,
            "open_dialogues": len(obligations.open_dialogues),
            "open_rounds": len(obligations.open_rounds),
            "erased": {name: count for name, count in counts.items() if count},
        },
        at=now,
    )
    session.flush()
    return Erasure(
        person=person,
        erased_at=now,
        forced=bool(obligations) and force,
        withdrawn_enrolments=withdrawn,
        counts=counts,
    )
