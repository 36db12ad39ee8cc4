"""Who may call each mutation, and on whose enrolments; a denial changes nothing.

Every mutation is called with every role that might try it: the leader
themself, a peer under the same chef, a leader elsewhere, the chef, the chef's
chef, a chef of another branch, HR, ADMIN, the LMS account, and no token.
Someone who may not see the enrolment at all gets NOT_FOUND, the answer for an
id that does not exist; FORBIDDEN is for a role that may not call the mutation
or for someone who sees the enrolment but may not do this to it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from catalogue.models import AuditLogEntry, Enrolment, EnrolmentStatus, OutboxEvent, Person, Role
from catalogue.models.base import utcnow
from catalogue.settings import Settings
from tests.api.tokens import token_for
from tests.enrolment.factories import Org, count, make_run, stored_enrolment
from tests.enrolment.operations import error_codes, gid, mutate

S = EnrolmentStatus
OK = "OK"

# persona -> (Org attribute, role on the token); None: no token at all
PERSONAS: dict[str, tuple[str, Role] | None] = {
    "anonymous": None,
    "leader": ("leader", Role.LEADER),
    "peer": ("peer", Role.LEADER),
    "other_leader": ("other_leader", Role.LEADER),
    "chef": ("chef", Role.CHEF),
    "director": ("director", Role.CHEF),
    "other_chef": ("other_chef", Role.CHEF),
    "hr": ("hr", Role.HR),
    "admin": ("admin", Role.ADMIN),
    "lms": ("lms", Role.LMS),
}


def _token(settings: Settings, org: Org, persona: str) -> str | None:
    spec = PERSONAS[persona]
    if spec is None:
        return None
    attribute, role = spec
    person: Person = getattr(org, attribute)
    return token_for(settings, person, role)


def _state(session: Session) -> tuple[int, int, int, list[tuple[int, S]]]:
    session.expire_all()
    rows = session.query(Enrolment.id, Enrolment.status).order_by(Enrolment.id).all()
    return (
        count(session, Enrolment),
        count(session, AuditLogEntry),
        count(session, OutboxEvent),
        [(r[0], r[1]) for r in rows],
    )


def _check(
    session: Session,
    run_mutation: Callable[[], dict[str, Any]],
    expected: str,
) -> dict[str, Any]:
    before = _state(session)
    result = run_mutation()
    if expected == OK:
        assert result["userErrors"] == [], result
    else:
        assert error_codes(result) == [expected], result
        objects = {
            key: value for key, value in result.items() if key not in ("userErrors", "changed")
        }
        assert set(objects.values()) == {None}, result
        assert _state(session) == before
    return result


@pytest.mark.parametrize(
    ("persona", "target", "expected"),
    [
        ("anonymous", "leader", "UNAUTHENTICATED"),
        ("lms", "leader", "FORBIDDEN"),
        ("leader", None, OK),
        ("leader", "leader", OK),
        ("leader", "peer", "FORBIDDEN"),
        ("leader", "other_leader", "FORBIDDEN"),
        ("chef", "leader", OK),
        ("chef", None, OK),
        ("director", "leader", OK),
        ("other_chef", "leader", "FORBIDDEN"),
        ("hr", "other_leader", OK),
        ("admin", "leader", OK),
    ],
)
def test_enrol(
    client: TestClient,
    session: Session,
    settings: Settings,
    org: Org,
    persona: str,
    target: str | None,
    expected: str,
) -> None:
    run = make_run(session)
    payload: dict[str, Any] = {"courseRunId": gid("CourseRun", run.id)}
    if target is not None:
        payload["personId"] = gid("Person", getattr(org, target).id)
    result = _check(
        session,
        lambda: mutate(client, "enrol", payload, _token(settings, org, persona)),
        expected,
    )
    if expected == OK:
        assert result["enrolment"]["status"] == "ENROLLED"


@pytest.mark.parametrize("mutation", ["approveEnrolment", "rejectEnrolment"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", "UNAUTHENTICATED"),
        ("leader", "FORBIDDEN"),
        ("peer", "FORBIDDEN"),
        ("other_leader", "FORBIDDEN"),
        ("lms", "FORBIDDEN"),
        ("other_chef", "NOT_FOUND"),
        ("chef", OK),
        ("director", OK),
        ("hr", OK),
        ("admin", OK),
    ],
)
def test_approve_and_reject(
    client: TestClient,
    session: Session,
    settings: Settings,
    org: Org,
    mutation: str,
    persona: str,
    expected: str,
) -> None:
    run = make_run(session, approval_required=True)
    request = stored_enrolment(session, run, org.leader, S.REQUESTED)
    payload: dict[str, Any] = {"enrolmentId": gid("Enrolment", request.id)}
    if mutation == "rejectEnrolment":
        payload["reason"] = "Ikke i denne omgang."
    result = _check(
        session,
        lambda: mutate(client, mutation, payload, _token(settings, org, persona)),
        expected,
    )
    if expected == OK:
        wanted = "ENROLLED" if mutation == "approveEnrolment" else "REJECTED"
        assert result["enrolment"]["status"] == wanted


def test_a_chef_cannot_approve_their_own_request(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = make_run(session, approval_required=True)
    request = stored_enrolment(session, run, org.chef, S.REQUESTED)
    _check(
        session,
        lambda: mutate(
            client,
            "approveEnrolment",
            {"enrolmentId": gid("Enrolment", request.id)},
            token_for(settings, org.chef, Role.CHEF),
        ),
        "FORBIDDEN",
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", "UNAUTHENTICATED"),
        ("leader", OK),
        ("peer", "NOT_FOUND"),
        ("other_leader", "NOT_FOUND"),
        ("chef", "FORBIDDEN"),
        ("director", "FORBIDDEN"),
        ("lms", "FORBIDDEN"),
        ("hr", OK),
        ("admin", OK),
    ],
)
def test_withdraw_before_the_run_starts(
    client: TestClient,
    session: Session,
    settings: Settings,
    org: Org,
    persona: str,
    expected: str,
) -> None:
    run = make_run(session)
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)
    result = _check(
        session,
        lambda: mutate(
            client,
            "withdraw",
            {"enrolmentId": gid("Enrolment", enrolment.id)},
            _token(settings, org, persona),
        ),
        expected,
    )
    if expected == OK:
        assert result["enrolment"]["status"] == "WITHDRAWN"


@pytest.mark.parametrize(("persona", "expected"), [("leader", "RUN_STARTED"), ("hr", OK)])
def test_withdraw_after_the_run_started_is_for_hr(
    client: TestClient,
    session: Session,
    settings: Settings,
    org: Org,
    persona: str,
    expected: str,
) -> None:
    run = make_run(session, starts_in=timedelta(days=-2))
    enrolment = stored_enrolment(session, run, org.leader, S.IN_PROGRESS)
    _check(
        session,
        lambda: mutate(
            client,
            "withdraw",
            {"enrolmentId": gid("Enrolment", enrolment.id)},
            _token(settings, org, persona),
        ),
        expected,
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", "UNAUTHENTICATED"),
        ("leader", "FORBIDDEN"),
        ("chef", "FORBIDDEN"),
        ("director", "FORBIDDEN"),
        ("hr", OK),
        ("admin", OK),
        ("lms", OK),
    ],
)
def test_record_completion(
    client: TestClient,
    session: Session,
    settings: Settings,
    org: Org,
    persona: str,
    expected: str,
) -> None:
    run = make_run(session, starts_in=timedelta(days=-10))
    enrolment = stored_enrolment(session, run, org.leader, S.ENROLLED)
    payload = {
        "enrolmentId": gid("Enrolment", enrolment.id),
        "completedAt": utcnow().isoformat(),
        "result": "Bestået",
    }
    result = _check(
        session,
        lambda: mutate(client, "recordCompletion", payload, _token(settings, org, persona)),
        expected,
    )
    if expected == OK:
        assert result["enrolment"]["status"] == "COMPLETED"
        assert result["changed"] is True


@pytest.mark.parametrize(
    ("mutation", "persona", "extra"),
    [
        ("withdraw", "peer", {}),
        ("withdraw", "other_leader", {}),
        ("approveEnrolment", "other_chef", {}),
        ("rejectEnrolment", "other_chef", {"reason": "Nej."}),
    ],
)
def test_someone_elses_enrolment_is_answered_as_if_it_did_not_exist(
    client: TestClient,
    session: Session,
    settings: Settings,
    org: Org,
    mutation: str,
    persona: str,
    extra: dict[str, str],
) -> None:
    run = make_run(session, approval_required=True)
    request = stored_enrolment(session, run, org.leader, S.REQUESTED)
    token = _token(settings, org, persona)
    existing = mutate(
        client, mutation, {"enrolmentId": gid("Enrolment", request.id), **extra}, token
    )
    missing = mutate(client, mutation, {"enrolmentId": gid("Enrolment", 999999999), **extra}, token)
    assert existing == missing
    assert error_codes(missing) == ["NOT_FOUND"]


def test_an_id_of_the_wrong_type_is_invalid_not_a_crash(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    result = mutate(
        client,
        "withdraw",
        {"enrolmentId": gid("Course", 1)},
        token_for(settings, org.leader, Role.LEADER),
    )
    assert result["userErrors"][0]["field"] == "enrolmentId"
    assert error_codes(result) == ["INVALID"]
