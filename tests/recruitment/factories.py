"""A vacancy made to measure: profile approved, guide locked, two candidates, three members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    Candidate,
    CommitteeMember,
    CommitteeRole,
    InterviewQuestion,
    JobProfile,
    Person,
    Priority,
    Recommendation,
)
from catalogue.models.base import utcnow
from catalogue.services.recruitment import candidates, committee, guides, job_profiles, scorecards
from catalogue.services.recruitment.guides import GuideQuestionInput
from catalogue.services.recruitment.job_profiles import StatementChoice
from catalogue.services.recruitment.scorecards import ScoreInput
from tests.enrolment.factories import Org, viewer

#: The vacancy's choice: five MUST, two IMPORTANT, one NICE.
CHOICES = (
    ("K1.5", Priority.MUST),
    ("K3.1", Priority.MUST),
    ("K3.4", Priority.MUST),
    ("K5.2", Priority.MUST),
    ("K6.2", Priority.MUST),
    ("K2.2", Priority.IMPORTANT),
    ("K4.6", Priority.IMPORTANT),
    ("K4.5", Priority.NICE),
)
KEYS = tuple(key for key, _ in CHOICES)


@dataclass
class Vacancy:
    job_profile: JobProfile
    chef: Person
    hr: Person
    members: list[CommitteeMember]
    people: list[Person]
    candidates: list[Candidate]
    interview_at: datetime

    @property
    def after_interview(self) -> datetime:
        return self.interview_at + timedelta(hours=2)


def choices() -> list[StatementChoice]:
    return [
        StatementChoice(
            statement_key=key,
            priority=priority,
            behaviour=f"Adfærd vi ser efter ved {key} i denne stilling.",
            rationale="Afgørende for enheden lige nu." if priority is Priority.MUST else "",
        )
        for key, priority in CHOICES
    ]


def bank_questions(session: Session) -> list[GuideQuestionInput]:
    bank = {q.statement_key: q for q in session.scalars(select(InterviewQuestion))}
    return [
        GuideQuestionInput(statement_key=key, minutes=5, bank_question_id=bank[key].id)
        for key in KEYS
    ]


def approved_profile(session: Session, org: Org) -> JobProfile:
    hr = viewer(org.hr)
    job_profile = job_profiles.create_job_profile(
        session,
        actor=hr,
        position_title="Dagtilbudsleder, Dagtilbud Solsikken",
        hiring_chef_id=org.chef.id,
        context="Et dagtilbud med 80 børn og 20 medarbejdere, midt i en sammenlægning.",
    )
    job_profiles.set_statements(session, actor=hr, job_profile_id=job_profile.id, choices=choices())
    return job_profiles.approve(session, actor=viewer(org.chef), job_profile_id=job_profile.id)


def vacancy_with_committee(session: Session, org: Org, *, lock: bool = True) -> Vacancy:
    """The hiring chef, a peer and an employee representative, all cleared, none conflicted."""
    hr = viewer(org.hr)
    job_profile = approved_profile(session, org)
    guides.save_guide(
        session,
        actor=hr,
        job_profile_id=job_profile.id,
        round_number=1,
        questions=bank_questions(session),
    )
    if lock:
        guides.lock_guide(session, actor=hr, job_profile_id=job_profile.id, round_number=1)
    people = [org.chef, org.peer, org.other_leader]
    roles = [CommitteeRole.HIRING_CHEF, CommitteeRole.PEER, CommitteeRole.EMPLOYEE_REPRESENTATIVE]
    members = [
        committee.add_member(
            session, actor=hr, job_profile_id=job_profile.id, person_id=p.id, role=r
        )
        for p, r in zip(people, roles, strict=True)
    ]
    found = [
        candidates.add_candidate(
            session,
            actor=hr,
            job_profile_id=job_profile.id,
            name=name,
            email=email,
            ats_reference=reference,
        )
        for name, email, reference in (
            ("Birgitte Ærø", "birgitte.aeroe@kandidat.example", "EM-1001"),
            ("Jonas Østergård", "jonas.oestergaard@kandidat.example", "EM-1002"),
        )
    ]
    interview_at = utcnow() + timedelta(days=1)
    for candidate in found:
        candidates.schedule_interview(
            session, actor=hr, candidate_id=candidate.id, round_number=1, starts_at=interview_at
        )
    return Vacancy(job_profile, org.chef, org.hr, members, people, found, interview_at)


def clear(session: Session, vacancy: Vacancy, person: Person, conflicts: list[int] = []) -> None:  # noqa: B006
    actor = viewer(person)
    committee.confirm_confidentiality(session, actor=actor, job_profile_id=vacancy.job_profile.id)
    committee.declare_conflicts(
        session,
        actor=actor,
        job_profile_id=vacancy.job_profile.id,
        conflicts=[committee.ConflictInput(candidate_id=c) for c in conflicts],
    )


def submit(
    session: Session,
    vacancy: Vacancy,
    person: Person,
    candidate: Candidate,
    scores: dict[str, int],
    recommendation: Recommendation = Recommendation.YES,
) -> None:
    scorecards.save_scorecard(
        session,
        actor=viewer(person),
        candidate_id=candidate.id,
        round_number=1,
        scores=[
            ScoreInput(statement_key=k, score=s, evidence=f"Eksempel fra samtalen om {k}.")
            for k, s in scores.items()
        ],
        recommendation=recommendation,
        submit=True,
        now=vacancy.after_interview,
    )
