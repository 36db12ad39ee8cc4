"""Who may read what of an evaluation: every field and path, role by role, plus the attacks.

A report: only the leader, the chefs in the line above as the round says (after its
delay) and HR, only after release: directly, in the list, and as PDF. Rounds, evaluatees
and invitations: through ``node(id:)`` and nested. Answers: no path at all.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.graphql.schema import build_schema
from catalogue.logging_setup import MASK, SecretRedactor
from catalogue.models import (
    Base,
    Evaluatee,
    EvaluationInvitation,
    EvaluationRound,
    Person,
    RespondentGroup,
    Role,
    RoundStatus,
)
from catalogue.models.base import utcnow
from catalogue.services.evaluation_rounds import add_respondent
from catalogue.services.evaluation_tokens import new_token
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import token_for
from tests.evaluation import operations as op
from tests.evaluation.factories import (
    EvalOrg,
    answer,
    hr_of,
    issue_tokens,
    make_org,
    make_person,
    make_round,
    move,
    tokens_of,
)

G = RespondentGroup


@dataclass
class Released:
    org: EvalOrg
    round: EvaluationRound
    evaluatee: Evaluatee
    lms: Person
    invitation_ids: dict[RespondentGroup, int]

    @property
    def evaluatee_gid(self) -> str:
        return to_base64("Evaluatee", self.evaluatee.id)


def _released(session: Session, *, release: bool = True) -> Released:
    org = make_org(session, employees=5, peers=1)
    round_id, evaluatee = make_round(
        session, org, statement_keys=["K1.1"], chef_delay_days=7, chef_levels=1
    )
    add_respondent(
        session,
        actor=hr_of(org),
        evaluatee_id=evaluatee.id,
        group=G.PEER,
        email=org.peers[0].email,
        now=utcnow(),
    )
    move(session, org, round_id, RoundStatus.OPEN)
    tokens = issue_tokens(session, evaluatee)
    for group in (G.SELF, G.CHEF, G.EMPLOYEE):
        for token in tokens_of(session, evaluatee, tokens, group):
            answer(session, token, {"K1.1": 4})
    move(session, org, round_id, RoundStatus.CLOSED)
    if release:
        move(session, org, round_id, RoundStatus.RELEASED)
    lms = make_person(session, "LMS konto", is_lms=True)
    org.employees[0].is_leader = True  # an employee who can log in (as a leader elsewhere)
    invitations = {
        inv.group: inv.id
        for inv in session.query(EvaluationInvitation).filter_by(evaluatee_id=evaluatee.id)
    }
    round_ = session.get(EvaluationRound, round_id)
    assert round_ is not None
    session.commit()
    return Released(org, round_, evaluatee, lms, invitations)


@pytest.fixture
def released(session: Session) -> Released:
    return _released(session)


def _viewer(case: Released, who: str) -> tuple[Person, Role] | None:
    org = case.org
    return {
        "leader": (org.leader, Role.LEADER),
        "chef": (org.chef, Role.CHEF),
        "director": (org.director, Role.CHEF),
        "hr": (org.hr, Role.HR),
        "admin": (org.admin, Role.ADMIN),
        "outsider": (org.outsider, Role.LEADER),
        "employee": (org.employees[0], Role.LEADER),
        "lms": (case.lms, Role.LMS),
        "anonymous": None,
    }[who]


def _token(settings: Settings, case: Released, who: str) -> str | None:
    found = _viewer(case, who)
    return token_for(settings, *found) if found else None


# who, chef delay passed, expected: True (report), or the error code
REPORT_MATRIX = [
    ("leader", False, True),
    ("chef", False, "NOT_FOUND"),
    ("chef", True, True),
    ("director", True, "NOT_FOUND"),
    ("hr", False, True),
    ("admin", True, "FORBIDDEN"),
    ("outsider", True, "NOT_FOUND"),
    ("employee", True, "NOT_FOUND"),
    ("lms", True, "FORBIDDEN"),
    ("anonymous", True, "UNAUTHENTICATED"),
]


@pytest.mark.parametrize(("who", "delay_passed", "expected"), REPORT_MATRIX)
def test_report_by_role_directly_in_the_list_and_as_pdf(
    client: TestClient,
    session: Session,
    settings: Settings,
    released: Released,
    who: str,
    delay_passed: bool,
    expected: bool | str,
) -> None:
    if delay_passed:
        released.round.released_at = utcnow() - timedelta(days=8)
        session.commit()
    token = _token(settings, released, who)
    body = gql(client, op.REPORT, {"evaluatee": released.evaluatee_gid}, token=token)
    listed = gql(client, op.READABLE, token=token)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    pdf = client.get(f"/evaluation/reports/{released.evaluatee_gid}.pdf", headers=headers)
    if expected is True:
        assert body["data"]["evaluationReport"]["personName"] == "Lea Leder"
        assert released.evaluatee_gid in [
            e["id"] for e in listed["data"]["readableEvaluationReports"]
        ]
        assert pdf.status_code == 200
    else:
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == expected
        ids = [e["id"] for e in (listed.get("data") or {}).get("readableEvaluationReports") or []]
        assert released.evaluatee_gid not in ids
        assert pdf.status_code in (401, 403, 404)
        assert b"Lea" not in pdf.content


def test_the_chefs_chef_reads_when_the_round_says_two_levels(
    client: TestClient, session: Session, settings: Settings, released: Released
) -> None:
    released.round.chef_levels = 2
    released.round.released_at = utcnow() - timedelta(days=8)
    session.commit()
    token = _token(settings, released, "director")
    body = gql(client, op.REPORT, {"evaluatee": released.evaluatee_gid}, token=token)
    assert body["data"]["evaluationReport"]["personName"] == "Lea Leder"


@pytest.mark.parametrize("who", ["leader", "hr"])
def test_no_one_reads_a_closed_round_before_release(
    client: TestClient, session: Session, settings: Settings, who: str
) -> None:
    case = _released(session, release=False)
    body = gql(
        client, op.REPORT, {"evaluatee": case.evaluatee_gid}, token=_token(settings, case, who)
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


NODE = "query($id: ID!) { node(id: $id) { __typename id } }"

# (type, who) -> visible through node(id:)
NODE_MATRIX = [
    ("EvaluationRound", "hr", True),
    ("EvaluationRound", "admin", True),
    ("EvaluationRound", "leader", False),
    ("EvaluationRound", "chef", False),
    ("Evaluatee", "hr", True),
    ("Evaluatee", "leader", True),
    ("Evaluatee", "chef", True),
    ("Evaluatee", "director", False),
    ("Evaluatee", "outsider", False),
    ("Evaluatee", "employee", False),
    ("Evaluatee", "anonymous", False),
    ("EvaluationInvitation:EMPLOYEE", "hr", True),
    ("EvaluationInvitation:EMPLOYEE", "leader", False),
    ("EvaluationInvitation:EMPLOYEE", "chef", False),
    ("EvaluationInvitation:PEER", "leader", True),
    ("EvaluationInvitation:PEER", "chef", True),
    ("EvaluationInvitation:PEER", "outsider", False),
]


@pytest.mark.parametrize(("kind", "who", "visible"), NODE_MATRIX)
def test_node_by_role(
    client: TestClient,
    settings: Settings,
    released: Released,
    kind: str,
    who: str,
    visible: bool,
) -> None:
    type_name, _, group = kind.partition(":")
    number = {
        "EvaluationRound": released.round.id,
        "Evaluatee": released.evaluatee.id,
        "EvaluationInvitation": released.invitation_ids.get(G(group)) if group else None,
    }[type_name]
    assert number is not None
    body = gql(
        client, NODE, {"id": to_base64(type_name, number)}, token=_token(settings, released, who)
    )
    node = body["data"]["node"]
    assert (node is not None) is visible, body


NESTED = """
query($id: ID!) {
  node(id: $id) {
    ... on Evaluatee { invitations { group email } round { id } }
  }
}"""


def test_nested_the_leader_sees_only_peer_invitations_and_no_round(
    client: TestClient, settings: Settings, released: Released
) -> None:
    body = gql(
        client, NESTED, {"id": released.evaluatee_gid}, token=_token(settings, released, "leader")
    )
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"  # round: HR only
    hr = gql(client, NESTED, {"id": released.evaluatee_gid}, token=_token(settings, released, "hr"))
    groups = {i["group"] for i in hr["data"]["node"]["invitations"]}
    assert groups == {"SELF", "CHEF", "EMPLOYEE", "PEER"}
    only = gql(
        client,
        "query($id: ID!) { node(id: $id) { ... on Evaluatee { invitations { group } } } }",
        {"id": released.evaluatee_gid},
        token=_token(settings, released, "leader"),
    )
    assert {i["group"] for i in only["data"]["node"]["invitations"]} == {"PEER"}


@pytest.mark.parametrize(("who", "allowed"), [("hr", True), ("leader", False), ("chef", False)])
def test_response_counts_are_for_hr_only(
    client: TestClient, settings: Settings, released: Released, who: str, allowed: bool
) -> None:
    body = gql(
        client,
        "query($id: ID!) { node(id: $id) { ... on Evaluatee { responseCounts "
        "{ group answered } } } }",
        {"id": released.evaluatee_gid},
        token=_token(settings, released, who),
    )
    if allowed:
        counts = {c["group"]: c["answered"] for c in body["data"]["node"]["responseCounts"]}
        assert counts["EMPLOYEE"] == 5
    else:
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# --- no path to an answer --------------------------------------------------------------


@pytest.mark.parametrize(
    "type_name", ["EvaluationAnswerSet", "EvaluationRating", "EvaluationComment"]
)
@pytest.mark.parametrize("who", ["hr", "admin"])
def test_node_of_an_answer_finds_nothing_even_for_hr_and_admin(
    client: TestClient, settings: Settings, released: Released, type_name: str, who: str
) -> None:
    body = gql(client, NODE, {"id": to_base64(type_name, 1)}, token=_token(settings, released, who))
    assert body.get("data") in (None, {"node": None})
    assert "errors" in body


def test_the_schema_has_no_type_or_field_for_an_answer_or_a_link_value() -> None:
    sdl = build_schema(Settings()).as_str()
    for word in ("AnswerSet", "EvaluationRating ", "changeKey", "tokenHash", "answerSetId"):
        assert word not in sdl, word


ANSWER_TABLES = ("evaluation_answer_set", "evaluation_rating", "evaluation_comment")


def test_no_answer_table_has_a_column_that_leads_to_a_respondent(session: Session) -> None:
    """The rule in the schema itself: no foreign key to a person or an invitation, no time."""
    inspector = inspect(session.get_bind())
    for table in ANSWER_TABLES:
        targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert targets <= {
            "evaluatee",
            "evaluation_answer_set",
            "competence_statement",
            "competence_field",
        }, table
        columns = {c["name"] for c in inspector.get_columns(table)}
        assert not columns & {
            "invitation_id",
            "person_id",
            "respondent_id",
            "email",
            "created_at",
            "updated_at",
            "answered_at",
        }, table
        assert {c["name"]: str(c["type"]) for c in inspector.get_columns(table)}["id"] in (
            "CHAR(32)",
            "UUID",
        )
    answered = {c["name"] for c in inspector.get_columns("evaluation_invitation_answered")}
    assert answered == {"invitation_id"}
    assert set(Base.metadata.tables) >= set(ANSWER_TABLES)


# --- attacks ---------------------------------------------------------------------------


def test_a_leader_cannot_answer_as_a_peer_for_themself(
    client: TestClient, session: Session, settings: Settings
) -> None:
    org = make_org(session, employees=5, peers=0)
    _, evaluatee = make_round(session, org, statement_keys=["K1.1"])
    session.commit()
    gid = to_base64("Evaluatee", evaluatee.id)
    leader = token_for(settings, org.leader, Role.LEADER)
    proposed = gql(
        client,
        op.PROPOSE_PEER,
        {"input": {"evaluateeId": gid, "personId": to_base64("Person", org.leader.id)}},
        token=leader,
    )["data"]["proposeEvaluationPeer"]
    assert proposed["invitation"] is None
    assert proposed["userErrors"][0]["field"] == "email"
    assert "sig selv" in proposed["userErrors"][0]["message"]
    hr = token_for(settings, org.hr, Role.HR)
    added = gql(
        client,
        op.ADD_RESPONDENT,
        {"input": {"evaluateeId": gid, "group": "PEER", "email": "  " + org.leader.email.upper()}},
        token=hr,
    )["data"]["addEvaluationRespondent"]
    assert added["userErrors"][0]["code"] == "INVALID"


def test_someone_else_cannot_propose_peers_for_a_leader(
    client: TestClient, session: Session, settings: Settings
) -> None:
    org = make_org(session, employees=0, peers=1)
    _, evaluatee = make_round(session, org, statement_keys=["K1.1"])
    session.commit()
    outsider = token_for(settings, org.outsider, Role.LEADER)
    result = gql(
        client,
        op.PROPOSE_PEER,
        {
            "input": {
                "evaluateeId": to_base64("Evaluatee", evaluatee.id),
                "personId": to_base64("Person", org.outsider.id),
            }
        },
        token=outsider,
    )["data"]["proposeEvaluationPeer"]
    assert result["userErrors"][0]["code"] == "FORBIDDEN"


def test_a_proposed_peer_is_asked_only_after_the_chef_approves(
    client: TestClient, session: Session, settings: Settings
) -> None:
    org = make_org(session, employees=0, peers=1)
    _, evaluatee = make_round(session, org, statement_keys=["K1.1"])
    session.commit()
    proposed = gql(
        client,
        op.PROPOSE_PEER,
        {
            "input": {
                "evaluateeId": to_base64("Evaluatee", evaluatee.id),
                "personId": to_base64("Person", org.peers[0].id),
            }
        },
        token=token_for(settings, org.leader, Role.LEADER),
    )["data"]["proposeEvaluationPeer"]
    assert proposed["invitation"]["status"] == "PROPOSED"
    decide = {"input": {"invitationId": proposed["invitation"]["id"], "approve": True}}
    by_outsider = gql(
        client, op.DECIDE_PEER, decide, token=token_for(settings, org.outsider, Role.CHEF)
    )
    assert by_outsider["data"]["decideEvaluationPeer"]["userErrors"][0]["code"] == "NOT_FOUND"
    by_chef = gql(client, op.DECIDE_PEER, decide, token=token_for(settings, org.chef, Role.CHEF))
    assert by_chef["data"]["decideEvaluationPeer"]["invitation"]["status"] == "ACTIVE"


def test_a_leader_with_four_employees_and_one_peer_sees_only_the_merged_others(
    client: TestClient, session: Session, settings: Settings
) -> None:
    org = make_org(session, employees=4, peers=1)
    round_id, evaluatee = make_round(session, org, statement_keys=["K1.1"], chef_delay_days=0)
    add_respondent(
        session,
        actor=hr_of(org),
        evaluatee_id=evaluatee.id,
        group=G.PEER,
        email=org.peers[0].email,
        now=utcnow(),
    )
    move(session, org, round_id, RoundStatus.OPEN)
    tokens = issue_tokens(session, evaluatee)
    for token in tokens_of(session, evaluatee, tokens, G.EMPLOYEE):
        answer(session, token, {"K1.1": 5})
    (peer,) = tokens_of(session, evaluatee, tokens, G.PEER)
    answer(session, peer, {"K1.1": 1})
    move(session, org, round_id, RoundStatus.CLOSED)
    move(session, org, round_id, RoundStatus.RELEASED)
    session.commit()
    body = gql(
        client,
        op.REPORT,
        {"evaluatee": to_base64("Evaluatee", evaluatee.id)},
        token=token_for(settings, org.leader, Role.LEADER),
    )["data"]["evaluationReport"]
    (statement,) = body["fields"][0]["statements"]
    assert [(g["group"], g["count"]) for g in statement["groups"]] == [("OTHERS", 5)]
    assert body["respondents"] == []  # neither group reaches its threshold on its own


def test_guessed_and_malformed_tokens_are_refused_alike(
    client: TestClient, released: Released
) -> None:
    guesses = [new_token() for _ in range(50)]
    malformed = ["", "ev_", "ev_" + "A" * 42 + "\x00", "x" * 100_000, "ev_" + "Æ" * 43]
    for token in guesses + malformed:
        body = gql(client, op.QUESTIONNAIRE, {"token": token})
        codes = {e["extensions"].get("code") for e in body["errors"]}
        assert codes <= {"INVALID_TOKEN", "BAD_USER_INPUT"}, (token[:10], body)
        submitted = gql(
            client, op.SUBMIT, {"input": {"token": token, "ratings": [op.rating("K1.1", 1)]}}
        )
        if submitted.get("data"):
            errors = submitted["data"]["submitEvaluationAnswers"]["userErrors"]
            assert errors[0]["code"] == "INVALID_TOKEN"
            assert errors[0]["message"].startswith("Linket er ikke gyldigt")


def test_a_link_token_in_a_log_line_is_masked() -> None:
    token = new_token()
    assert (
        SecretRedactor().redact(f"POST /evaluering/{token} 200") == f"POST /evaluering/{MASK} 200"
    )


def test_tokens_are_unguessable() -> None:
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000
    assert all(len(t) == 46 for t in tokens)
    assert secrets  # 256 bits from secrets.token_urlsafe: see services/evaluation_tokens.py
