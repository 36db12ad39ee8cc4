"""Every transition of the enrolment state machine, legal and illegal.

The table below is the specification, written out independently of
``enrolment_rules.TRANSITIONS``; the first test checks every (action, status)
pair against it. The others drive the service functions from every stored
status and check that an illegal move is INVALID_TRANSITION with nothing
changed: not the status, not the audit log, not the outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from itertools import product

import pytest
from sqlalchemy.orm import Session

from catalogue.models import AuditLogEntry, Enrolment, EnrolmentStatus, OutboxEvent
from catalogue.models.base import utcnow
from catalogue.services import completions, enrolments
from catalogue.services.completions import CompletionOutcome
from catalogue.services.enrolment_rules import EnrolmentAction, next_status
from catalogue.services.errors import DomainError, ErrorCode
from tests.enrolment.factories import Org, count, make_run, started, stored_enrolment, viewer

S = EnrolmentStatus
A = EnrolmentAction

LEGAL: set[tuple[EnrolmentAction, EnrolmentStatus | None, EnrolmentStatus]] = {
    (A.REQUEST, None, S.REQUESTED),
    (A.REQUEST, S.WITHDRAWN, S.REQUESTED),
    (A.APPROVE, S.REQUESTED, S.APPROVED),
    (A.REJECT, S.REQUESTED, S.REJECTED),
    (A.ENROL, None, S.ENROLLED),
    (A.ENROL, S.WITHDRAWN, S.ENROLLED),
    (A.ENROL, S.APPROVED, S.ENROLLED),
    (A.WAITLIST, None, S.WAITLISTED),
    (A.WAITLIST, S.WITHDRAWN, S.WAITLISTED),
    (A.WAITLIST, S.APPROVED, S.WAITLISTED),
    (A.PROMOTE, S.WAITLISTED, S.ENROLLED),
    (A.START, S.APPROVED, S.IN_PROGRESS),
    (A.START, S.ENROLLED, S.IN_PROGRESS),
    (A.COMPLETE, S.APPROVED, S.COMPLETED),
    (A.COMPLETE, S.ENROLLED, S.COMPLETED),
    (A.COMPLETE, S.IN_PROGRESS, S.COMPLETED),
    (A.FAIL, S.APPROVED, S.FAILED),
    (A.FAIL, S.ENROLLED, S.FAILED),
    (A.FAIL, S.IN_PROGRESS, S.FAILED),
    (A.WITHDRAW, S.REQUESTED, S.WITHDRAWN),
    (A.WITHDRAW, S.APPROVED, S.WITHDRAWN),
    (A.WITHDRAW, S.ENROLLED, S.WITHDRAWN),
    (A.WITHDRAW, S.WAITLISTED, S.WITHDRAWN),
    (A.WITHDRAW, S.IN_PROGRESS, S.WITHDRAWN),
}
EXPECTED = {(action, current): target for action, current, target in LEGAL}
ALL_STATES: list[EnrolmentStatus | None] = [None, *EnrolmentStatus]


@pytest.mark.parametrize(
    ("action", "current"),
    list(product(EnrolmentAction, ALL_STATES)),
    ids=lambda v: "new" if v is None else str(v),
)
def test_every_action_from_every_status_is_legal_only_as_specified(
    action: EnrolmentAction, current: EnrolmentStatus | None
) -> None:
    expected = EXPECTED.get((action, current))
    if expected is not None:
        assert next_status(current, action) is expected
    else:
        with pytest.raises(DomainError) as caught:
            next_status(current, action)
        assert caught.value.code is ErrorCode.INVALID_TRANSITION
        assert "kan ikke" in caught.value.message


def test_terminal_statuses_have_no_way_out_but_reenrolling_after_withdrawal() -> None:
    for terminal in (S.COMPLETED, S.REJECTED, S.FAILED):
        assert not [a for a in EnrolmentAction if (a, terminal) in EXPECTED]
    assert {a for a in EnrolmentAction if (a, S.WITHDRAWN) in EXPECTED} == {
        A.REQUEST,
        A.ENROL,
        A.WAITLIST,
    }


# --- through the services, from every stored status ---------------------------------------

Operation = Callable[[Session, Org, Enrolment], Enrolment | None]


def _approve(session: Session, org: Org, enrolment: Enrolment) -> Enrolment | None:
    return enrolments.approve(session, actor=viewer(org.chef), enrolment_id=enrolment.id)


def _reject(session: Session, org: Org, enrolment: Enrolment) -> Enrolment | None:
    return enrolments.reject(
        session, actor=viewer(org.chef), enrolment_id=enrolment.id, reason="Ikke nu."
    )


def _withdraw(session: Session, org: Org, enrolment: Enrolment) -> Enrolment | None:
    return enrolments.withdraw(session, actor=viewer(org.hr), enrolment_id=enrolment.id)


def _complete(session: Session, org: Org, enrolment: Enrolment) -> Enrolment | None:
    return completions.record_completion(
        session, actor=viewer(org.hr), enrolment_id=enrolment.id, completed_at=utcnow()
    ).enrolment


def _fail(session: Session, org: Org, enrolment: Enrolment) -> Enrolment | None:
    return completions.record_completion(
        session,
        actor=viewer(org.hr),
        enrolment_id=enrolment.id,
        completed_at=utcnow(),
        outcome=CompletionOutcome.FAILED,
    ).enrolment


NOOP = "no-op"
OPERATIONS: dict[str, tuple[Operation, dict[EnrolmentStatus, EnrolmentStatus | str]]] = {
    "approve": (_approve, {S.REQUESTED: S.ENROLLED}),
    "reject": (_reject, {S.REQUESTED: S.REJECTED}),
    "withdraw": (
        _withdraw,
        dict.fromkeys(
            (S.REQUESTED, S.APPROVED, S.ENROLLED, S.WAITLISTED, S.IN_PROGRESS), S.WITHDRAWN
        ),
    ),
    "complete": (
        _complete,
        {
            S.APPROVED: S.COMPLETED,
            S.ENROLLED: S.COMPLETED,
            S.IN_PROGRESS: S.COMPLETED,
            S.COMPLETED: NOOP,
        },
    ),
    "fail": (
        _fail,
        {S.APPROVED: S.FAILED, S.ENROLLED: S.FAILED, S.IN_PROGRESS: S.FAILED, S.FAILED: NOOP},
    ),
}


@pytest.mark.parametrize(
    ("operation", "status"),
    list(product(OPERATIONS, EnrolmentStatus)),
    ids=lambda v: str(v),
)
def test_service_operations_from_every_stored_status(
    session: Session, org: Org, operation: str, status: EnrolmentStatus
) -> None:
    run = make_run(session, capacity=5, approval_required=True)
    enrolment = stored_enrolment(session, run, org.leader, status)
    if operation in ("complete", "fail"):
        started(session, run)
    act, outcomes = OPERATIONS[operation]
    audit_before = count(session, AuditLogEntry)
    outbox_before = count(session, OutboxEvent)
    expected = outcomes.get(status)

    if expected is None:
        with pytest.raises(DomainError) as caught:
            act(session, org, enrolment)
        assert caught.value.code is ErrorCode.INVALID_TRANSITION
        session.expire_all()
        assert session.get(Enrolment, enrolment.id).status is status  # type: ignore[union-attr]
        assert count(session, AuditLogEntry) == audit_before
        assert count(session, OutboxEvent) == outbox_before
    elif expected == NOOP:
        assert act(session, org, enrolment).status is status  # type: ignore[union-attr]
        assert count(session, AuditLogEntry) == audit_before
    else:
        result = act(session, org, enrolment)
        assert result is not None
        assert result.status is expected
        assert count(session, AuditLogEntry) > audit_before


def test_an_illegal_transition_says_why_in_danish(session: Session, org: Org) -> None:
    run = make_run(session, starts_in=timedelta(days=3))
    enrolment = stored_enrolment(session, run, org.leader, S.COMPLETED)
    with pytest.raises(DomainError) as caught:
        enrolments.withdraw(session, actor=viewer(org.hr), enrolment_id=enrolment.id)
    assert caught.value.code is ErrorCode.INVALID_TRANSITION
    assert caught.value.message == "Tilmeldingen kan ikke afmeldes, fordi den er gennemført."
    assert enrolment.status is S.COMPLETED
