"""Bad input to the respondent's link and to HR's round: Danish errors, nothing lost or doubled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import (
    Evaluatee,
    EvaluationAnswerSet,
    EvaluationComment,
    EvaluationRating,
    EvaluationRound,
    RespondentGroup,
    Role,
    RoundStatus,
)
from catalogue.models.base import utcnow
from catalogue.services.evaluation_mail import send_due_mail
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import token_for
from tests.evaluation import operations as op
from tests.evaluation.factories import (
    EvalOrg,
    issue_tokens,
    make_org,
    make_round,
    move,
    tokens_of,
)
from tests.evaluation.smtp import Inbox


@pytest.fixture
def open_round(session: Session) -> tuple[EvalOrg, int, str]:
    org = make_org(session, employees=5, peers=0)
    round_id, evaluatee = make_round(session, org, statement_keys=["K1.1", "K1.2"])
    move(session, org, round_id, RoundStatus.OPEN)
    tokens = issue_tokens(session, evaluatee)
    session.commit()
    return org, round_id, tokens_of(session, evaluatee, tokens, RespondentGroup.EMPLOYEE)[0]


def _submit(
    client: TestClient, token: str, ratings: list[Any], comments: list[Any] | None = None
) -> dict[str, Any]:
    body = gql(
        client,
        op.SUBMIT,
        {"input": {"token": token, "ratings": ratings, "comments": comments or []}},
    )
    result: dict[str, Any] = body["data"]["submitEvaluationAnswers"]
    return result


def _stored(session: Session, round_id: int) -> tuple[int, int, int]:
    """Answer sets, ratings and comments of the round (the demo's round has its own)."""
    session.expire_all()
    evaluatees = select(Evaluatee.id).where(Evaluatee.round_id == round_id)
    sets = select(EvaluationAnswerSet.id).where(EvaluationAnswerSet.evaluatee_id.in_(evaluatees))
    return (
        session.scalar(select(func.count()).where(EvaluationAnswerSet.id.in_(sets))) or 0,
        session.scalar(select(func.count()).where(EvaluationRating.answer_set_id.in_(sets))) or 0,
        session.scalar(select(func.count()).where(EvaluationComment.evaluatee_id.in_(evaluatees)))
        or 0,
    )


def test_answers_after_the_closing_time_are_refused_and_the_stored_ones_kept(
    client: TestClient, session: Session, open_round: tuple[EvalOrg, int, str]
) -> None:
    _, round_id, token = open_round
    assert _submit(client, token, [op.rating("K1.1", 3)])["userErrors"] == []
    before = _stored(session, round_id)
    round_ = session.get(EvaluationRound, round_id)
    assert round_ is not None
    round_.closes_at = utcnow() - timedelta(minutes=1)  # passed; the beat has not closed it yet
    session.commit()
    result = _submit(client, token, [op.rating("K1.1", 5)])
    (error,) = result["userErrors"]
    assert error["code"] == "ROUND_NOT_OPEN"
    assert error["message"].startswith("Evalueringen lukkede for svar")
    assert _stored(session, round_id) == before
    rating = session.scalars(
        select(EvaluationRating)
        .join(EvaluationAnswerSet, EvaluationAnswerSet.id == EvaluationRating.answer_set_id)
        .join(Evaluatee, Evaluatee.id == EvaluationAnswerSet.evaluatee_id)
        .where(Evaluatee.round_id == round_id)
    ).one()
    assert rating.score == 3


@pytest.mark.parametrize(
    ("rating", "field"),
    [
        (op.rating("K1.1", 0), "ratings[1].score"),
        (op.rating("K1.1", 6), "ratings[1].score"),
        (op.rating("K1.1", -3), "ratings[1].score"),
        (op.rating("K1.1", None), "ratings[1].score"),
        (op.rating("K1.1", 3, "DONT_KNOW"), "ratings[1].score"),
        (op.rating("K9.9", 3), "ratings[1].statementKey"),
        (op.rating("K1.2", 3), "ratings[1].statementKey"),  # the same statement twice
    ],
)
def test_a_bad_rating_stores_nothing_of_the_input(
    client: TestClient,
    session: Session,
    open_round: tuple[EvalOrg, int, str],
    rating: dict[str, object],
    field: str,
) -> None:
    _, round_id, token = open_round
    result = _submit(client, token, [op.rating("K1.2", 4), rating])
    errors = result.get("userErrors")
    assert errors, result
    assert errors[0]["field"] == field
    assert errors[0]["message"].startswith("Svar nr. 2")
    assert _stored(session, round_id) == (0, 0, 0)


@pytest.mark.parametrize(
    "bad_input",
    [
        {"ratings": [op.rating("K1.1\x00", 3)]},
        {"comments": [{"fieldKey": "K1", "text": "Hej\x00med dig"}]},
        {"ratings": [op.rating("K1.1", 2**31)]},
    ],
)
def test_nul_and_out_of_range_numbers_are_refused_before_the_service(
    client: TestClient,
    session: Session,
    open_round: tuple[EvalOrg, int, str],
    bad_input: dict[str, Any],
) -> None:
    _, round_id, token = open_round
    body = gql(client, op.SUBMIT, {"input": {"token": token, **bad_input}})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert _stored(session, round_id) == (0, 0, 0)


def test_every_problem_is_reported_at_once(
    client: TestClient, open_round: tuple[EvalOrg, int, str]
) -> None:
    _, _, token = open_round
    result = _submit(
        client,
        token,
        [op.rating("K1.1", 7), op.rating("K1.2", 2, "DECLINED")],
        [{"fieldKey": "K1", "text": "x" * 4001}],
    )
    assert [e["field"] for e in result["userErrors"]] == [
        "ratings[0].score",
        "ratings[1].score",
        "comments[0].text",
    ]
    assert result["userErrors"][2]["code"] == "TOO_LONG"


@pytest.mark.parametrize(
    ("text", "code"),
    [("a\u202eb", "INVALID"), ("\u200b\u200b", None), ("x" * 4001, "TOO_LONG")],
)
def test_bad_comments_are_refused(
    client: TestClient,
    session: Session,
    open_round: tuple[EvalOrg, int, str],
    text: str,
    code: str | None,
) -> None:
    """Bidi overrides and overlong text are refused; an invisible-only comment is no comment."""
    _, round_id, token = open_round
    result = _submit(client, token, [], [{"fieldKey": "K1", "text": text}])
    assert [e["code"] for e in result["userErrors"]] == ([code] if code else [])
    assert _stored(session, round_id)[2] == 0


def test_the_same_request_twice_gives_one_answer_set(
    client: TestClient, session: Session, open_round: tuple[EvalOrg, int, str]
) -> None:
    _, round_id, token = open_round
    ratings = [op.rating("K1.1", 2), op.rating("K1.2", None, "DONT_KNOW")]
    first = _submit(client, token, ratings, [{"fieldKey": "K1", "text": "Godt samarbejde"}])
    second = _submit(client, token, ratings, [{"fieldKey": "K1", "text": "Godt samarbejde"}])
    assert first == second
    assert first["userErrors"] == []
    assert _stored(session, round_id) == (1, 2, 1)
    cleared = _submit(client, token, [], [{"fieldKey": "K1", "text": "  "}])
    assert cleared["questionnaire"]["fields"][0]["comment"] == ""
    assert _stored(session, round_id) == (1, 2, 0)


def test_too_many_answers_in_one_input_are_refused(
    client: TestClient, open_round: tuple[EvalOrg, int, str]
) -> None:
    _, _, token = open_round
    result = _submit(client, token, [op.rating("K1.1", 1)] * 3)
    assert result["userErrors"][0]["code"] == "INVALID"


# --- HR's round settings -----------------------------------------------------------------


def _hr(settings: Settings, org: EvalOrg) -> str:
    return token_for(settings, org.hr, Role.HR)


def _update(client: TestClient, token: str, round_id: int, **fields: object) -> dict[str, Any]:
    body = gql(
        client,
        op.UPDATE_ROUND,
        {"input": {"roundId": to_base64("EvaluationRound", round_id), "round": fields}},
        token=token,
    )
    result: dict[str, Any] = body["data"]["updateEvaluationRound"]
    return result


def test_thresholds_are_never_below_three(
    client: TestClient, session: Session, settings: Settings
) -> None:
    org = make_org(session, employees=0, peers=0)
    session.commit()
    body = gql(
        client,
        op.CREATE_ROUND,
        {
            "input": {
                "round": {
                    "name": "For lav tærskel",
                    "opensOn": utcnow().date().isoformat(),
                    "closesAt": (utcnow() + timedelta(days=3)).isoformat(),
                    "employeeThreshold": 2,
                    "peerThreshold": 1,
                }
            }
        },
        token=_hr(settings, org),
    )["data"]["createEvaluationRound"]
    assert body["round"] is None
    assert [e["field"] for e in body["userErrors"]] == ["employeeThreshold", "peerThreshold"]


def test_once_open_thresholds_only_rise_and_questions_are_locked(
    client: TestClient, session: Session, settings: Settings, open_round: tuple[EvalOrg, int, str]
) -> None:
    org, round_id, _ = open_round
    hr = _hr(settings, org)
    lowered = _update(client, hr, round_id, employeeThreshold=4)
    assert lowered["userErrors"][0]["code"] == "SETTING_LOCKED"
    locked = _update(client, hr, round_id, statementKeys=["K1.1"], scaleMax=7, peersNamed=True)
    assert {e["field"] for e in locked["userErrors"]} == {"statementKeys", "scaleMax", "peersNamed"}
    raised = _update(client, hr, round_id, employeeThreshold=6, peerThreshold=4)
    assert raised["userErrors"] == []
    assert (raised["round"]["employeeThreshold"], raised["round"]["peerThreshold"]) == (6, 4)


def test_a_round_moves_only_along_its_states(
    client: TestClient, session: Session, settings: Settings
) -> None:
    org = make_org(session, employees=0, peers=0)
    round_id, _ = make_round(session, org)
    session.commit()
    hr = _hr(settings, org)
    gid = to_base64("EvaluationRound", round_id)
    released = gql(
        client, op.CHANGE_STATUS, {"input": {"roundId": gid, "status": "RELEASED"}}, token=hr
    )
    error = released["data"]["changeEvaluationRoundStatus"]["userErrors"][0]
    assert error["code"] == "INVALID_TRANSITION"
    assert error["message"] == "Runden kan ikke frigives, fordi den er en kladde."
    leader = token_for(settings, org.leader, Role.LEADER)
    denied = gql(
        client, op.CHANGE_STATUS, {"input": {"roundId": gid, "status": "OPEN"}}, token=leader
    )
    assert denied["data"]["changeEvaluationRoundStatus"]["userErrors"][0]["code"] == "FORBIDDEN"


def test_a_link_replaced_by_a_reminder_no_longer_works(
    client: TestClient, session: Session, mail_settings: Settings, inbox: Inbox
) -> None:
    org = make_org(session, employees=1, peers=0)
    round_id, _ = make_round(session, org, statement_keys=["K1.1"], reminder_days=[3])
    move(session, org, round_id, RoundStatus.OPEN)
    session.commit()
    send_due_mail(session, mail_settings, now=utcnow())
    first = inbox.token_in(inbox.to(org.employees[0].email)[0])
    round_ = session.get(EvaluationRound, round_id)
    assert round_ is not None
    send_due_mail(session, mail_settings, now=round_.closes_at - timedelta(days=2))
    second = inbox.token_in(inbox.to(org.employees[0].email)[1])
    assert first != second
    reused = _submit(client, first, [op.rating("K1.1", 2)])
    assert reused["userErrors"][0]["code"] == "INVALID_TOKEN"
    assert _stored(session, round_id) == (0, 0, 0)
    assert _submit(client, second, [op.rating("K1.1", 2)])["userErrors"] == []
