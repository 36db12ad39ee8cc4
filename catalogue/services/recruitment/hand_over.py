"""Hand-over: the hired candidate becomes a person and their first dialogue is prepared.

The candidate needs a positive committee recommendation. They become a leader in
the catalogue (or the existing person with that e-mail, for an internal candidate),
reporting to the hiring chef, and get a dialogue in the open cycle whose starting
adaptation is the job profile's priorities (MUST 3, IMPORTANT 2, NICE 1). The MUST
statements with the lowest settled scores of the latest round (agreed score, else
the mean) are proposed as focus candidates: they are stored on the hand-over and
named in the starting rationale, so the chef and the new leader meet them first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    Candidate,
    CandidateStatus,
    CycleStatus,
    Dialogue,
    DialogueCycle,
    DialogueStatus,
    Person,
    Priority,
    Recommendation,
    RecruitmentHandOver,
)
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.dialogue.cycles import write_start
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.profiles import statements_by_key
from catalogue.services.recruitment.access import by_id, get_candidate, require_manager
from catalogue.services.recruitment.calibration import Calibration, build_calibration
from catalogue.services.recruitment.guides import ROUNDS

PRIORITY_IMPORTANCE = {Priority.MUST: 3, Priority.IMPORTANT: 2, Priority.NICE: 1}
PRIORITY_LABELS = {Priority.MUST: "SKAL", Priority.IMPORTANT: "VIGTIG", Priority.NICE: "KAN"}
MAX_FOCUS_CANDIDATES = 3
POSITIVE = (Recommendation.STRONG_YES, Recommendation.YES)


def focus_candidates(calibrated: Calibration) -> list[tuple[str, float]]:
    """(statement key, settled score) of the lowest MUST statements, lowest first."""
    musts = [
        (s.statement_key, s.settled_score)
        for s in calibrated.statements
        if s.priority is Priority.MUST and s.settled_score is not None
    ]
    ranked = sorted(
        ((key, score) for key, score in musts if score is not None), key=lambda item: item[1]
    )
    return ranked[:MAX_FOCUS_CANDIDATES]


def _person_for(session: Session, candidate: Candidate, title: str, chef: Person) -> Person:
    person = session.scalar(select(Person).where(Person.email == candidate.email))
    if person is None:
        person = Person(email=candidate.email, name=candidate.name, is_leader=True)
        session.add(person)
    person.title = title
    person.manager_id = chef.id
    person.org_unit_id = person.org_unit_id or chef.org_unit_id
    person.is_leader = True
    person.active = True
    session.flush()
    return person


def hire(
    session: Session,
    *,
    actor: Viewer,
    candidate_id: int,
    cycle_id: int,
    now: datetime | None = None,
) -> RecruitmentHandOver:
    """Mark the candidate hired, make them a person and prepare their first dialogue."""
    now = now or utcnow()
    candidate, job_profile, _ = get_candidate(session, actor, candidate_id)
    require_manager(session, actor, job_profile)
    if candidate.status is not CandidateStatus.ACTIVE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "Kandidaten er allerede ansat eller ikke længere i forløbet.",
            field="candidateId",
        )
    if candidate.committee_recommendation not in POSITIVE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "Udvalget skal have anbefalet kandidaten, før vedkommende kan ansættes.",
            field="candidateId",
        )
    cycle = by_id(session, DialogueCycle, cycle_id)
    if cycle is None or cycle.status is not CycleStatus.OPEN:
        raise DomainError(
            ErrorCode.INVALID,
            "Den første samtale kræver en åben samtalerunde; runden findes ikke eller er ikke "
            "åben.",
            field="cycleId",
        )
    chef = job_profile.hiring_chef
    person = _person_for(session, candidate, job_profile.position_title, chef)
    if person.id == chef.id:
        raise DomainError(
            ErrorCode.INVALID, "Den ansatte kan ikke være sin egen chef.", field="candidateId"
        )
    rounds = [build_calibration(session, job_profile, candidate, r) for r in ROUNDS]
    latest = next((c for c in reversed(rounds) if c.scorecards), rounds[0])
    proposed = focus_candidates(latest)
    by_key = statements_by_key(session, cycle.profile_id)
    low = dict(proposed)
    start: dict[int, tuple[int, str]] = {}
    for row in job_profile.statements:
        statement = by_key.get(row.statement.key)
        if statement is None:
            continue
        rationale = (
            f"Fra jobprofilen {job_profile.position_title}: {PRIORITY_LABELS[row.priority]}."
        )
        if row.statement.key in low:
            rationale += (
                f" Forslag til fokus: laveste score ved ansættelsen ({low[row.statement.key]:.1f})."
            )
        start[statement.id] = (PRIORITY_IMPORTANCE[row.priority], rationale)
    dialogue = session.scalar(
        select(Dialogue).where(Dialogue.cycle_id == cycle.id, Dialogue.leader_id == person.id)
    )
    if dialogue is None:
        dialogue = Dialogue(
            cycle_id=cycle.id, leader_id=person.id, chef_id=chef.id, status=DialogueStatus.INVITED
        )
        session.add(dialogue)
        session.flush()
        record_change(
            session,
            actor_id=actor.person_id,
            entity_type="Dialogue",
            entity_id=dialogue.id,
            action=AuditAction.DIALOGUE_INVITED,
            to_state=DialogueStatus.INVITED.value,
            person_id=person.id,
            details={"cycle_id": cycle.id, "chef_id": chef.id, "from_candidate": candidate.id},
            at=now,
        )
    write_start(session, dialogue, start)
    candidate.status = CandidateStatus.HIRED
    candidate.hired_person_id = person.id
    hand_over = RecruitmentHandOver(
        candidate_id=candidate.id,
        person_id=person.id,
        dialogue_id=dialogue.id,
        focus_candidates=[key for key, _ in proposed],
        prepared_at=now,
    )
    session.add(hand_over)
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Candidate",
        entity_id=candidate.id,
        action=AuditAction.CANDIDATE_HIRED,
        from_state=CandidateStatus.ACTIVE.value,
        to_state=CandidateStatus.HIRED.value,
        person_id=person.id,
        details={"dialogue_id": dialogue.id, "focus_candidates": hand_over.focus_candidates},
        at=now,
    )
    session.flush()
    return hand_over
