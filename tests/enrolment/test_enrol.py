"""Enrolling: seats, the waiting list in order, approval, closed runs and idempotency."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    AuditLogEntry,
    ChangeSource,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    OutboxEvent,
)
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from catalogue.services.errors import DomainError, ErrorCode
from tests.enrolment.factories import (
    Org,
    audit_rows,
    count,
    fill,
    leaders,
    make_run,
    outbox_events,
    viewer,
)

S = EnrolmentStatus


def _enrol(session: Session, who, run, **kwargs):  # type: ignore[no-untyped-def]
    return enrolments.enrol(session, actor=viewer(who), course_run_id=run.id, **kwargs)


def _error(call) -> DomainError:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def test_a_leader_takes_a_free_seat_with_audit_entry_and_outbox_event(
    session: Session, org: Org
) -> None:
    run = make_run(session, capacity=3)
    enrolment = _enrol(session, org.leader, run, motivation="  Vil blive bedre til feedback. ")

    assert enrolment.status is S.ENROLLED
    assert enrolment.source is ChangeSource.UI
    assert enrolment.motivation == "Vil blive bedre til feedback."
    assert enrolment.waitlist_position is None
    [entry] = audit_rows(session, enrolment.id)
    assert (entry.actor_id, entry.person_id, entry.course_id) == (
        org.leader.id,
        org.leader.id,
        run.course_id,
    )
    assert (entry.action, entry.from_state, entry.to_state) == (
        "ENROLMENT_ENROLLED",
        None,
        "ENROLLED",
    )
    [event] = outbox_events(session, enrolment.id)
    assert event.topic == "enrolment.enrolled"
    assert event.payload == {
        "enrolment_id": enrolment.id,
        "person_id": org.leader.id,
        "course_run_id": run.id,
        "course_id": run.course_id,
        "status": "ENROLLED",
        "promoted": False,
    }
    assert event.delivered_at is None


def test_a_full_run_puts_requests_on_the_waiting_list_in_request_order(
    session: Session, org: Org
) -> None:
    run = make_run(session, capacity=2)
    fill(session, run, [org.chef, org.director])
    people = leaders(session, 3, exclude=[org.chef, org.director])
    waiting = [_enrol(session, p, run) for p in people]

    assert [(e.status, e.waitlist_position) for e in waiting] == [
        (S.WAITLISTED, 1),
        (S.WAITLISTED, 2),
        (S.WAITLISTED, 3),
    ]
    assert all(outbox_events(session, e.id) == [] for e in waiting)
    assert audit_rows(session, waiting[2].id)[0].reason == "Holdet er fuldt."


def test_withdrawal_frees_the_seat_for_the_first_on_the_waiting_list(
    session: Session, org: Org
) -> None:
    run = make_run(session, capacity=1)
    holder = _enrol(session, org.peer, run)
    first, second = (_enrol(session, p, run) for p in (org.leader, org.other_leader))

    enrolments.withdraw(session, actor=viewer(org.peer), enrolment_id=holder.id, reason="Syg.")

    assert holder.status is S.WITHDRAWN
    assert (first.status, first.waitlist_position) == (S.ENROLLED, None)
    session.refresh(second)
    assert (second.status, second.waitlist_position) == (S.WAITLISTED, 1)
    assert [e.topic for e in outbox_events(session, holder.id)] == [
        "enrolment.enrolled",
        "enrolment.withdrawn",
    ]
    promoted = outbox_events(session, first.id)
    assert [(e.topic, e.payload["promoted"]) for e in promoted] == [("enrolment.enrolled", True)]
    withdraw_entry = audit_rows(session, holder.id)[-1]
    assert (withdraw_entry.from_state, withdraw_entry.to_state, withdraw_entry.reason) == (
        "ENROLLED",
        "WITHDRAWN",
        "Syg.",
    )
    promote_entry = audit_rows(session, first.id)[-1]
    assert (promote_entry.action, promote_entry.actor_id) == ("ENROLMENT_PROMOTED", org.peer.id)


def test_leaving_the_waiting_list_closes_the_gap_and_tells_the_lms_nothing(
    session: Session, org: Org
) -> None:
    run = make_run(session, capacity=1)
    fill(session, run, [org.director])
    people = leaders(session, 3, exclude=[org.director])
    first, middle, last = (_enrol(session, p, run) for p in people)

    enrolments.withdraw(session, actor=viewer(people[1]), enrolment_id=middle.id)

    session.refresh(first)
    session.refresh(last)
    assert (first.waitlist_position, last.waitlist_position) == (1, 2)
    assert middle.waitlist_position is None
    assert outbox_events(session, middle.id) == []


def test_without_a_seat_limit_everyone_gets_a_place(session: Session, org: Org) -> None:
    run = make_run(session, capacity=None)
    assert {_enrol(session, p, run).status for p in leaders(session, 5)} == {S.ENROLLED}


def test_a_run_needing_approval_waits_for_the_chef_who_places_the_leader(
    session: Session, org: Org
) -> None:
    run = make_run(session, capacity=1, approval_required=True)
    request = _enrol(session, org.leader, run)
    assert (request.status, outbox_events(session, request.id)) == (S.REQUESTED, [])

    enrolments.approve(session, actor=viewer(org.chef), enrolment_id=request.id, comment="God idé.")

    assert request.status is S.ENROLLED
    steps = [(e.action, e.from_state, e.to_state) for e in audit_rows(session, request.id)]
    assert steps == [
        ("ENROLMENT_REQUESTED", None, "REQUESTED"),
        ("ENROLMENT_APPROVED", "REQUESTED", "APPROVED"),
        ("ENROLMENT_ENROLLED", "APPROVED", "ENROLLED"),
    ]
    assert audit_rows(session, request.id)[1].reason == "God idé."
    assert [e.topic for e in outbox_events(session, request.id)] == ["enrolment.enrolled"]


def test_an_approved_request_for_a_full_run_joins_the_end_of_the_waiting_list(
    session: Session, org: Org
) -> None:
    run = make_run(session, capacity=1, approval_required=True)
    request = _enrol(session, org.leader, run)
    fill(session, run, [org.director])

    enrolments.approve(session, actor=viewer(org.hr), enrolment_id=request.id)

    assert (request.status, request.waitlist_position) == (S.WAITLISTED, 1)


def test_a_rejection_needs_a_reason_and_keeps_it(session: Session, org: Org) -> None:
    run = make_run(session, approval_required=True)
    request = _enrol(session, org.leader, run)

    error = _error(
        lambda: enrolments.reject(
            session, actor=viewer(org.chef), enrolment_id=request.id, reason="  "
        )
    )
    assert (error.code, error.field) == (ErrorCode.REQUIRED, "reason")

    enrolments.reject(
        session, actor=viewer(org.director), enrolment_id=request.id, reason="Budgettet er brugt."
    )
    assert request.status is S.REJECTED
    assert audit_rows(session, request.id)[-1].reason == "Budgettet er brugt."


def test_a_chef_enrolling_a_report_approves_in_the_same_step(session: Session, org: Org) -> None:
    run = make_run(session, approval_required=True)
    enrolment = enrolments.enrol(
        session, actor=viewer(org.director), course_run_id=run.id, person_id=org.leader.id
    )
    assert enrolment.status is S.ENROLLED
    assert enrolment.source is ChangeSource.UI
    assert [e.action for e in audit_rows(session, enrolment.id)] == [
        "ENROLMENT_REQUESTED",
        "ENROLMENT_APPROVED",
        "ENROLMENT_ENROLLED",
    ]


def test_hr_enrolling_someone_is_recorded_as_hr(session: Session, org: Org) -> None:
    run = make_run(session, approval_required=True)
    enrolment = enrolments.enrol(
        session, actor=viewer(org.hr), course_run_id=run.id, person_id=org.other_leader.id
    )
    assert (enrolment.status, enrolment.source) == (S.ENROLLED, ChangeSource.HR)


def test_nobody_approves_their_own_request(session: Session, org: Org) -> None:
    run = make_run(session, approval_required=True)
    request = _enrol(session, org.chef, run)
    assert request.status is S.REQUESTED
    error = _error(
        lambda: enrolments.approve(session, actor=viewer(org.chef), enrolment_id=request.id)
    )
    assert error.code is ErrorCode.FORBIDDEN
    assert request.status is S.REQUESTED
    assert enrolments.approve(
        session, actor=viewer(org.director), enrolment_id=request.id
    ).status is (S.ENROLLED)


@pytest.mark.parametrize(
    ("run_args", "code"),
    [
        ({"starts_in": timedelta(days=3), "deadline_before_start": timedelta(days=7)}, "DEADLINE"),
        ({"starts_in": timedelta(days=-1)}, "STARTED"),
        ({"status": CourseStatus.ARCHIVED}, "ARCHIVED"),
        ({"status": CourseStatus.DRAFT}, "DRAFT"),
    ],
    ids=["deadline passed", "run started", "archived course", "draft course"],
)
def test_closed_runs_refuse_with_a_clear_code_and_store_nothing(
    session: Session, org: Org, run_args: dict, code: str
) -> None:
    run = make_run(session, **run_args)
    before = (count(session, Enrolment), count(session, AuditLogEntry), count(session, OutboxEvent))

    error = _error(lambda: _enrol(session, org.leader, run))

    expected = {
        "DEADLINE": ErrorCode.DEADLINE_PASSED,
        "STARTED": ErrorCode.RUN_STARTED,
        "ARCHIVED": ErrorCode.COURSE_NOT_OPEN,
        "DRAFT": ErrorCode.COURSE_NOT_OPEN,
    }[code]
    assert (error.code, error.field) == (expected, "courseRunId")
    after = (count(session, Enrolment), count(session, AuditLogEntry), count(session, OutboxEvent))
    assert after == before


def test_a_cancelled_run_refuses_enrolment_and_approval(session: Session, org: Org) -> None:
    run = make_run(session, approval_required=True)
    request = _enrol(session, org.leader, run)
    run.cancelled_at = utcnow()
    session.flush()
    assert _error(lambda: _enrol(session, org.peer, run)).code is ErrorCode.RUN_CANCELLED
    error = _error(
        lambda: enrolments.approve(session, actor=viewer(org.chef), enrolment_id=request.id)
    )
    assert error.code is ErrorCode.RUN_CANCELLED
    assert request.status is S.REQUESTED


def test_the_same_request_twice_is_answered_the_same_and_stores_one_enrolment(
    session: Session, org: Org
) -> None:
    run = make_run(session)
    request = {"motivation": "Jeg vil lære at lytte.", "focus_statement_keys": ["K1.3", "K3.3"]}
    first = _enrol(session, org.leader, run, **request)
    rows = (count(session, Enrolment), count(session, AuditLogEntry), count(session, OutboxEvent))

    again = _enrol(
        session, org.leader, run, **{**request, "focus_statement_keys": ["K3.3", "K1.3"]}
    )

    assert again.id == first.id
    assert again.status is S.ENROLLED
    assert (
        count(session, Enrolment),
        count(session, AuditLogEntry),
        count(session, OutboxEvent),
    ) == rows
    assert [s.key for s in first.focus_statements] == ["K1.3", "K3.3"]


def test_a_retry_after_the_deadline_is_still_answered_with_the_enrolment(
    session: Session, org: Org
) -> None:
    run = make_run(session, starts_in=timedelta(days=10), deadline_before_start=timedelta(days=7))
    first = _enrol(session, org.leader, run)
    later = utcnow() + timedelta(days=5)
    again = enrolments.enrol(session, actor=viewer(org.leader), course_run_id=run.id, now=later)
    assert again.id == first.id


def test_a_different_request_for_the_same_run_is_already_enrolled(
    session: Session, org: Org
) -> None:
    run = make_run(session, approval_required=True)
    _enrol(session, org.leader, run, motivation="Første udgave.")
    error = _error(lambda: _enrol(session, org.leader, run, motivation="Anden udgave."))
    assert (error.code, error.field) == (ErrorCode.ALREADY_ENROLLED, "courseRunId")
    assert "anmodet og afventer godkendelse" in error.message
    assert count(session, Enrolment, Enrolment.course_run_id == run.id) == 1


def test_enrolling_again_after_withdrawal_reuses_the_row_at_the_end_of_the_list(
    session: Session, org: Org
) -> None:
    run = make_run(session, capacity=1)
    mine = _enrol(session, org.leader, run)
    enrolments.withdraw(session, actor=viewer(org.leader), enrolment_id=mine.id)
    taken = _enrol(session, org.peer, run)
    waiting = _enrol(session, org.other_leader, run)

    again = _enrol(session, org.leader, run, motivation="Nu kan jeg alligevel.")

    assert again.id == mine.id
    assert (taken.status, waiting.waitlist_position) == (S.ENROLLED, 1)
    assert (again.status, again.waitlist_position) == (S.WAITLISTED, 2)
    assert [(e.from_state, e.to_state) for e in audit_rows(session, mine.id)] == [
        (None, "ENROLLED"),
        ("ENROLLED", "WITHDRAWN"),
        ("WITHDRAWN", "WAITLISTED"),
    ]


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"focus_statement_keys": ["K1.1", "K9.9"]}, ErrorCode.INVALID, "focusStatementKeys"),
        ({"motivation": "x" * 2001}, ErrorCode.TOO_LONG, "motivation"),
        ({"course_run_id": -1}, ErrorCode.NOT_FOUND, "courseRunId"),
    ],
    ids=["unknown statement", "motivation too long", "unknown run"],
)
def test_invalid_input_names_the_field(
    session: Session, org: Org, kwargs: dict, code: ErrorCode, field: str
) -> None:
    run = make_run(session)
    arguments = {"course_run_id": run.id, **kwargs}
    error = _error(lambda: enrolments.enrol(session, actor=viewer(org.leader), **arguments))
    assert (error.code, error.field) == (code, field)


def test_a_leader_withdraws_until_the_run_starts_and_hr_after(session: Session, org: Org) -> None:
    run = make_run(session, starts_in=timedelta(days=2), deadline_before_start=None)
    enrolment = _enrol(session, org.leader, run)
    after_start = run.starts_at + timedelta(minutes=1)

    error = _error(
        lambda: enrolments.withdraw(
            session, actor=viewer(org.leader), enrolment_id=enrolment.id, now=after_start
        )
    )
    assert error.code is ErrorCode.RUN_STARTED
    assert enrolment.status is S.ENROLLED

    enrolments.withdraw(session, actor=viewer(org.hr), enrolment_id=enrolment.id, now=after_start)
    assert enrolment.status is S.WITHDRAWN


def test_enrolments_lists_only_what_the_viewer_may_see(session: Session, org: Org) -> None:
    run = make_run(session)
    for person in (org.leader, org.peer, org.other_leader):
        _enrol(session, person, run)
    visible = {org.chef.id, org.leader.id, org.peer.id}
    statement = enrolments.enrolments_statement(visible=visible, course_run_id=run.id)
    assert {e.person_id for e in session.scalars(statement)} == {org.leader.id, org.peer.id}
    everyone = enrolments.enrolments_statement(visible=None, course_run_id=run.id)
    assert len(session.scalars(everyone).all()) == 3
    assert session.scalars(select(Enrolment).where(Enrolment.course_run_id == run.id)).all()
