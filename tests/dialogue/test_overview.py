"""HR's overview: counts of leaders, every cell of 1–4 leaders suppressed, in API, CSV and XLSX."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import Dialogue, DialogueCycle, DialogueStatus, Role
from catalogue.services.dialogue import agreement
from catalogue.services.dialogue.agreement import FocusInput
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import token_for
from tests.dialogue.factories import statement
from tests.enrolment.factories import Org, viewer

QUERY = """query($id: ID!) { dialogueOverview(cycle: $id) {
  year csvUrl xlsxUrl cells { section label leaders suppressed } } }"""


def _prepare(session: Session, cycle: DialogueCycle) -> None:
    """Six leaders agree a K1.5 focus (HELD, editable); two of them also focus on K3.2."""
    dialogues = list(
        session.scalars(select(Dialogue).where(Dialogue.cycle_id == cycle.id).order_by(Dialogue.id))
    )[:6]
    for i, dialogue in enumerate(dialogues):
        dialogue.status = DialogueStatus.HELD
        session.flush()
        chef = viewer(dialogue.chef)
        focuses = [FocusInput(statement(session, "K1.5").id, "Mål.", "Tegn.")]
        if i < 2:
            focuses.append(FocusInput(statement(session, "K3.2").id, "Mål.", "Tegn."))
        agreement.set_agreement(
            session, actor=chef, dialogue_id=dialogue.id, summary="Referat.", focuses=focuses
        )
    session.commit()


def test_small_cells_are_suppressed_in_the_api_and_in_both_downloads(
    client: TestClient, settings: Settings, session: Session, org: Org, cycle: DialogueCycle
) -> None:
    _prepare(session, cycle)
    token = token_for(settings, org.hr, Role.HR)
    body = gql(client, QUERY, {"id": to_base64("DialogueCycle", cycle.id)}, token=token)
    overview = body["data"]["dialogueOverview"]
    cells = {(c["section"], c["label"]): c for c in overview["cells"]}
    assert cells[("status", "HELD")]["leaders"] == 6
    assert cells[("status", "READY")] == {
        "section": "status",
        "label": "READY",
        "leaders": 0,
        "suppressed": False,
    }
    assert cells[("field", "K1")]["leaders"] == 6
    assert cells[("field", "K3")] == {
        "section": "field",
        "label": "K3",
        "leaders": None,
        "suppressed": True,
    }
    assert all(
        c["leaders"] is None or c["leaders"] == 0 or c["leaders"] >= 5 for c in cells.values()
    )

    headers = {"Authorization": f"Bearer {token}"}
    as_csv = client.get(overview["csvUrl"], headers=headers)
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Afsnit", "Betegnelse", "Ledere"]
    assert ["Fokusudsagn pr. kompetencefelt", "K3", "under 5"] in rows
    assert ["Fokusudsagn pr. kompetencefelt", "K1", "6"] in rows

    as_xlsx = client.get(overview["xlsxUrl"], headers=headers)
    assert as_xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    values = [tuple(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert ("Fokusudsagn pr. kompetencefelt", "K3", "under 5") in values
    assert ("Fokusudsagn pr. kompetencefelt", "K1", 6) in values
    assert len(values) == len(rows) - 1


def test_only_hr_gets_the_overview(
    client: TestClient, settings: Settings, org: Org, cycle: DialogueCycle, session: Session
) -> None:
    session.commit()
    cycle_id = to_base64("DialogueCycle", cycle.id)
    chef = token_for(settings, org.chef, Role.CHEF)
    body = gql(client, QUERY, {"id": cycle_id}, token=chef)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    refused = client.get(
        f"/dialogue-overview/{cycle_id}.csv", headers={"Authorization": f"Bearer {chef}"}
    )
    assert refused.status_code == 403
    assert "dialogue.administer" in refused.json()["errors"][0]["message"]
    hr = {"Authorization": f"Bearer {token_for(settings, org.hr, Role.HR)}"}
    assert client.get("/dialogue-overview/abc.csv", headers=hr).status_code == 400
    assert client.get(f"/dialogue-overview/{cycle_id}.csv").status_code == 401
    missing = to_base64("DialogueCycle", 2_000_000)
    assert client.get(f"/dialogue-overview/{missing}.xlsx", headers=hr).status_code == 404
