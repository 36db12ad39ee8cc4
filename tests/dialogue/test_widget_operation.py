"""The widget's persisted operation shows the leader's own focus and plan, by hash too."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from catalogue.models import ActionKind, DialogueCycle, DialogueStatus, Role
from catalogue.services.dialogue import agreement
from catalogue.services.dialogue.agreement import ActionInput, FocusInput
from catalogue.settings import Settings
from tests.api.lms_operations import OPERATIONS
from tests.api.tokens import token_for
from tests.dialogue.factories import dialogue_of, statement
from tests.enrolment.factories import Org, make_run, viewer

PLAN = OPERATIONS["LeaderDevelopmentPlan"]


def test_the_widget_shows_the_leaders_focus_and_plan_and_only_theirs(
    client: TestClient, settings: Settings, session: Session, org: Org, cycle: DialogueCycle
) -> None:
    run = make_run(session)
    dialogue = dialogue_of(session, cycle, org.leader)
    dialogue.status = DialogueStatus.HELD
    session.flush()
    agreement.set_agreement(
        session,
        actor=viewer(org.chef),
        dialogue_id=dialogue.id,
        summary="Referat.",
        focuses=[
            FocusInput(
                statement(session, "K1.5").id,
                "Lede forandringen.",
                "Retningen er kendt.",
                [ActionInput(ActionKind.COURSE, "Kurset", run.id)],
            )
        ],
    )
    session.commit()
    body = {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": PLAN.sha256}},
        "variables": {},
    }
    token = token_for(settings, org.leader, Role.LEADER)
    answer = client.post("/graphql", json=body, headers={"Authorization": f"Bearer {token}"})
    me = answer.json()["data"]["me"]
    newest = me["dialogues"][0]
    assert newest["cycle"]["year"] == cycle.year
    [focus] = newest["focus"]
    assert focus["statement"]["key"] == "K1.5"
    assert focus["goal"] == "Lede forandringen."
    assert focus["actions"] == [
        {
            "kind": "COURSE",
            "description": "Kurset",
            "status": "PLANNED",
            "dueOn": None,
            "courseRun": {"code": run.code, "startsAt": run.starts_at.isoformat()},
        }
    ]
    peer = token_for(settings, org.peer, Role.LEADER)
    other = client.post("/graphql", json=body, headers={"Authorization": f"Bearer {peer}"})
    assert all(d["focus"] == [] for d in other.json()["data"]["me"]["dialogues"])
