"""Bad input to recruitment: clear Danish errors naming the field, and nothing stored changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    Candidate,
    CommitteeMember,
    CommitteeRole,
    GuideQuestion,
    JobProfileStatement,
    Priority,
    Recommendation,
    Scorecard,
)
from catalogue.services.errors import DomainError, DomainValidationError, ErrorCode
from catalogue.services.recruitment import (
    candidates,
    committee,
    guides,
    job_profiles,
    scorecards,
)
from catalogue.services.recruitment.guides import GuideQuestionInput
from catalogue.services.recruitment.job_profiles import StatementChoice
from catalogue.services.recruitment.scorecards import ScoreInput
from tests.enrolment.factories import Org, viewer
from tests.recruitment.factories import KEYS, Vacancy, choices, clear


def refused(call: Callable[[], object]) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def problems(error: DomainError) -> list[tuple[str | None, ErrorCode]]:
    errors = error.errors if isinstance(error, DomainValidationError) else [error]
    return [(e.field, e.code) for e in errors]


def count(session: Session, model: type[object]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def cards(session: Session, vacancy: Vacancy) -> int:
    ids = [c.id for c in vacancy.candidates]
    return session.scalar(select(func.count()).where(Scorecard.candidate_id.in_(ids))) or 0


def of_vacancy(
    session: Session, model: type[Candidate] | type[CommitteeMember], vacancy: Vacancy
) -> int:
    return (
        session.scalar(select(func.count()).where(model.job_profile_id == vacancy.job_profile.id))
        or 0
    )


def test_an_eighth_must_is_refused_and_the_draft_keeps_its_choice(
    session: Session, org: Org
) -> None:
    hr = viewer(org.hr)
    draft = job_profiles.create_job_profile(
        session, actor=hr, position_title="Afdelingsleder", hiring_chef_id=org.chef.id
    )
    job_profiles.set_statements(session, actor=hr, job_profile_id=draft.id, choices=choices())
    stored = count(session, JobProfileStatement)
    eight = [
        StatementChoice(key, Priority.MUST, behaviour="Synlig adfærd.")
        for key in ("K1.1", "K1.2", "K1.3", "K1.4", "K1.5", "K1.6", "K1.7", "K1.8")
    ]
    error = refused(
        lambda: job_profiles.set_statements(
            session, actor=hr, job_profile_id=draft.id, choices=eight
        )
    )
    assert problems(error) == [("statements", ErrorCode.INVALID)]
    assert "Højst 7 udsagn kan være SKAL (fik 8)" in error.message
    session.expire_all()
    assert count(session, JobProfileStatement) == stored


def test_every_problem_of_a_choice_is_reported_at_once(session: Session, org: Org) -> None:
    hr = viewer(org.hr)
    draft = job_profiles.create_job_profile(
        session, actor=hr, position_title="Afdelingsleder", hiring_chef_id=org.chef.id
    )
    error = refused(
        lambda: job_profiles.set_statements(
            session,
            actor=hr,
            job_profile_id=draft.id,
            choices=[
                StatementChoice("K9.9", Priority.NICE),
                StatementChoice("K1.1", Priority.MUST, behaviour=""),
                StatementChoice("K1.1", Priority.NICE),
                StatementChoice("K1.2", Priority.NICE, rationale="ond\x00tekst"),
                StatementChoice("K1.3", Priority.NICE, rationale="x" * 5000),
            ],
        )
    )
    assert problems(error) == [
        ("statements[0].statementKey", ErrorCode.NOT_FOUND),
        ("statements[1].behaviour", ErrorCode.REQUIRED),
        ("statements[2].statementKey", ErrorCode.DUPLICATE),
        ("statements[3].rationale", ErrorCode.INVALID),
        ("statements[4].rationale", ErrorCode.TOO_LONG),
    ]


def test_only_the_hiring_chef_approves_and_an_approved_profile_is_frozen(
    session: Session, org: Org
) -> None:
    hr = viewer(org.hr)
    draft = job_profiles.create_job_profile(
        session, actor=hr, position_title="Afdelingsleder", hiring_chef_id=org.chef.id
    )
    assert (
        refused(
            lambda: job_profiles.approve(session, actor=viewer(org.chef), job_profile_id=draft.id)
        ).field
        == "statements"
    )
    job_profiles.set_statements(session, actor=hr, job_profile_id=draft.id, choices=choices())
    assert (
        refused(lambda: job_profiles.approve(session, actor=hr, job_profile_id=draft.id)).code
        is ErrorCode.FORBIDDEN
    )
    job_profiles.approve(session, actor=viewer(org.chef), job_profile_id=draft.id)
    again = refused(
        lambda: job_profiles.approve(session, actor=viewer(org.chef), job_profile_id=draft.id)
    )
    assert again.code is ErrorCode.INVALID_TRANSITION
    assert "fordi den er godkendt" in again.message
    frozen = refused(
        lambda: job_profiles.set_statements(
            session, actor=hr, job_profile_id=draft.id, choices=choices()[:1]
        )
    )
    assert frozen.code is ErrorCode.INVALID_TRANSITION
    assert len(draft.statements) == len(KEYS)


def test_a_locked_guide_cannot_be_edited(session: Session, vacancy: Vacancy) -> None:
    hr = viewer(vacancy.hr)
    stored = [(q.statement_id, q.question) for q in session.scalars(select(GuideQuestion)).all()]
    error = refused(
        lambda: guides.save_guide(
            session,
            actor=hr,
            job_profile_id=vacancy.job_profile.id,
            round_number=1,
            questions=[GuideQuestionInput("K1.5", 10, question="Et nyt spørgsmål?")],
        )
    )
    assert (error.field, error.code) == ("round", ErrorCode.INVALID_TRANSITION)
    assert "låst" in error.message
    session.expire_all()
    assert [
        (q.statement_id, q.question) for q in session.scalars(select(GuideQuestion)).all()
    ] == stored


def test_a_guide_is_not_locked_without_a_question_for_every_must(
    session: Session, org: Org
) -> None:
    from tests.recruitment.factories import approved_profile

    hr = viewer(org.hr)
    job_profile = approved_profile(session, org)
    guides.save_guide(
        session,
        actor=hr,
        job_profile_id=job_profile.id,
        round_number=1,
        questions=[GuideQuestionInput("K1.5", 10, question="Fortæl om en konflikt.")],
    )
    error = refused(
        lambda: guides.lock_guide(session, actor=hr, job_profile_id=job_profile.id, round_number=1)
    )
    assert error.field == "questions"
    assert "K3.1, K3.4, K5.2, K6.2" in error.message
    bad = refused(
        lambda: guides.save_guide(
            session,
            actor=hr,
            job_profile_id=job_profile.id,
            round_number=3,
            questions=[GuideQuestionInput("K1.5", 10, question="?")],
        )
    )
    assert bad.field == "round"
    many = refused(
        lambda: guides.save_guide(
            session,
            actor=hr,
            job_profile_id=job_profile.id,
            round_number=1,
            questions=[
                GuideQuestionInput("K7.1", 0, question="\u200b"),
                GuideQuestionInput("K1.5", 61, bank_question_id=999_999),
            ],
        )
    )
    assert problems(many) == [
        ("questions[0].statementKey", ErrorCode.NOT_FOUND),
        ("questions[0].minutes", ErrorCode.INVALID),
        ("questions[0].question", ErrorCode.REQUIRED),
        ("questions[1].minutes", ErrorCode.INVALID),
        ("questions[1].bankQuestionId", ErrorCode.NOT_FOUND),
    ]


def test_a_scorecard_before_the_interview_is_refused(session: Session, vacancy: Vacancy) -> None:
    person = vacancy.people[1]
    clear(session, vacancy, person)
    error = refused(
        lambda: scorecards.save_scorecard(
            session,
            actor=viewer(person),
            candidate_id=vacancy.candidates[0].id,
            round_number=1,
            scores=[ScoreInput("K1.5", 3)],
            now=vacancy.interview_at - timedelta(minutes=1),
        )
    )
    assert (error.field, error.code) == ("round", ErrorCode.INVALID_TRANSITION)
    assert "når samtalen er begyndt" in error.message
    assert cards(session, vacancy) == 0


def test_a_scorecard_by_someone_outside_the_committee_is_refused(
    session: Session, org: Org, vacancy: Vacancy
) -> None:
    for outsider in (org.leader, org.director, org.other_chef):
        error = refused(
            lambda outsider=outsider: scorecards.save_scorecard(
                session,
                actor=viewer(outsider),
                candidate_id=vacancy.candidates[0].id,
                round_number=1,
                scores=[ScoreInput("K1.5", 3)],
                now=vacancy.after_interview,
            )
        )
        assert (error.field, error.code) == ("candidateId", ErrorCode.NOT_FOUND)
    hr_alone = refused(
        lambda: scorecards.save_scorecard(
            session,
            actor=viewer(org.hr),
            candidate_id=vacancy.candidates[0].id,
            round_number=1,
            scores=[ScoreInput("K1.5", 3)],
            now=vacancy.after_interview,
        )
    )
    assert hr_alone.code is ErrorCode.FORBIDDEN
    assert "Kun medlemmer af ansættelsesudvalget" in hr_alone.message
    assert cards(session, vacancy) == 0


def test_a_member_with_a_conflict_cannot_see_or_score_that_candidate(
    session: Session, vacancy: Vacancy
) -> None:
    birgitte, jonas = vacancy.candidates
    person = vacancy.people[2]
    actor = viewer(person)
    uncleared = refused(
        lambda: candidates.read_candidate(session, actor=actor, candidate_id=birgitte.id)
    )
    assert uncleared.code is ErrorCode.FORBIDDEN
    assert "tavshedspligten" in uncleared.message
    clear(session, vacancy, person, conflicts=[birgitte.id])
    assert [
        c.id
        for c in candidates.list_candidates(
            session, actor=actor, job_profile_id=vacancy.job_profile.id
        )
    ] == [jonas.id]
    error = refused(
        lambda: scorecards.save_scorecard(
            session,
            actor=actor,
            candidate_id=birgitte.id,
            round_number=1,
            scores=[ScoreInput("K1.5", 3)],
            now=vacancy.after_interview,
        )
    )
    assert (error.field, error.code) == ("candidateId", ErrorCode.FORBIDDEN)
    assert "interessekonflikt" in error.message
    assert cards(session, vacancy) == 0


def test_bad_scores_and_a_second_submission_are_refused(session: Session, vacancy: Vacancy) -> None:
    person = vacancy.people[0]
    clear(session, vacancy, person)
    actor = viewer(person)
    candidate = vacancy.candidates[0]
    error = refused(
        lambda: scorecards.save_scorecard(
            session,
            actor=actor,
            candidate_id=candidate.id,
            round_number=1,
            scores=[
                ScoreInput("K1.5", 5),
                ScoreInput("K1.5", 3),
                ScoreInput("K7.4", 2),
                ScoreInput("K3.1", 0, evidence="\x1b[31m"),
            ],
            submit=True,
            now=vacancy.after_interview,
        )
    )
    assert problems(error) == [
        ("scores[0].score", ErrorCode.INVALID),
        ("scores[1].statementKey", ErrorCode.DUPLICATE),
        ("scores[2].statementKey", ErrorCode.NOT_FOUND),
        ("scores[3].score", ErrorCode.INVALID),
        ("scores[3].evidence", ErrorCode.INVALID),
        ("scores", ErrorCode.REQUIRED),
        ("recommendation", ErrorCode.REQUIRED),
    ]
    assert cards(session, vacancy) == 0
    full = [ScoreInput(k, 3) for k in KEYS]

    def submit_full() -> object:
        return scorecards.save_scorecard(
            session,
            actor=actor,
            candidate_id=candidate.id,
            round_number=1,
            scores=full,
            recommendation=Recommendation.YES,
            submit=True,
            now=vacancy.after_interview,
        )

    submit_full()
    second = refused(submit_full)
    assert second.code is ErrorCode.INVALID_TRANSITION
    assert "allerede afleveret" in second.message
    assert cards(session, vacancy) == 1


def test_the_same_member_or_candidate_twice_and_unknown_ids(
    session: Session, org: Org, vacancy: Vacancy
) -> None:
    hr = viewer(org.hr)
    job_profile_id = vacancy.job_profile.id
    twice = refused(
        lambda: committee.add_member(
            session,
            actor=hr,
            job_profile_id=job_profile_id,
            person_id=vacancy.people[1].id,
            role=CommitteeRole.OTHER,
        )
    )
    assert twice.code is ErrorCode.DUPLICATE
    ghost = refused(
        lambda: committee.add_member(
            session,
            actor=hr,
            job_profile_id=job_profile_id,
            person_id=999_999,
            role=CommitteeRole.OTHER,
        )
    )
    assert (ghost.field, ghost.code) == ("personId", ErrorCode.NOT_FOUND)
    assert of_vacancy(session, CommitteeMember, vacancy) == 3
    same_ref = refused(
        lambda: candidates.add_candidate(
            session,
            actor=hr,
            job_profile_id=job_profile_id,
            name="",
            email="ikke en mail",
            ats_reference="EM-1001",
        )
    )
    assert problems(same_ref) == [
        ("name", ErrorCode.REQUIRED),
        ("email", ErrorCode.INVALID),
        ("atsReference", ErrorCode.DUPLICATE),
    ]
    assert of_vacancy(session, Candidate, vacancy) == 2
    for forged in (0, -1, 2**31):
        missing = refused(
            lambda forged=forged: candidates.read_candidate(session, actor=hr, candidate_id=forged)
        )
        assert (missing.field, missing.code) == ("candidateId", ErrorCode.NOT_FOUND)
    unknown_profile = refused(
        lambda: committee.add_member(
            session,
            actor=hr,
            job_profile_id=999_999,
            person_id=org.peer.id,
            role=CommitteeRole.PEER,
        )
    )
    assert unknown_profile.message == "Jobprofilen findes ikke."
