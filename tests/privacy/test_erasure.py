"""Erasure: refused while obligations are open, forced by ADMIN, nothing personal left."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    ActionStatus,
    ActivityCompletion,
    AuditLogEntry,
    Base,
    Candidate,
    CandidateStatus,
    CommitteeMember,
    CycleStatus,
    DevelopmentAction,
    Dialogue,
    DialogueAssessment,
    DialogueCycle,
    DialogueReminderSent,
    DialogueSnapshot,
    DialogueStatus,
    Enrolment,
    EnrolmentStatus,
    EvaluationAnswerSet,
    EvaluationComment,
    EvaluationInvitation,
    EvaluationRating,
    EvaluationRound,
    InvitationStatus,
    LoginSession,
    ManagerPeriod,
    Person,
    Recommendation,
    Role,
    RoleGroup,
    RoleGroupMember,
    RoundStatus,
    StatementScore,
)
from catalogue.models.base import utcnow
from catalogue.models.enrolment import enrolment_focus
from catalogue.services import enrolments
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.privacy.areas import AREAS, ERASED_NAME, erased_email
from catalogue.services.privacy.erasure import erase_person
from catalogue.services.tokens import AuthenticationError, viewer_from_token
from catalogue.settings import Settings
from tests.api.tokens import token_for
from tests.enrolment.factories import Org, make_run, new_leader, stored_enrolment, viewer
from tests.privacy.domains import (
    RECRUITMENT_SECRETS,
    SECRETS,
    Domains,
    leader_hired_through_recruitment,
    leader_in_the_later_domains,
)
from tests.privacy.history import EVIDENCE, MOTIVATION, History, leader_with_history


@pytest.fixture
def history(session: Session, org: Org) -> History:
    return leader_with_history(session, org)


def _admin(org: Org) -> Any:
    return viewer(org.admin, Role.ADMIN)


def _without_open_places(session: Session, history: History) -> None:
    enrolments.withdraw(
        session, actor=viewer(history.leader), enrolment_id=history.upcoming.id, reason="Flytter"
    )


def test_the_areas_cover_every_reference_to_a_person() -> None:
    """A new table with a person in it fails here until an area exports and erases it."""
    covered = {column for area in AREAS for column in area.columns}
    references = {
        f"{table.name}.{fk.parent.name}"
        for table in Base.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "person"
    }
    assert references <= covered, references - covered


def test_erasure_is_refused_while_a_place_on_a_coming_run_is_open(
    session: Session, org: Org, history: History
) -> None:
    with pytest.raises(DomainError) as refused:
        erase_person(session, actor=_admin(org), person_id=history.leader.id)
    assert refused.value.code is ErrorCode.OPEN_OBLIGATIONS
    assert refused.value.field == "personId"
    assert history.upcoming_run.code in refused.value.message
    assert "gennemtving" in refused.value.message
    session.refresh(history.leader)
    assert history.leader.name.startswith("Birte Bøgh")
    assert history.leader.erased_at is None


def test_erasure_is_refused_while_people_have_the_person_as_manager(
    session: Session, org: Org
) -> None:
    reports = session.scalar(
        select(func.count()).where(Person.manager_id == org.chef.id, Person.active.is_(True))
    )
    with pytest.raises(DomainError) as refused:
        erase_person(session, actor=_admin(org), person_id=org.chef.id)
    assert refused.value.code is ErrorCode.OPEN_OBLIGATIONS
    assert f"{reports} aktive medarbejdere med personen som leder" in refused.value.message


def test_a_finished_run_is_no_obligation(session: Session, org: Org, history: History) -> None:
    _without_open_places(session, history)
    erased = erase_person(session, actor=_admin(org), person_id=history.leader.id)
    assert not erased.forced
    assert erased.withdrawn_enrolments == 0


def test_forced_erasure_withdraws_the_open_place_and_the_seat_goes_to_the_waiting_list(
    session: Session, org: Org, history: History
) -> None:
    waiting = new_leader(session, org.chef, "Venter")
    queued = enrolments.enrol(session, actor=viewer(waiting), course_run_id=history.upcoming_run.id)
    assert queued.status is EnrolmentStatus.WAITLISTED

    erased = erase_person(
        session, actor=_admin(org), person_id=history.leader.id, force=True, reason="Sag 2026-17"
    )
    assert erased.forced
    assert erased.withdrawn_enrolments == 1
    session.refresh(history.upcoming)
    session.refresh(queued)
    assert history.upcoming.status is EnrolmentStatus.WITHDRAWN
    assert queued.status is EnrolmentStatus.ENROLLED


def test_forcing_needs_the_erase_capability(session: Session, org: Org, history: History) -> None:
    with pytest.raises(DomainError) as refused:
        erase_person(
            session, actor=viewer(org.hr, Role.HR), person_id=history.leader.id, force=True
        )
    assert refused.value.code is ErrorCode.FORBIDDEN
    assert refused.value.field == "force"


def _every_text_in_the_database(session: Session) -> str:
    """Every value of every row, so nothing personal can hide in a column we forgot."""
    parts = []
    for table in Base.metadata.sorted_tables:
        for row in session.execute(select(table)):
            parts.append(repr(tuple(row)))
    return "\n".join(parts)


def test_erasure_leaves_nothing_personal_anywhere_and_keeps_the_figures(
    session: Session, org: Org, history: History
) -> None:
    leader = history.leader
    name, email = leader.name, leader.email
    _without_open_places(session, history)
    run_ids = [history.finished_run.id, history.upcoming_run.id]
    enrolments_before = session.scalar(
        select(func.count()).where(Enrolment.course_run_id.in_(run_ids))
    )
    completions_before = session.scalar(
        select(func.count()).where(ActivityCompletion.person_id == leader.id)
    )
    audit_before = session.scalar(select(func.count()).select_from(AuditLogEntry))
    by_others = session.scalars(
        select(AuditLogEntry.id).where(
            AuditLogEntry.person_id == leader.id, AuditLogEntry.actor_id == org.hr.id
        )
    ).all()
    assert by_others  # HR recorded the completion
    statuses = sorted(
        e.status.value
        for e in session.scalars(select(Enrolment).where(Enrolment.person_id == leader.id))
    )
    session.commit()  # a savepoint of the test's transaction: what follows reads stored rows
    assert name in _every_text_in_the_database(session)

    erased = erase_person(session, actor=_admin(org), person_id=leader.id, reason="Sag 2026-17")
    session.flush()
    session.expire_all()

    stored = _every_text_in_the_database(session)
    for personal in (name, email, MOTIVATION, EVIDENCE, "Bestået", "Flytter"):
        assert personal not in stored, personal
    person = session.get(Person, leader.id)
    assert person is not None
    assert (person.name, person.title, person.lms_user_id) == (ERASED_NAME, "", None)
    assert person.email == f"slettet-{leader.id}@slettet.invalid"
    assert person.roles == frozenset()
    assert (person.active, person.org_unit_id, person.manager_id) == (False, None, None)
    assert person.erased_at == erased.erased_at
    assert person.deactivated_at is not None
    # The figures: every enrolment still counts in its run, every completion in its course.
    assert (
        session.scalar(select(func.count()).where(Enrolment.course_run_id.in_(run_ids)))
        == enrolments_before
    )
    assert statuses == sorted(
        e.status.value
        for e in session.scalars(select(Enrolment).where(Enrolment.person_id == leader.id))
    )
    assert (
        session.scalar(select(func.count()).where(ActivityCompletion.person_id == leader.id))
        == completions_before
    )
    focus = session.scalar(
        select(func.count())
        .select_from(enrolment_focus)
        .where(enrolment_focus.c.enrolment_id == history.finished.id)
    )
    assert focus == 0
    # The log keeps what happened and who did it, plus one entry for the erasure.
    assert session.scalar(select(func.count()).select_from(AuditLogEntry)) == audit_before + 1
    kept = session.scalars(select(AuditLogEntry).where(AuditLogEntry.id.in_(by_others))).all()
    assert {entry.actor_id for entry in kept} == {org.hr.id}
    entry = session.scalars(
        select(AuditLogEntry).where(
            AuditLogEntry.person_id == leader.id, AuditLogEntry.action == "PERSON_ERASED"
        )
    ).one()
    assert entry.actor_id == org.admin.id
    assert entry.reason == "Sag 2026-17"
    assert entry.details["forced"] is False
    assert entry.details["erased"]["enrolments"] == 2


def test_the_chefs_own_records_stay_when_a_leader_is_erased(session: Session, org: Org) -> None:
    leader = new_leader(session, org.chef, "Godkendt")
    run = make_run(session, approval_required=True)
    request = enrolments.enrol(session, actor=viewer(leader), course_run_id=run.id)
    enrolments.approve(session, actor=viewer(org.chef, Role.CHEF), enrolment_id=request.id)
    enrolments.withdraw(session, actor=viewer(leader), enrolment_id=request.id)
    erase_person(session, actor=_admin(org), person_id=leader.id)
    approval = session.scalars(
        select(AuditLogEntry).where(
            AuditLogEntry.person_id == leader.id, AuditLogEntry.action == "ENROLMENT_APPROVED"
        )
    ).one()
    assert approval.actor_id == org.chef.id
    session.refresh(org.chef)
    assert org.chef.name != ERASED_NAME


def test_erasing_twice_says_it_is_done_already(
    session: Session, org: Org, history: History
) -> None:
    _without_open_places(session, history)
    erase_person(session, actor=_admin(org), person_id=history.leader.id)
    entries = session.scalar(select(func.count()).select_from(AuditLogEntry))
    with pytest.raises(DomainError) as again:
        erase_person(session, actor=_admin(org), person_id=history.leader.id, force=True)
    assert again.value.code is ErrorCode.ALREADY_ERASED
    assert "blev slettet" in again.value.message
    assert session.scalar(select(func.count()).select_from(AuditLogEntry)) == entries


@pytest.mark.parametrize(
    ("reason", "code", "says"),
    [
        ("Sag\x00 17", ErrorCode.INVALID, "styretegn"),
        ("x" * 501, ErrorCode.TOO_LONG, "højst have 500 tegn"),
        ("\u202eSag", ErrorCode.INVALID, "skriveretningen"),
    ],
    ids=["NUL", "too long", "bidi override"],
)
def test_a_bad_reason_is_refused_before_anything_is_erased(
    session: Session, org: Org, history: History, reason: str, code: ErrorCode, says: str
) -> None:
    _without_open_places(session, history)
    with pytest.raises(DomainError) as refused:
        erase_person(session, actor=_admin(org), person_id=history.leader.id, reason=reason)
    assert (refused.value.code, refused.value.field) == (code, "reason")
    assert says in refused.value.message
    session.refresh(history.leader)
    assert history.leader.erased_at is None


def test_unknown_people_and_oneself_cannot_be_erased(session: Session, org: Org) -> None:
    with pytest.raises(DomainError) as unknown:
        erase_person(session, actor=_admin(org), person_id=2_000_000_000)
    assert unknown.value.code is ErrorCode.NOT_FOUND
    with pytest.raises(DomainError) as own:
        erase_person(session, actor=_admin(org), person_id=org.admin.id)
    assert own.value.code is ErrorCode.FORBIDDEN
    assert "dine egne data" in own.value.message


def test_an_erased_persons_old_token_is_refused(
    session: Session, org: Org, history: History, settings: Settings
) -> None:
    token = token_for(settings, history.leader, Role.LEADER)
    _without_open_places(session, history)
    erase_person(session, actor=_admin(org), person_id=history.leader.id)
    session.flush()
    with pytest.raises(AuthenticationError, match="findes ikke i kataloget"):
        viewer_from_token(session, settings, token)


def test_a_stored_waitlisted_place_on_a_cancelled_run_is_no_obligation(
    session: Session, org: Org
) -> None:
    leader = new_leader(session, org.chef, "Aflyst")
    run = make_run(session)
    stored_enrolment(session, run, leader, EnrolmentStatus.WAITLISTED)
    run.cancelled_at = utcnow()
    session.flush()
    assert erase_person(session, actor=_admin(org), person_id=leader.id).withdrawn_enrolments == 0


def _dialogue_and_evaluation_texts(session: Session, domains: Domains) -> dict[str, Any]:
    dialogue = session.get(Dialogue, domains.dialogue.id)
    assert dialogue is not None
    return {
        "status": dialogue.status,
        "heldAt": dialogue.held_at,
        "texts": (
            dialogue.meeting_place,
            dialogue.summary,
            dialogue.follow_up_note,
            dialogue.reopen_reason,
        ),
    }


def test_erasure_blanks_the_leaders_dialogue_and_evaluation_words_and_keeps_the_figures(
    session: Session, org: Org, history: History
) -> None:
    leader = history.leader
    name, email = leader.name, leader.email
    _without_open_places(session, history)
    domains = leader_in_the_later_domains(session, org, leader)
    session.commit()
    before = _every_text_in_the_database(session)
    for secret in SECRETS.values():
        assert secret in before, secret

    erased = erase_person(session, actor=_admin(org), person_id=leader.id)
    session.flush()
    session.expire_all()

    stored = _every_text_in_the_database(session)
    for personal in (name, email, *SECRETS.values()):
        assert personal not in stored, personal
    # HR's figures: the dialogue's status, dates and scores, the evaluation's ratings.
    shown = _dialogue_and_evaluation_texts(session, domains)
    assert shown["status"] is DialogueStatus.CLOSED
    assert shown["heldAt"] is not None
    assert shown["texts"] == ("", "", "", None)
    assessment = session.scalars(
        select(DialogueAssessment).where(DialogueAssessment.dialogue_id == domains.dialogue.id)
    ).one()
    assert (assessment.score, assessment.comment) == (2, "")
    action = session.get(DevelopmentAction, domains.action.id)
    assert action is not None
    assert (action.status, action.owner_id, action.description) == (
        ActionStatus.NOT_DONE,
        leader.id,
        "",
    )
    snapshot = session.scalars(
        select(DialogueSnapshot).where(DialogueSnapshot.dialogue_id == domains.dialogue.id)
    ).one()
    assert snapshot.content["assessments"]["self"]["K1.1"] == {"score": 2, "comment": ""}
    assert snapshot.content["adaptation"]["K1.1"]["importance"] == 3
    ratings = session.scalars(
        select(EvaluationRating.score)
        .join(EvaluationAnswerSet, EvaluationAnswerSet.id == EvaluationRating.answer_set_id)
        .where(EvaluationAnswerSet.evaluatee_id == domains.evaluatee.id)
    ).all()
    assert ratings == [4]
    comment = session.scalars(
        select(EvaluationComment).where(EvaluationComment.evaluatee_id == domains.evaluatee.id)
    ).one()
    assert comment.text == ""
    invitation = session.get(EvaluationInvitation, domains.invitation.id)
    assert invitation is not None
    assert (invitation.email, invitation.token_hash) == (erased_email(leader.id), None)
    assert invitation.status is InvitationStatus.ACTIVE  # still counts in the response rate
    # Deleted: the logins, the own manager history, the group memberships, the reminder receipts.
    for model, column in (
        (LoginSession, LoginSession.person_id),
        (ManagerPeriod, ManagerPeriod.person_id),
        (RoleGroupMember, RoleGroupMember.person_id),
    ):
        assert session.scalar(select(func.count()).where(column == leader.id)) == 0, model
    assert (
        session.scalar(
            select(func.count()).where(DialogueReminderSent.dialogue_id == domains.dialogue.id)
        )
        == 0
    )
    # Others' records stay: the chef's dialogue row, HR's cycle and round, the group.
    assert session.get(Dialogue, domains.dialogue.id).chef_id == org.chef.id  # type: ignore[union-attr]
    assert session.get(DialogueCycle, domains.cycle.id).created_by_id == org.hr.id  # type: ignore[union-attr]
    assert session.get(EvaluationRound, domains.round.id).created_by_id == org.hr.id  # type: ignore[union-attr]
    assert session.get(RoleGroup, domains.group.id) is not None
    assert erased.counts["dialogues"] == 1
    assert erased.counts["loginSessions"] == 1
    assert erased.counts["managerPeriods"] == 1
    assert erased.counts["roleGroups"] == 1
    assert erased.counts["evaluationInvitations"] == 1


def test_a_managers_periods_over_others_stay_when_the_manager_is_erased(
    session: Session, org: Org
) -> None:
    chef = new_leader(session, org.chef, "Tidligere chef")
    report = new_leader(session, org.chef, "Medarbejder")
    session.add(ManagerPeriod(person_id=report.id, manager_id=chef.id, valid_from=utcnow()))
    session.flush()
    erase_person(session, actor=_admin(org), person_id=chef.id)
    kept = session.scalars(select(ManagerPeriod).where(ManagerPeriod.person_id == report.id)).all()
    assert [p.manager_id for p in kept] == [chef.id]


def test_erasure_is_refused_while_the_leaders_dialogue_of_an_open_cycle_is_not_closed(
    session: Session, org: Org
) -> None:
    leader = new_leader(session, org.chef, "Midt i samtalen")
    leader_in_the_later_domains(
        session,
        org,
        leader,
        cycle_status=CycleStatus.OPEN,
        dialogue_status=DialogueStatus.PREPARING,
    )
    with pytest.raises(DomainError) as refused:
        erase_person(session, actor=_admin(org), person_id=leader.id)
    assert refused.value.code is ErrorCode.OPEN_OBLIGATIONS
    assert "lederudviklingssamtale" in refused.value.message
    assert "LUS 2025" in refused.value.message
    forced = erase_person(session, actor=_admin(org), person_id=leader.id, force=True)
    assert forced.forced
    assert forced.counts["dialogues"] == 1


def test_erasure_is_refused_while_the_person_is_evaluated_in_an_open_round(
    session: Session, org: Org
) -> None:
    leader = new_leader(session, org.chef, "Under evaluering")
    leader_in_the_later_domains(session, org, leader, round_status=RoundStatus.OPEN)
    with pytest.raises(DomainError) as refused:
        erase_person(session, actor=_admin(org), person_id=leader.id)
    assert refused.value.code is ErrorCode.OPEN_OBLIGATIONS
    assert "åben ledelsesevaluering (Ledelsesevaluering 2025)" in refused.value.message
    assert erase_person(session, actor=_admin(org), person_id=leader.id, force=True).forced


def test_a_closed_cycle_and_a_released_round_are_no_obligation(session: Session, org: Org) -> None:
    leader = new_leader(session, org.chef, "Færdig")
    leader_in_the_later_domains(session, org, leader)
    assert not erase_person(session, actor=_admin(org), person_id=leader.id).forced


def test_erasure_anonymises_the_hired_persons_candidacy_and_their_own_conflict_notes(
    session: Session, org: Org
) -> None:
    leader = new_leader(session, org.chef, "Birte Ansat")
    name, email = leader.name, leader.email
    hired = leader_hired_through_recruitment(session, org, leader)
    session.commit()
    before = _every_text_in_the_database(session)
    for secret in RECRUITMENT_SECRETS.values():
        assert secret in before, secret

    erased = erase_person(session, actor=_admin(org), person_id=leader.id)
    session.flush()
    session.expire_all()

    stored = _every_text_in_the_database(session)
    for personal in (name, email, "ATS-4711", *RECRUITMENT_SECRETS.values()):
        assert personal not in stored, personal
    candidate = session.get(Candidate, hired.candidate.id)
    assert candidate is not None
    assert (candidate.status, candidate.committee_recommendation) == (
        CandidateStatus.HIRED,
        Recommendation.STRONG_YES,
    )
    assert candidate.hired_person_id == leader.id
    scores = session.scalars(
        select(StatementScore.score).where(StatementScore.scorecard_id == hired.scorecard.id)
    ).all()
    assert scores == [3]  # the figures stay
    seat = session.get(CommitteeMember, hired.own_seat.id)
    assert seat is not None
    assert seat.person_id == leader.id  # the committee's record
    assert erased.counts["candidacies"] == 1
    assert erased.counts["committeeMemberships"] == 1


def test_an_erased_chefs_address_leaves_the_reminders_of_the_dialogues_they_held(
    session: Session, org: Org
) -> None:
    chef = new_leader(session, org.chef, "Afgået chef")
    leader = new_leader(session, org.chef, "Bliver")
    domains = leader_in_the_later_domains(session, org, leader, chef=chef)
    session.add(
        DialogueReminderSent(
            dialogue_id=domains.dialogue.id,
            kind="MEETING",
            recipient=chef.email,
            sent_at=utcnow(),
        )
    )
    session.flush()
    erased = erase_person(session, actor=_admin(org), person_id=chef.id)
    session.expire_all()
    recipients = sorted(
        session.scalars(
            select(DialogueReminderSent.recipient).where(
                DialogueReminderSent.dialogue_id == domains.dialogue.id
            )
        )
    )
    assert recipients == sorted([erased_email(chef.id), leader.email])
    assert erased.counts["dialoguesAsChef"] == 1
    dialogue = session.get(Dialogue, domains.dialogue.id)
    assert dialogue is not None
    assert (
        dialogue.summary == SECRETS["summary"]
    )  # the leader's dialogue is not the chef's to erase
