"""The whole dialogue through GraphQL, on both backends, with the issue's bad input on the way.

Each refusal is a Danish userError with a stable code, and nothing stored changes:
the dialogue is read back after every one.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import Role
from catalogue.models.base import utcnow
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import token_for
from tests.dialogue.factories import foreign_statement, statement
from tests.enrolment.factories import Org, make_run, started

PAYLOAD = "{ dialogue { id status } userErrors { field message code } }"


class Party:
    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.token = token

    def run(self, query: str, **variables: Any) -> dict[str, Any]:
        body = gql(self.client, query, variables, token=self.token)
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    def mutate(self, name: str, input: dict[str, Any], selection: str = PAYLOAD) -> dict[str, Any]:
        input_type = f"{name[0].upper()}{name[1:]}Input"
        data = self.run(
            f"mutation($input: {input_type}!) {{ {name}(input: $input) {selection} }}",
            input=input,
        )
        payload: dict[str, Any] = data[name]
        return payload

    def ok(self, name: str, input: dict[str, Any], selection: str = PAYLOAD) -> dict[str, Any]:
        payload = self.mutate(name, input, selection)
        assert payload["userErrors"] == [], payload
        return payload


ROWS = """
query($id: ID!) { node(id: $id) { ... on Dialogue {
  status summary
  statements { statement { key } importance priority difference
    selfAssessment { score label } chefAssessment { score label } }
  focus { statement { key } goal actions { id kind status enrolment { status } } }
  snapshots { number content }
} } }
"""


def _dialogue(party: Party, dialogue_id: str) -> dict[str, Any]:
    node: dict[str, Any] = party.run(ROWS, id=dialogue_id)["node"]
    return node


def _row(node: dict[str, Any], key: str) -> dict[str, Any]:
    return next(r for r in node["statements"] if r["statement"]["key"] == key)


def test_a_full_cycle_through_graphql_with_bad_input_refused(
    client: TestClient, settings: Settings, session: Session, org: Org
) -> None:
    hr = Party(client, token_for(settings, org.hr, Role.HR))
    leader = Party(client, token_for(settings, org.leader, Role.LEADER))
    chef = Party(client, token_for(settings, org.chef, Role.CHEF))
    stranger = Party(client, token_for(settings, org.other_leader, Role.LEADER))
    lms = Party(client, token_for(settings, org.lms, Role.LMS))
    k15, k32, k21, k41 = (statement(session, k) for k in ("K1.5", "K3.2", "K2.1", "K4.1"))
    old = foreign_statement(session)
    run = make_run(session, capacity=4, primary=["K1.5"])
    session.commit()
    sid = {
        key: to_base64("CompetenceStatement", s.id)
        for key, s in (("K1.5", k15), ("K3.2", k32), ("K2.1", k21), ("K4.1", k41), ("old", old))
    }
    today = datetime.now(UTC).date()

    created = hr.ok(
        "dialogueCycleCreate",
        {
            "year": 2031,
            "title": "LUS 2031",
            "opensOn": (today - timedelta(days=3)).isoformat(),
            "preparationDue": (today + timedelta(days=7)).isoformat(),
            "meetingFrom": today.isoformat(),
            "meetingUntil": (today + timedelta(days=30)).isoformat(),
            "closesOn": (today + timedelta(days=200)).isoformat(),
        },
        "{ cycle { id status scale { value label } dontKnowLabel } "
        "userErrors { field message code } }",
    )
    cycle = created["cycle"]
    assert cycle["scale"][0] == {"value": 1, "label": "i meget lav grad"}
    assert cycle["scale"][-1] == {"value": 5, "label": "i meget høj grad"}
    assert cycle["dontKnowLabel"] == "ved ikke"
    hr.ok("dialogueCycleOpen", {"cycleId": cycle["id"]}, "{ cycle { status } userErrors { code } }")
    mine = leader.run(
        "query($c: ID!) { dialogues(cycle: $c) { edges { node { id status chef { name } } } } }",
        c=cycle["id"],
    )["dialogues"]["edges"]
    assert len(mine) == 1
    dialogue_id = mine[0]["node"]["id"]
    assert mine[0]["node"]["chef"]["name"] == org.chef.name

    # Bad input in the preparation: a score off the scale, a statement of another version.
    refused = leader.mutate(
        "dialoguePreparationSave",
        {
            "dialogueId": dialogue_id,
            "assessments": [
                {"statementId": sid["K1.5"], "score": 6},
                {"statementId": sid["old"], "score": 3},
            ],
        },
    )
    assert refused["dialogue"] is None
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        ("assessments[0].score", "INVALID"),
        ("assessments[1].statementId", "INVALID"),
    ]
    assert "skal være 1–5 eller »ved ikke«" in refused["userErrors"][0]["message"]
    assert "profilversion" in refused["userErrors"][1]["message"]
    assert _dialogue(leader, dialogue_id)["status"] == "INVITED"

    leader.ok(
        "dialoguePreparationSave",
        {
            "dialogueId": dialogue_id,
            "importances": [{"statementId": sid["K1.5"], "importance": 3}],
            "assessments": [
                {"statementId": sid["K1.5"], "score": 2, "comment": "Usikker."},
                {"statementId": sid["K3.2"]},
            ],
        },
    )
    chef.ok(
        "dialoguePreparationSave",
        {
            "dialogueId": dialogue_id,
            "assessments": [
                {"statementId": sid["K1.5"], "score": 3},
                {"statementId": sid["K3.2"], "score": 4},
            ],
        },
    )
    leader.ok("dialoguePreparationSubmit", {"dialogueId": dialogue_id})
    blind = _row(_dialogue(chef, dialogue_id), "K1.5")
    assert blind["selfAssessment"] is None  # the server does not send the leader's draft
    assert _row(_dialogue(leader, dialogue_id), "K1.5")["chefAssessment"] is None
    chef.ok("dialoguePreparationSubmit", {"dialogueId": dialogue_id})
    side = _row(_dialogue(chef, dialogue_id), "K1.5")
    assert side["selfAssessment"] == {"score": 2, "label": "i lav grad"}
    assert side["chefAssessment"] == {"score": 3, "label": "i nogen grad"}
    assert side["difference"] == -1
    assert _row(_dialogue(chef, dialogue_id), "K3.2")["selfAssessment"]["label"] == "ved ikke"

    meeting = datetime.combine(today + timedelta(days=2), time(9), tzinfo=UTC)
    chef.ok(
        "dialogueMeetingSchedule",
        {"dialogueId": dialogue_id, "meetingAt": meeting.isoformat(), "place": "Rådhuset"},
    )
    chef.ok(
        "dialogueMeetingRecord",
        {"dialogueId": dialogue_id, "importances": [{"statementId": sid["K1.5"], "importance": 3}]},
    )
    course_run = to_base64("CourseRun", run.id)
    two = [
        {
            "statementId": sid["K1.5"],
            "goal": "Lede forandringen med ro.",
            "successCriteria": "Medarbejderne kender retningen.",
            "actions": [
                {"kind": "COURSE", "description": "Forandringsledelse", "courseRunId": course_run}
            ],
        },
        {
            "statementId": sid["K3.2"],
            "goal": "Bruge data i dialogen.",
            "successCriteria": "To sager med data.",
            "actions": [{"kind": "MENTORING", "description": "Mentor fra økonomi"}],
        },
    ]
    # A fourth focus statement is refused, and nothing of the agreement is stored.
    four = [
        *two,
        *(
            {"statementId": sid[k], "goal": "Mål", "successCriteria": "Tegn"}
            for k in ("K2.1", "K4.1")
        ),
    ]
    too_many = chef.mutate(
        "dialogueAgreementSet", {"dialogueId": dialogue_id, "summary": "Referat.", "focuses": four}
    )
    assert too_many["userErrors"][0]["code"] == "INVALID"
    assert too_many["userErrors"][0]["field"] == "focuses"
    assert too_many["userErrors"][0]["message"] == "Der kan højst aftales 3 fokusudsagn (fik 4)."
    assert _dialogue(chef, dialogue_id)["focus"] == []

    chef.ok(
        "dialogueAgreementSet",
        {"dialogueId": dialogue_id, "summary": "Vi aftalte K1.5 og K3.2.", "focuses": two},
    )
    # Someone else's summary: another leader gets the answer for a dialogue that is not there.
    foreign = stranger.mutate("dialogueSummaryConfirm", {"dialogueId": dialogue_id})
    assert foreign["userErrors"] == [
        {
            "field": "dialogueId",
            "message": "Samtalen findes ikke, eller du har ikke adgang til den.",
            "code": "NOT_FOUND",
        }
    ]
    leader.ok("dialogueSummaryConfirm", {"dialogueId": dialogue_id})
    again = leader.ok("dialogueSummaryConfirm", {"dialogueId": dialogue_id})
    assert again["dialogue"]["status"] == "HELD"  # the same confirmation twice counts once
    assert chef.ok("dialogueSummaryConfirm", {"dialogueId": dialogue_id})["dialogue"]["status"] == (
        "AGREED"
    )

    # Editing after AGREED without reopening is refused, and nothing changes.
    late = leader.mutate(
        "dialogueAgreementSet",
        {"dialogueId": dialogue_id, "summary": "Ændret.", "focuses": two[:1]},
    )
    assert late["userErrors"] == [
        {
            "field": "dialogueId",
            "message": "Aftalen er indgået; chefen skal genåbne samtalen, før den kan ændres.",
            "code": "INVALID_TRANSITION",
        }
    ]
    agreed = _dialogue(leader, dialogue_id)
    assert agreed["summary"] == "Vi aftalte K1.5 og K3.2."
    assert [f["statement"]["key"] for f in agreed["focus"]] == ["K1.5", "K3.2"]
    assert [s["number"] for s in agreed["snapshots"]] == [1]
    assert [f["statement"] for f in agreed["snapshots"][0]["content"]["focus"]] == ["K1.5", "K3.2"]

    course_action = agreed["focus"][0]["actions"][0]["id"]
    mentoring = agreed["focus"][1]["actions"][0]["id"]
    booked = chef.ok(
        "developmentActionBook",
        {"actionId": course_action},
        "{ developmentAction { status enrolment { id status } } userErrors { code } }",
    )["developmentAction"]
    assert booked["status"] == "BOOKED"
    assert booked["enrolment"]["status"] == "ENROLLED"
    started(session, run)
    session.commit()
    lms.run(
        "mutation($input: RecordCompletionInput!) { recordCompletion(input: $input) "
        "{ userErrors { code } } }",
        input={"enrolmentId": booked["enrolment"]["id"], "completedAt": utcnow().isoformat()},
    )
    leader.ok(
        "developmentActionStatusSet",
        {"actionId": mentoring, "status": "DONE"},
        "{ developmentAction { status } userErrors { code } }",
    )
    done = _dialogue(leader, dialogue_id)
    assert [a["status"] for f in done["focus"] for a in f["actions"]] == ["DONE", "DONE"]

    chef.ok("dialogueFollowUpRecord", {"dialogueId": dialogue_id, "note": "Godt på vej."})
    hr.ok(
        "dialogueCycleClose", {"cycleId": cycle["id"]}, "{ cycle { status } userErrors { code } }"
    )
    closed = _dialogue(leader, dialogue_id)
    assert closed["status"] == "CLOSED"
    assert closed["snapshots"] == agreed["snapshots"]
