"""A leader's data in the later domains (LUS, evaluation, web logins, directory), as stored rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    ActionKind,
    ActionStatus,
    AnswerChoice,
    CalibrationNote,
    Candidate,
    CandidateStatus,
    CommitteeMember,
    CommitteeRole,
    CompetenceField,
    CompetenceProfile,
    ConflictDeclaration,
    CycleStatus,
    DevelopmentAction,
    Dialogue,
    DialogueAdaptation,
    DialogueAssessment,
    DialogueCycle,
    DialogueFocus,
    DialogueReminderSent,
    DialogueSide,
    DialogueSnapshot,
    DialogueStatus,
    Evaluatee,
    EvaluationAnswerSet,
    EvaluationComment,
    EvaluationInvitation,
    EvaluationRating,
    EvaluationRound,
    JobProfile,
    LoginSession,
    ManagerPeriod,
    Person,
    Recommendation,
    RecruitmentHandOver,
    RespondentGroup,
    RoleGroup,
    RoleGroupMember,
    RoundStatus,
    Scorecard,
    StatementScore,
)
from catalogue.models.base import utcnow
from catalogue.services.profiles import statement_by_key
from tests.enrolment.factories import Org

#: Words only this leader's records hold; none may be left anywhere after the erasure.
SECRETS = {
    "rationale": "Birtes hemmelige begrundelse for vigtigheden",
    "comment": "Birte vurderer sig selv svag i konflikter",
    "goal": "Birte vil turde tage konflikten med Ulla",
    "criteria": "Birte har holdt tre svære samtaler",
    "action": "Birte læser bogen om svære samtaler",
    "status_reason": "Birte blev syg i foråret",
    "summary": "Referat: Birte og chefen talte om hendes skilsmisse",
    "place": "Birtes køkken i Vejle",
    "follow_up": "Birte er kommet godt videre",
    "reopen": "Birte bad om at genåbne",
    "evaluation": "Birte lytter aldrig til os i personalegruppen",
}


@dataclass(frozen=True)
class Domains:
    cycle: DialogueCycle
    dialogue: Dialogue
    action: DevelopmentAction
    round: EvaluationRound
    evaluatee: Evaluatee
    invitation: EvaluationInvitation
    group: RoleGroup


def _profile(session: Session) -> CompetenceProfile:
    statement = statement_by_key(session, "K1.1")
    assert statement is not None
    profile = session.get(CompetenceProfile, statement.profile_id)
    assert profile is not None
    return profile


def leader_in_the_later_domains(
    session: Session,
    org: Org,
    leader: Person,
    *,
    cycle_status: CycleStatus = CycleStatus.CLOSED,
    dialogue_status: DialogueStatus = DialogueStatus.CLOSED,
    round_status: RoundStatus = RoundStatus.RELEASED,
    chef: Person | None = None,
) -> Domains:
    """A held and closed dialogue with a plan, a released evaluation, logins, history, groups."""
    now = utcnow()
    today = date.today()
    profile = _profile(session)
    statement = statement_by_key(session, "K1.1")
    assert statement is not None
    cycle = DialogueCycle(
        year=2025,
        title="LUS 2025",
        profile_id=profile.id,
        status=cycle_status,
        opens_on=today - timedelta(days=300),
        preparation_due=today - timedelta(days=280),
        meeting_from=today - timedelta(days=270),
        meeting_until=today - timedelta(days=200),
        closes_on=today + timedelta(days=10),
        created_by_id=org.hr.id,
    )
    session.add(cycle)
    session.flush()
    dialogue = Dialogue(
        cycle_id=cycle.id,
        leader_id=leader.id,
        chef_id=(chef or org.chef).id,
        status=dialogue_status,
        meeting_at=now - timedelta(days=250),
        meeting_place=SECRETS["place"],
        held_at=now - timedelta(days=250),
        summary=SECRETS["summary"],
        agreed_at=now - timedelta(days=249),
        follow_up_note=SECRETS["follow_up"],
        reopen_reason=SECRETS["reopen"],
    )
    session.add(dialogue)
    session.flush()
    session.add_all(
        [
            DialogueAdaptation(
                dialogue_id=dialogue.id,
                statement_id=statement.id,
                side=DialogueSide.AGREED,
                importance=3,
                rationale=SECRETS["rationale"],
            ),
            DialogueAssessment(
                dialogue_id=dialogue.id,
                statement_id=statement.id,
                side=DialogueSide.LEADER,
                score=2,
                comment=SECRETS["comment"],
            ),
        ]
    )
    focus = DialogueFocus(
        dialogue_id=dialogue.id,
        statement_id=statement.id,
        position=1,
        goal=SECRETS["goal"],
        success_criteria=SECRETS["criteria"],
    )
    session.add(focus)
    session.flush()
    action = DevelopmentAction(
        focus_id=focus.id,
        kind=ActionKind.READING,
        description=SECRETS["action"],
        owner_id=leader.id,
        due_on=today - timedelta(days=30),
        status=ActionStatus.NOT_DONE,
        status_reason=SECRETS["status_reason"],
    )
    session.add(action)
    session.flush()
    session.add_all(
        [
            DialogueSnapshot(
                dialogue_id=dialogue.id,
                number=1,
                taken_at=now - timedelta(days=249),
                content={
                    "profile_version": profile.version,
                    "summary": SECRETS["summary"],
                    "adaptation": {"K1.1": {"importance": 3, "rationale": SECRETS["rationale"]}},
                    "assessments": {
                        "self": {"K1.1": {"score": 2, "comment": SECRETS["comment"]}},
                        "chef": {},
                    },
                    "focus": [
                        {
                            "statement": "K1.1",
                            "goal": SECRETS["goal"],
                            "success_criteria": SECRETS["criteria"],
                            "actions": [{"kind": "READING", "description": SECRETS["action"]}],
                        }
                    ],
                },
            ),
            DialogueReminderSent(
                dialogue_id=dialogue.id,
                kind="PREPARATION",
                recipient=leader.email,
                sent_at=now - timedelta(days=285),
            ),
        ]
    )
    round_ = EvaluationRound(
        name="Ledelsesevaluering 2025",
        profile_id=profile.id,
        status=round_status,
        opens_on=today - timedelta(days=100),
        closes_at=now - timedelta(days=80),
        released_at=now - timedelta(days=70) if round_status is RoundStatus.RELEASED else None,
        created_by_id=org.hr.id,
    )
    session.add(round_)
    session.flush()
    evaluatee = Evaluatee(round_id=round_.id, person_id=leader.id)
    session.add(evaluatee)
    session.flush()
    invitation = EvaluationInvitation(
        evaluatee_id=evaluatee.id,
        group=RespondentGroup.SELF,
        email=leader.email,
        person_id=leader.id,
        token_hash="b" * 64,
        proposed_by_id=org.chef.id,
    )
    answers = EvaluationAnswerSet(evaluatee_id=evaluatee.id, group=RespondentGroup.EMPLOYEE)
    session.add_all([invitation, answers])
    session.flush()
    field = session.scalars(
        select(CompetenceField).where(CompetenceField.profile_id == profile.id)
    ).first()
    assert field is not None
    session.add_all(
        [
            EvaluationRating(
                answer_set_id=answers.id,
                statement_id=statement.id,
                choice=AnswerChoice.SCORE,
                score=4,
            ),
            EvaluationComment(
                evaluatee_id=evaluatee.id,
                group=RespondentGroup.EMPLOYEE,
                field_id=field.id,
                text=SECRETS["evaluation"],
            ),
        ]
    )
    group = RoleGroup(display_name=f"KK-Ledere-{leader.id}", role="LEADER")
    session.add(group)
    session.flush()
    session.add_all(
        [
            RoleGroupMember(group_id=group.id, person_id=leader.id),
            LoginSession(
                token_hash=f"{leader.id:064d}",
                person_id=leader.id,
                roles="LEADER",
                method="oidc",
                created_at=now - timedelta(days=2),
                last_seen_at=now - timedelta(days=1),
            ),
            ManagerPeriod(
                person_id=leader.id, manager_id=org.chef.id, valid_from=now - timedelta(days=400)
            ),
        ]
    )
    session.flush()
    return Domains(cycle, dialogue, action, round_, evaluatee, invitation, group)


#: What only the hired leader's candidacy and her own committee seat hold.
RECRUITMENT_SECRETS = {
    "reason": "Birte var stærkest på konflikthåndtering",
    "evidence": "Birte fortalte om fyringen i Horsens",
    "overall": "Birte virker ærlig men nervøs",
    "calibration": "Birtes svar om ledelse var tyndt",
    "conflict": "Birte er gift med kandidatens bror",
}


@dataclass(frozen=True)
class Recruitment:
    job_profile: JobProfile
    candidate: Candidate
    scorecard: Scorecard
    own_seat: CommitteeMember


def leader_hired_through_recruitment(session: Session, org: Org, leader: Person) -> Recruitment:
    """Birte was a candidate the chef hired, and later sat on a committee herself."""
    now = utcnow()
    profile = _profile(session)
    statement = statement_by_key(session, "K1.1")
    assert statement is not None
    job = JobProfile(
        position_title="Dagtilbudsleder, Vestbyen",
        profile_id=profile.id,
        hiring_chef_id=org.chef.id,
        created_by_id=org.hr.id,
    )
    later = JobProfile(
        position_title="Afdelingsleder, Østbyen",
        profile_id=profile.id,
        hiring_chef_id=org.chef.id,
    )
    session.add_all([job, later])
    session.flush()
    chef_seat = CommitteeMember(
        job_profile_id=job.id, person_id=org.chef.id, role=CommitteeRole.HIRING_CHEF
    )
    own_seat = CommitteeMember(
        job_profile_id=later.id,
        person_id=leader.id,
        role=CommitteeRole.PEER,
        confidentiality_confirmed_at=now,
        conflicts_declared_at=now,
    )
    candidate = Candidate(
        job_profile_id=job.id,
        name=leader.name,
        email=leader.email,
        ats_reference="ATS-4711",
        status=CandidateStatus.HIRED,
        committee_recommendation=Recommendation.STRONG_YES,
        committee_reason=RECRUITMENT_SECRETS["reason"],
        hired_person_id=leader.id,
    )
    other = Candidate(
        job_profile_id=later.id, name="Anden Ansøger", email="anden@example.org", ats_reference="A2"
    )
    session.add_all([chef_seat, own_seat, candidate, other])
    session.flush()
    scorecard = Scorecard(
        candidate_id=candidate.id,
        member_id=chef_seat.id,
        round=1,
        recommendation=Recommendation.YES,
        overall_note=RECRUITMENT_SECRETS["overall"],
        submitted_at=now,
    )
    session.add(scorecard)
    session.flush()
    session.add_all(
        [
            StatementScore(
                scorecard_id=scorecard.id,
                statement_id=statement.id,
                score=3,
                evidence=RECRUITMENT_SECRETS["evidence"],
            ),
            CalibrationNote(
                candidate_id=candidate.id,
                round=1,
                statement_id=statement.id,
                note=RECRUITMENT_SECRETS["calibration"],
                agreed_score=3,
                author_id=org.chef.id,
            ),
            ConflictDeclaration(
                member_id=own_seat.id,
                candidate_id=other.id,
                note=RECRUITMENT_SECRETS["conflict"],
                declared_at=now,
            ),
            RecruitmentHandOver(
                candidate_id=candidate.id,
                person_id=leader.id,
                focus_candidates=["K1.1"],
                prepared_at=now,
            ),
        ]
    )
    session.flush()
    return Recruitment(job, candidate, scorecard, own_seat)
