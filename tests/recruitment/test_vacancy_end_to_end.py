"""A vacancy from approved profile to the hired leader's first dialogue, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    AuditLogEntry,
    CandidateStatus,
    Dialogue,
    DialogueAdaptation,
    DialogueCycle,
    DialogueSide,
    JobProfileStatus,
    Person,
    Recommendation,
    Role,
)
from catalogue.services.audit import AuditAction
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.recruitment import calibration, candidates, hand_over, scorecards
from tests.enrolment.factories import Org, viewer
from tests.recruitment.factories import CHOICES, Vacancy, clear, submit

#: Member index -> scores of the first candidate; K3.4 lies 2 apart (1 against 3).
BIRGITTE = [
    {"K1.5": 3, "K3.1": 3, "K3.4": 1, "K5.2": 2, "K6.2": 4, "K2.2": 2, "K4.6": 3, "K4.5": 1},
    {"K1.5": 3, "K3.1": 4, "K3.4": 3, "K5.2": 3, "K6.2": 4, "K2.2": 2, "K4.6": 3, "K4.5": 1},
    {"K1.5": 3, "K3.1": 3, "K3.4": 3, "K5.2": 3, "K6.2": 3, "K2.2": 2, "K4.6": 3, "K4.5": 1},
]


def test_a_vacancy_runs_from_profile_to_the_new_leaders_first_dialogue(
    session: Session, org: Org, vacancy: Vacancy, cycle: DialogueCycle
) -> None:
    assert vacancy.job_profile.status is JobProfileStatus.IN_USE
    birgitte, jonas = vacancy.candidates
    for person in vacancy.people:
        clear(session, vacancy, person)

    # Blind: the first member to submit sees only their own, the second only after submitting.
    submit(session, vacancy, vacancy.people[0], birgitte, BIRGITTE[0])
    peer = viewer(vacancy.people[1])
    scorecards.save_scorecard(
        session,
        actor=peer,
        candidate_id=birgitte.id,
        round_number=1,
        scores=[scorecards.ScoreInput("K1.5", 3)],
        now=vacancy.after_interview,
    )
    seen = scorecards.visible_scorecards(
        session, actor=peer, candidate_id=birgitte.id, round_number=1
    )
    assert [card.member_id for card in seen] == [vacancy.members[1].id]
    with pytest.raises(DomainError) as refused:
        calibration.calibration(session, actor=peer, candidate_id=birgitte.id, round_number=1)
    assert refused.value.code is ErrorCode.FORBIDDEN
    submit(session, vacancy, vacancy.people[1], birgitte, BIRGITTE[1])
    seen = scorecards.visible_scorecards(
        session, actor=peer, candidate_id=birgitte.id, round_number=1
    )
    assert sorted(card.member_id for card in seen) == sorted(m.id for m in vacancy.members[:2])
    submit(session, vacancy, vacancy.people[2], birgitte, BIRGITTE[2])
    for person in vacancy.people:
        submit(
            session,
            vacancy,
            person,
            jonas,
            dict.fromkeys(BIRGITTE[0], 3),
            Recommendation.NO,
        )

    hr = viewer(org.hr)
    calibrated = calibration.calibration(
        session, actor=hr, candidate_id=birgitte.id, round_number=1
    )
    by_key = {s.statement_key: s for s in calibrated.statements}
    assert [s.statement_key for s in calibrated.statements] == [k for k, _ in CHOICES]
    assert by_key["K3.4"].spread == 2
    assert by_key["K3.1"].spread == 1
    assert calibrated.missing_notes == ["K3.4"]

    # The recommendation waits for the shared note on K3.4.
    with pytest.raises(DomainError) as waiting:
        calibration.record_recommendation(
            session,
            actor=hr,
            candidate_id=birgitte.id,
            recommendation=Recommendation.YES,
            reason="Stærk på samarbejde.",
        )
    assert waiting.value.code is ErrorCode.REQUIRED
    assert "K3.4" in waiting.value.message
    session.refresh(birgitte)
    assert birgitte.committee_recommendation is None

    calibration.save_note(
        session,
        actor=viewer(vacancy.chef),
        candidate_id=birgitte.id,
        round_number=1,
        statement_key="K3.4",
        note="Eksemplet om sammenlægningen viste styring, men kun lidt inddragelse; vi enes om 2.",
        agreed_score=2,
    )
    calibrated = calibration.calibration(
        session, actor=hr, candidate_id=birgitte.id, round_number=1
    )
    assert calibrated.missing_notes == []
    # MUST 3 × (3 + 10/3 + 2 + 8/3 + 11/3) + IMPORTANT 2 × (2 + 3) + NICE 1 × 1 = 55 of 80.
    assert calibrated.fit_score == pytest.approx(68.75, abs=0.05)
    jonas_fit = calibration.calibration(session, actor=hr, candidate_id=jonas.id, round_number=1)
    assert jonas_fit.fit_score == 75.0
    calibration.record_recommendation(
        session,
        actor=hr,
        candidate_id=birgitte.id,
        recommendation=Recommendation.YES,
        reason="Bedst til sammenlægningen; skal udvikle inddragelsen i forandringer.",
    )

    handed = hand_over.hire(session, actor=hr, candidate_id=birgitte.id, cycle_id=cycle.id)

    person = session.get(Person, handed.person_id)
    assert person is not None
    assert (person.name, person.email) == ("Birgitte Ærø", "birgitte.aeroe@kandidat.example")
    assert person.manager_id == vacancy.chef.id
    assert Role.LEADER in person.roles
    session.refresh(birgitte)
    assert birgitte.status is CandidateStatus.HIRED
    dialogue = session.get(Dialogue, handed.dialogue_id)
    assert dialogue is not None
    assert (dialogue.leader_id, dialogue.chef_id, dialogue.cycle_id) == (
        person.id,
        vacancy.chef.id,
        cycle.id,
    )
    start = {
        row.statement.key: row
        for row in session.scalars(
            select(DialogueAdaptation).where(
                DialogueAdaptation.dialogue_id == dialogue.id,
                DialogueAdaptation.side == DialogueSide.START,
            )
        )
    }
    expected = {"MUST": 3, "IMPORTANT": 2, "NICE": 1}
    assert {k: row.importance for k, row in start.items()} == {
        key: expected[priority.value] for key, priority in CHOICES
    }
    # Lowest settled MUST scores first: K3.4 agreed 2, K5.2 mean 8/3, K1.5 mean 3.
    assert handed.focus_candidates == ["K3.4", "K5.2", "K1.5"]
    assert "Forslag til fokus" in start["K3.4"].rationale
    assert "Forslag til fokus" not in start["K2.2"].rationale

    hired = session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.action == AuditAction.CANDIDATE_HIRED.value)
    ).all()
    assert [entry.entity_id for entry in hired] == [birgitte.id]


def test_every_read_of_a_candidate_is_in_the_audit_log(
    session: Session, org: Org, vacancy: Vacancy
) -> None:
    birgitte, _ = vacancy.candidates
    clear(session, vacancy, vacancy.people[1])
    before = session.scalars(
        select(AuditLogEntry.actor_id).where(
            AuditLogEntry.action == AuditAction.CANDIDATE_READ.value,
            AuditLogEntry.entity_id == birgitte.id,
        )
    ).all()
    candidates.read_candidate(session, actor=viewer(vacancy.people[1]), candidate_id=birgitte.id)
    listed = candidates.list_candidates(
        session, actor=viewer(org.hr), job_profile_id=vacancy.job_profile.id
    )
    assert [c.id for c in listed] == [c.id for c in vacancy.candidates]
    after = session.scalars(
        select(AuditLogEntry.actor_id).where(
            AuditLogEntry.action == AuditAction.CANDIDATE_READ.value,
            AuditLogEntry.entity_id == birgitte.id,
        )
    ).all()
    assert sorted(after) == sorted([*before, vacancy.people[1].id, org.hr.id])
