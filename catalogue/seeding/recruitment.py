"""The demo vacancy: one recruitment mid-way, moved through the same services as people use.

HR creates the job profile, the hiring chef approves it, the round-1 guide is built
from the question bank and locked, the committee confirms and declares, candidates
are added and interviewed, and some scorecards are submitted; the calibration is
left for the committee. Idempotent: a vacancy of the same title is left as it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import InterviewQuestion, JobProfile, Person, Role
from catalogue.seeding.schema import DemoSeed
from catalogue.services.calendar import LOCAL_TZ
from catalogue.services.identity import Viewer
from catalogue.services.recruitment import candidates, committee, guides, job_profiles, scorecards
from catalogue.services.recruitment.guides import GuideQuestionInput
from catalogue.services.recruitment.job_profiles import StatementChoice
from catalogue.services.recruitment.scorecards import ScoreInput

MINUTES_PER_QUESTION = 6


def _viewer(person: Person) -> Viewer:
    return Viewer(person_id=person.id, email=person.email, roles=person.roles)


def load_vacancy(session: Session, seed: DemoSeed, *, today: date) -> int:
    """Create the demo vacancy if it is not there; returns 1 if it was created."""
    vacancy = seed.vacancy
    if vacancy is None:
        return 0
    if session.scalar(
        select(JobProfile.id).where(JobProfile.position_title == vacancy.position_title)
    ):
        return 0
    hr_person = session.scalars(
        select(Person).where(Person.holds_any([Role.HR])).order_by(Person.id)
    ).first()
    people = {p.email: p for p in session.scalars(select(Person))}
    if hr_person is None:
        return 0
    hr = _viewer(hr_person)
    chef = people[vacancy.hiring_chef]
    job_profile = job_profiles.create_job_profile(
        session,
        actor=hr,
        position_title=vacancy.position_title,
        hiring_chef_id=chef.id,
        org_unit_id=chef.org_unit_id,
        context=vacancy.context,
    )
    job_profiles.set_statements(
        session,
        actor=hr,
        job_profile_id=job_profile.id,
        choices=[
            StatementChoice(s.statement, s.priority, s.behaviour, s.rationale)
            for s in vacancy.statements
        ],
    )
    job_profiles.approve(session, actor=_viewer(chef), job_profile_id=job_profile.id)
    bank = {q.statement_key: q.id for q in session.scalars(select(InterviewQuestion))}
    guides.save_guide(
        session,
        actor=hr,
        job_profile_id=job_profile.id,
        round_number=1,
        questions=[
            GuideQuestionInput(
                s.statement, MINUTES_PER_QUESTION, bank_question_id=bank[s.statement]
            )
            for s in vacancy.statements
        ],
    )
    interview_day = today + timedelta(days=vacancy.interviews_in_days)
    starts_at = datetime.combine(interview_day, time(9, 0), LOCAL_TZ).astimezone(UTC)
    # The guide is locked before the interviews, as the rule asks.
    guides.lock_guide(
        session,
        actor=hr,
        job_profile_id=job_profile.id,
        round_number=1,
        now=starts_at - timedelta(days=1),
    )
    for member in vacancy.committee:
        person = people[member.person]
        committee.add_member(
            session, actor=hr, job_profile_id=job_profile.id, person_id=person.id, role=member.role
        )
        committee.confirm_confidentiality(
            session, actor=_viewer(person), job_profile_id=job_profile.id
        )
        committee.declare_conflicts(
            session, actor=_viewer(person), job_profile_id=job_profile.id, conflicts=[]
        )
    by_reference = {}
    for index, entry in enumerate(vacancy.candidates):
        candidate = candidates.add_candidate(
            session,
            actor=hr,
            job_profile_id=job_profile.id,
            name=entry.name,
            email=entry.email,
            ats_reference=entry.reference,
        )
        candidates.schedule_interview(
            session,
            actor=hr,
            candidate_id=candidate.id,
            round_number=1,
            starts_at=starts_at + timedelta(hours=index),
            now=starts_at - timedelta(days=1),
        )
        by_reference[entry.reference] = (candidate, starts_at + timedelta(hours=index))
    for card in vacancy.scorecards:
        candidate, at = by_reference[card.candidate]
        scorecards.save_scorecard(
            session,
            actor=_viewer(people[card.member]),
            candidate_id=candidate.id,
            round_number=1,
            scores=[ScoreInput(key, score, "") for key, score in card.scores.items()],
            recommendation=card.recommendation,
            overall_note=card.overall_note,
            submit=True,
            now=at + timedelta(hours=1),
        )
    session.flush()
    return 1
