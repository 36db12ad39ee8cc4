"""The question bank covers all 39 statements, and the demo has one vacancy mid-way."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    Candidate,
    InterviewQuestion,
    JobProfile,
    JobProfileStatus,
    Scorecard,
)
from catalogue.seeding.question_bank import QuestionBankSeed, QuestionSeed, load_question_bank
from catalogue.services.errors import DomainError
from catalogue.services.profiles import current_profile, statements_by_key
from catalogue.services.recruitment.calibration import build_calibration


def test_the_question_bank_has_a_behavioural_question_for_every_statement(
    session: Session,
) -> None:
    profile = current_profile(session)
    assert profile is not None
    keys = set(statements_by_key(session, profile.id))
    assert len(keys) == 39
    bank = session.scalars(select(InterviewQuestion)).all()
    assert {q.statement_key for q in bank} == keys
    for question in bank:
        assert question.question.startswith("Fortæl om"), question.statement_key
        assert question.probes, question.statement_key
        assert question.good_evidence
        assert question.weak_evidence
    assert len({q.question for q in bank}) == 39


def test_a_bank_naming_an_unknown_statement_is_refused_and_a_reseed_keeps_hr_edits(
    session: Session,
) -> None:
    entry = QuestionSeed(question="Fortæl om en gang hvor …", probes=["Hvad?"], good="g", weak="w")
    with pytest.raises(DomainError, match=r"K9\.9"):
        load_question_bank(session, QuestionBankSeed(questions={"K9.9": entry}))
    edited = session.scalars(
        select(InterviewQuestion).where(InterviewQuestion.statement_key == "K1.1")
    ).one()
    edited.question = "Fortæl om en gang hvor HR har rettet spørgsmålet."
    session.flush()
    assert load_question_bank(session, QuestionBankSeed(questions={"K1.1": entry})) == 0
    session.refresh(edited)
    assert edited.question == "Fortæl om en gang hvor HR har rettet spørgsmålet."


def test_the_demo_vacancy_waits_for_its_calibration_note(session: Session) -> None:
    job_profile = session.scalar(
        select(JobProfile).where(JobProfile.position_title.like("Afdelingsleder, Område Nord%"))
    )
    assert job_profile is not None
    assert job_profile.status is JobProfileStatus.IN_USE
    found = session.scalars(
        select(Candidate).where(Candidate.job_profile_id == job_profile.id).order_by(Candidate.id)
    ).all()
    assert len(found) == 2
    submitted = session.scalars(
        select(Scorecard).where(Scorecard.candidate_id.in_([c.id for c in found]))
    ).all()
    assert len(submitted) == 2
    assert all(card.submitted_at is not None for card in submitted)
    assert build_calibration(session, job_profile, found[0], 1).missing_notes == ["K3.4"]
