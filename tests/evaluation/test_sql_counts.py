"""No N+1 in evaluation: rounds with their leaders, invitations and counts, and one report.

Each operation is counted, the data grown (more leaders, more respondents), and counted
again: the number of SQL statements must not change.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Connection
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import RespondentGroup, Role, RoundStatus
from catalogue.models.base import utcnow
from catalogue.services import evaluation_rounds as rounds
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.test_sql_counts import counted_statements
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

ROUNDS = """
{ evaluationRounds(first: 10) { totalCount nodes {
    name statements { key }
    evaluatees { person { name } roundName invitations { group email person { name } }
      responseCounts { group invited answered } } } } }
"""
ROUNDS_BOUND = 12  # measured: 10 on SQLite and PostgreSQL alike


def test_rounds_with_leaders_and_invitations_take_a_constant_number_of_statements(
    client: TestClient, session: Session, connection: Connection, settings: Settings
) -> None:
    org = make_org(session, employees=2, peers=0)
    round_id, _ = make_round(session, org, statement_keys=["K1.1"])
    session.commit()
    token = token_for(settings, org.hr, Role.HR)
    with counted_statements(connection) as small:
        assert "errors" not in gql(client, ROUNDS, token=token)
    for index in range(6):
        leader = make_person(session, f"Ekstra leder {index}", manager=org.chef, is_leader=True)
        for number in range(4):
            make_person(session, f"Ekstra ansat {index}.{number}", manager=leader)
        rounds.add_evaluatee(
            session, actor=hr_of(org), round_id=round_id, person_id=leader.id, now=utcnow()
        )
    session.commit()
    with counted_statements(connection) as large:
        body = gql(client, ROUNDS, token=token)
    assert "errors" not in body
    assert len(body["data"]["evaluationRounds"]["nodes"][0]["evaluatees"]) >= 7
    assert len(large) == len(small) <= ROUNDS_BOUND


def test_a_report_takes_the_same_statements_for_five_or_twenty_respondents(
    client: TestClient, session: Session, connection: Connection, settings: Settings
) -> None:
    counts = []
    for employees in (5, 20):
        org = make_org(session, employees=employees, peers=0)
        round_id, evaluatee = make_round(
            session, org, statement_keys=["K1.1", "K1.2", "K2.1"], chef_delay_days=0
        )
        move(session, org, round_id, RoundStatus.OPEN)
        tokens = issue_tokens(session, evaluatee)
        for token in tokens_of(session, evaluatee, tokens, RespondentGroup.EMPLOYEE):
            answer(session, token, {"K1.1": 3, "K1.2": 4, "K2.1": 5})
        move(session, org, round_id, RoundStatus.CLOSED)
        move(session, org, round_id, RoundStatus.RELEASED)
        session.commit()
        leader = token_for(settings, org.leader, Role.LEADER)
        with counted_statements(connection) as statements:
            body = gql(
                client, op.REPORT, {"evaluatee": to_base64("Evaluatee", evaluatee.id)}, token=leader
            )
        assert "errors" not in body, body
        counts.append(len(statements))
    assert counts[0] == counts[1]
