"""HR's aggregate across leaders: built from the reports' shown cells, small cells hidden."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import OrgUnit, RespondentGroup, Role, RoundStatus
from catalogue.models.base import utcnow
from catalogue.services import evaluation_rounds as rounds
from catalogue.services.evaluation_aggregate import aggregate
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import token_for
from tests.evaluation import operations as op
from tests.evaluation.factories import (
    answer,
    hr_of,
    issue_tokens,
    make_org,
    make_person,
    make_round,
    move,
    tokens_of,
)


def _round_with_leaders(session: Session, scores: list[tuple[int, int]]) -> tuple[int, object]:
    """One round, one org unit; a leader per (employees answering, the score they all give)."""
    org = make_org(session, employees=0, peers=0)
    unit = OrgUnit(key=f"U-{uuid.uuid4().hex[:6]}", name="Center for Dagtilbud")
    session.add(unit)
    session.flush()
    round_id, _ = make_round(session, org, statement_keys=["K1.1"])
    evaluatees = []
    for index, (employees, _) in enumerate(scores):
        leader = make_person(session, f"Leder {index}", manager=org.chef, is_leader=True)
        leader.org_unit_id = unit.id
        for number in range(employees):
            make_person(session, f"Ansat {index}.{number}", manager=leader)
        evaluatees.append(
            rounds.add_evaluatee(
                session, actor=hr_of(org), round_id=round_id, person_id=leader.id, now=utcnow()
            )
        )
    move(session, org, round_id, RoundStatus.OPEN)
    for evaluatee, (_, score) in zip(evaluatees, scores, strict=True):
        tokens = issue_tokens(session, evaluatee)
        for token in tokens_of(session, evaluatee, tokens, RespondentGroup.EMPLOYEE):
            answer(session, token, {"K1.1": score})
    move(session, org, round_id, RoundStatus.CLOSED)
    move(session, org, round_id, RoundStatus.RELEASED)
    return round_id, org


def test_a_leaders_hidden_answers_do_not_move_the_aggregate(session: Session) -> None:
    """Two aggregates differing by one leader's four employees must not reveal them."""
    round_id, _ = _round_with_leaders(session, [(4, 5), (5, 2), (5, 3), (5, 4)])
    (cell,) = aggregate(session, round_id=round_id)
    assert (cell.field_key, cell.hidden) == ("K1", False)
    assert cell.average == 3.0  # B, C and D only; the four 5s were hidden in A's report


def test_a_cell_of_fewer_than_three_leaders_is_hidden(session: Session) -> None:
    round_id, _ = _round_with_leaders(session, [(5, 2), (5, 3), (4, 4)])
    (cell,) = aggregate(session, round_id=round_id)
    assert cell.hidden
    assert cell.average is None


def test_the_aggregate_is_hrs_only(
    client: TestClient, session: Session, settings: Settings
) -> None:
    round_id, org = _round_with_leaders(session, [(5, 2), (5, 3), (5, 4)])
    session.commit()
    variables = {"round": to_base64("EvaluationRound", round_id)}
    hr = gql(client, op.AGGREGATE, variables, token=token_for(settings, org.hr, Role.HR))
    assert hr["data"]["evaluationAggregate"][0]["average"] == 3.0
    chef = gql(client, op.AGGREGATE, variables, token=token_for(settings, org.chef, Role.CHEF))
    assert chef["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    admin = gql(client, op.AGGREGATE, variables, token=token_for(settings, org.admin, Role.ADMIN))
    assert admin["errors"][0]["extensions"]["code"] == "FORBIDDEN"
