"""A round from start to report through the API, with real e-mails and the respondents' links.

HR sets the round up and opens it; the invitations go out through a real SMTP server
(aiosmtpd on loopback); every respondent answers through the token in their own
e-mail, one changes an answer, one never answers and gets exactly one reminder; HR
closes and releases; the leader reads the report and its PDF.
"""

from __future__ import annotations

import io
from datetime import timedelta

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import (
    EvaluationAnswerSet,
    EvaluationComment,
    EvaluationInvitation,
    EvaluationRating,
    Role,
)
from catalogue.models.base import utcnow
from catalogue.services.evaluation_mail import send_due_mail
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import token_for
from tests.evaluation import operations as op
from tests.evaluation.factories import make_org
from tests.evaluation.smtp import Inbox


def test_a_round_runs_from_invitation_to_released_report(
    client: TestClient, session: Session, mail_settings: Settings, inbox: Inbox
) -> None:
    org = make_org(session, employees=6, peers=0)
    session.commit()
    hr = token_for(mail_settings, org.hr, Role.HR)
    closes_at = utcnow() + timedelta(days=10)
    created = gql(
        client,
        op.CREATE_ROUND,
        {
            "input": {
                "round": {
                    "name": "Ledelsesevaluering forår 2027",
                    "opensOn": utcnow().date().isoformat(),
                    "closesAt": closes_at.isoformat(),
                    "statementKeys": ["K1.1", "K1.2"],
                    "reminderDays": [2],
                    "chefDelayDays": 0,
                }
            }
        },
        token=hr,
    )["data"]["createEvaluationRound"]
    assert created["userErrors"] == []
    assert created["round"]["employeeThreshold"] == 5
    round_id = created["round"]["id"]
    added = gql(
        client,
        op.ADD_EVALUATEE,
        {"input": {"roundId": round_id, "personId": to_base64("Person", org.leader.id)}},
        token=hr,
    )["data"]["addEvaluatee"]
    assert added["userErrors"] == []
    evaluatee_id = added["evaluatee"]["id"]
    opened = gql(
        client, op.CHANGE_STATUS, {"input": {"roundId": round_id, "status": "OPEN"}}, token=hr
    )["data"]["changeEvaluationRoundStatus"]
    assert opened["round"]["status"] == "OPEN", opened

    run = send_due_mail(session, mail_settings, now=utcnow())
    assert run.invitations == 8  # the leader, the chef, six employees
    assert send_due_mail(session, mail_settings, now=utcnow()).invitations == 0  # sent once
    assert len(inbox.messages) == 8
    own = inbox.token_in(inbox.to(org.leader.email)[0])
    chef = inbox.token_in(inbox.to(org.chef.email)[0])
    staff = [inbox.token_in(inbox.to(p.email)[0]) for p in org.employees]
    assert "https://ltk.test/evaluering/ev_" in inbox.to(org.leader.email)[0].get_content()

    page = gql(client, op.QUESTIONNAIRE, {"token": staff[0]})["data"]["evaluationQuestionnaire"]
    assert page["evaluateeName"] == "Lea Leder"
    assert page["group"] == "EMPLOYEE"
    assert [s["key"] for f in page["fields"] for s in f["statements"]] == ["K1.1", "K1.2"]

    def submit(token: str, *ratings: dict[str, object], comment: str | None = None) -> dict:  # type: ignore[type-arg]
        comments = [{"fieldKey": "K1", "text": comment}] if comment is not None else []
        result = gql(
            client,
            op.SUBMIT,
            {"input": {"token": token, "ratings": list(ratings), "comments": comments}},
        )["data"]["submitEvaluationAnswers"]
        return result  # type: ignore[no-any-return]

    assert submit(own, op.rating("K1.1", 5), op.rating("K1.2", 4))["userErrors"] == []
    assert submit(chef, op.rating("K1.1", 3), op.rating("K1.2", 3))["userErrors"] == []
    for index, token in enumerate(staff[:5]):
        done = submit(token, op.rating("K1.1", 2), op.rating("K1.2", 4), comment=f"Tak {index}")
        assert done["userErrors"] == []
    changed = submit(staff[0], op.rating("K1.1", 4))  # comes back and changes one answer
    assert changed["userErrors"] == []
    statements = changed["questionnaire"]["fields"][0]["statements"]
    assert [(s["key"], s["score"]) for s in statements] == [("K1.1", 4), ("K1.2", 4)]
    assert changed["questionnaire"]["fields"][0]["comment"] == "Tak 0"

    reminders = send_due_mail(session, mail_settings, now=closes_at - timedelta(days=1))
    assert (reminders.invitations, reminders.reminders) == (0, 1)
    reminded = inbox.to(org.employees[5].email)
    assert len(reminded) == 2
    assert "Påmindelse" in reminded[1]["Subject"]
    assert send_due_mail(session, mail_settings, now=closes_at - timedelta(hours=1)).reminders == 0

    for status in ("CLOSED", "RELEASED"):
        moved = gql(
            client, op.CHANGE_STATUS, {"input": {"roundId": round_id, "status": status}}, token=hr
        )["data"]["changeEvaluationRoundStatus"]
        assert moved["userErrors"] == [], moved
    # Closing forgot every value that led from a link to answers.
    assert (
        session.scalar(
            select(func.count())
            .select_from(EvaluationAnswerSet)
            .where(EvaluationAnswerSet.change_key.is_not(None))
        )
        == 0
    )
    assert (
        session.scalar(
            select(func.count())
            .select_from(EvaluationComment)
            .where(EvaluationComment.change_key.is_not(None))
        )
        == 0
    )
    assert (
        session.scalar(
            select(func.count())
            .select_from(EvaluationInvitation)
            .where(EvaluationInvitation.token_hash.is_not(None))
        )
        == 0
    )
    late = submit(staff[5], op.rating("K1.1", 1))
    assert late["userErrors"][0]["code"] == "INVALID_TOKEN"

    leader = token_for(mail_settings, org.leader, Role.LEADER)
    report = gql(client, op.REPORT, {"evaluatee": evaluatee_id}, token=leader)
    assert "errors" not in report, report
    body = report["data"]["evaluationReport"]
    k11 = body["fields"][0]["statements"][0]
    assert (k11["selfScore"], k11["chefScore"]) == (5, 3.0)
    assert [(g["group"], g["count"], g["average"]) for g in k11["groups"]] == [("EMPLOYEE", 5, 2.4)]
    assert k11["groups"][0]["distribution"] == [0, 4, 0, 1, 0]
    assert k11["othersAverage"] == round((3 + 12) / 6, 2)
    assert sorted(c["text"] for c in body["fields"][0]["comments"]) == [
        f"Tak {i}" for i in range(5)
    ]
    assert session.scalar(select(func.count()).select_from(EvaluationRating)) >= 14

    pdf = client.get(body["pdfUrl"], headers={"Authorization": f"Bearer {leader}"})
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Lea Leder" in text
    assert "K1.1" in text
    assert "Medarbejdere 2,40 (n=5)" in text
