"""No N+1 in the dialogue lists: the chef's list costs the same statements for 2 or 10 years.

The list grows by opening more cycles (one dialogue per report and year), each with
an agreement of two focus statements and their actions; the count must not move.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from catalogue.models import ActionKind, DialogueCycle, DialogueStatus, Role
from catalogue.services.dialogue import agreement
from catalogue.services.dialogue.agreement import ActionInput, FocusInput
from catalogue.settings import Settings
from tests.api.test_sql_counts import _run
from tests.api.tokens import token_for
from tests.dialogue.factories import dialogue_of, open_cycle, statement
from tests.enrolment.factories import Org, make_run, viewer

CHEFS_LIST = """
{ dialogues(first: 100) { totalCount edges { node {
    id status summary viewerStanding agreedAt
    leader { name } chef { name }
    cycle { year title scale { value label } profileVersion }
    focus { position goal statement { key } actions { kind status description
      owner { name } courseRun { code } enrolment { status } } }
    snapshots { number takenAt }
} } } }
"""

#: Measured on SQLite and PostgreSQL: 12 statements for 2 and for 10 years of dialogues.
BOUND = 12


def _year(session: Session, org: Org, year: int, run_id: int) -> DialogueCycle:
    cycle = open_cycle(session, org, year=year)
    for leader in (org.leader, org.peer):
        dialogue = dialogue_of(session, cycle, leader)
        dialogue.status = DialogueStatus.HELD
        session.flush()
        agreement.set_agreement(
            session,
            actor=viewer(org.chef),
            dialogue_id=dialogue.id,
            summary=f"Referat {year}.",
            focuses=[
                FocusInput(
                    statement(session, "K1.5").id,
                    "Mål.",
                    "Tegn.",
                    [ActionInput(ActionKind.COURSE, "Kursus", run_id)],
                ),
                FocusInput(
                    statement(session, "K3.2").id,
                    "Mål.",
                    "Tegn.",
                    [ActionInput(ActionKind.READING, "Bog")],
                ),
            ],
        )
    return cycle


def test_the_chefs_dialogue_list_does_not_grow_with_the_years(
    client: TestClient, settings: Settings, session: Session, connection: Connection, org: Org
) -> None:
    token = token_for(settings, org.chef, Role.CHEF)
    run = make_run(session)
    session.commit()
    demo = _run(client, connection, CHEFS_LIST, token)[1]["dialogues"]["totalCount"]
    for year in (2030, 2031):
        _year(session, org, year, run.id)
    session.commit()
    small, data = _run(client, connection, CHEFS_LIST, token)
    per_two_years = data["dialogues"]["totalCount"] - demo
    assert per_two_years >= 4
    for year in range(2032, 2040):
        _year(session, org, year, run.id)
    session.commit()
    large, data = _run(client, connection, CHEFS_LIST, token)
    assert data["dialogues"]["totalCount"] - demo == 5 * per_two_years
    ours = [e["node"] for e in data["dialogues"]["edges"] if e["node"]["cycle"]["year"] >= 2030]
    assert sum(len(node["focus"]) == 2 for node in ours) == 20
    assert (small, large) == (small, small)
    assert small <= BOUND
