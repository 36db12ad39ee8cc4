"""A replay of what Entra ID's provisioning service sends in a cycle, in Microsoft's own shapes.

The bodies follow Microsoft's documentation of its SCIM client ("Tutorial: Develop
and plan provisioning for a SCIM endpoint" and "Known issues and resolutions with
SCIM 2.0 protocol compliance"): the query before a create, the create with the
enterprise extension, PATCH with capitalised ops and paths, the multi-attribute
replace with and without the ``aadOptscim062020`` flag (a path-less value
object), the manager as a bare id, ``active`` as the string "False", group
members added and removed in both the old and the compliant form, and DELETE.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import AuditLogEntry, EnrolmentStatus, ManagerPeriod, Person, Role
from catalogue.services.audit import AuditAction
from catalogue.services.tokens import AuthenticationError, mint_token, viewer_from_token
from tests.enrolment.factories import make_run, stored_enrolment
from tests.scim.conftest import SCIM_MEDIA_TYPE, patch_body, scim_settings, unique, user_body

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def _create(scim: TestClient, name: str, **extra: Any) -> dict[str, Any]:
    body = user_body(name, **extra)
    found = scim.get("/Users", params={"filter": f'userName eq "{body["userName"]}"'})
    assert found.status_code == 200
    assert found.json()["totalResults"] == 0
    created = scim.post("/Users", json=body)
    assert created.status_code == 201, created.text
    assert created.headers["content-type"].startswith(SCIM_MEDIA_TYPE)
    assert created.headers["location"].endswith(f"/Users/{created.json()['id']}")
    result: dict[str, Any] = created.json()
    return result


def _person(db: Session, user: dict[str, Any]) -> Person:
    db.expire_all()
    person = db.get(Person, int(user["id"]))
    assert person is not None
    db.commit()  # ends the read, so SQLite lets the next request write
    return person


def test_create_query_and_patch_as_entra_sends_them(scim: TestClient, db: Session) -> None:
    user = _create(
        scim,
        "Ida",
        **{ENTERPRISE: {"employeeNumber": unique("E"), "department": "Center for Skole"}},
    )
    assert user["active"] is True
    assert user[ENTERPRISE]["department"] == "Center for Skole"
    listed = scim.get("/Users", params={"filter": f'userName eq "{user["userName"].upper()}"'})
    assert [r["id"] for r in listed.json()["Resources"]] == [user["id"]]

    # Without the compliance flag: one Replace per attribute, paths and all.
    new_mail = unique("ida.ny") + "@ltk.example"
    replaced = scim.patch(
        f"/Users/{user['id']}",
        json=patch_body(
            {"op": "Replace", "path": "displayName", "value": "Ida Dalgaard"},
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": new_mail},
            {"op": "Replace", "path": "name.givenName", "value": "Ida"},
            {"op": "Replace", "path": "name.familyName", "value": "Dalgaard"},
            {"op": "Replace", "path": "externalId", "value": "ida-ekstern"},
            {"op": "Replace", "path": f"{ENTERPRISE}:employeeNumber", "value": "L-4711"},
        ),
    )
    assert replaced.status_code == 200, replaced.text
    person = _person(db, user)
    assert (person.name, person.email, person.external_id, person.employee_number) == (
        "Ida Dalgaard",
        new_mail,
        "ida-ekstern",
        "L-4711",
    )
    assert replaced.json()["name"]["familyName"] == "Dalgaard"

    # With the flag: a path-less replace whose value names the attributes.
    flagged = scim.patch(
        f"/Users/{user['id']}",
        json=patch_body(
            {
                "op": "replace",
                "value": {
                    "displayName": "Ida D. Dalgaard",
                    "name.givenName": "Ida D.",
                    f"{ENTERPRISE}:employeeNumber": "L-4712",
                },
            }
        ),
    )
    assert flagged.status_code == 200, flagged.text
    person = _person(db, user)
    assert (person.name, person.employee_number) == ("Ida D. Dalgaard", "L-4712")

    # Add of a single-valued attribute (title), then its removal.
    added = scim.patch(
        f"/Users/{user['id']}",
        json=patch_body({"op": "Add", "path": "title", "value": "Skoleleder"}),
    )
    assert added.json()["title"] == "Skoleleder"
    removed = scim.patch(f"/Users/{user['id']}", json=patch_body({"op": "Remove", "path": "title"}))
    assert "title" not in removed.json()
    assert _person(db, user).title == ""


def test_a_manager_change_keeps_the_history_and_a_loop_is_refused(
    scim: TestClient, db: Session
) -> None:
    leader, first_chef, second_chef = (_create(scim, n) for n in ("Leder", "Chef1", "Chef2"))
    path = f"{ENTERPRISE}:manager"
    # Entra ID sends the manager as the bare id of the manager's SCIM resource.
    first = scim.patch(
        f"/Users/{leader['id']}",
        json=patch_body({"op": "Add", "path": path, "value": first_chef["id"]}),
    )
    assert first.status_code == 200, first.text
    assert first.json()[ENTERPRISE]["manager"]["value"] == first_chef["id"]
    second = scim.patch(
        f"/Users/{leader['id']}",
        json=patch_body({"op": "Replace", "path": path, "value": {"value": second_chef["id"]}}),
    )
    assert second.status_code == 200, second.text
    periods = db.execute(
        select(ManagerPeriod.manager_id, ManagerPeriod.valid_to)
        .where(ManagerPeriod.person_id == int(leader["id"]))
        .order_by(ManagerPeriod.id)
    ).all()
    db.commit()
    assert [(m, to is None) for m, to in periods] == [
        (int(first_chef["id"]), False),
        (int(second_chef["id"]), True),
    ]
    # A manages B manages A: the chef cannot be put under their own report.
    loop = scim.patch(
        f"/Users/{second_chef['id']}",
        json=patch_body({"op": "Add", "path": path, "value": leader["id"]}),
    )
    assert loop.status_code == 400
    error = loop.json()
    assert error["scimType"] == "invalidValue"
    assert "løkke" in error["detail"]
    assert _person(db, second_chef).manager_id is None
    gone = scim.patch(f"/Users/{leader['id']}", json=patch_body({"op": "Remove", "path": path}))
    assert ENTERPRISE not in gone.json() or "manager" not in gone.json()[ENTERPRISE]
    assert _person(db, leader).manager_id is None


def test_role_groups_grant_roles_and_members_leave_in_both_forms(
    scim: TestClient, db: Session
) -> None:
    one, two = _create(scim, "Hr1"), _create(scim, "Hr2")
    group = scim.post(
        "/Groups",
        json={
            "schemas": [
                "urn:ietf:params:scim:schemas:core:2.0:Group",
                "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
            ],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "LTK Kompetencekatalog HR",
            "meta": {"resourceType": "Group"},
        },
    )
    assert group.status_code == 201, group.text
    gid = group.json()["id"]
    listed = scim.get(
        "/Groups",
        params={
            "excludedAttributes": "members",
            "filter": 'displayName eq "LTK Kompetencekatalog HR"',
        },
    )
    assert [g["id"] for g in listed.json()["Resources"]] == [gid]
    add = scim.patch(
        f"/Groups/{gid}",
        json=patch_body(
            {
                "op": "Add",
                "path": "members",
                "value": [{"$ref": None, "value": one["id"]}, {"$ref": None, "value": two["id"]}],
            }
        ),
    )
    assert add.status_code == 200, add.text
    assert Role.HR in _person(db, one).roles
    assert Role.HR in _person(db, two).roles
    # The pre-2020 form: Remove with the members in the value.
    old_form = scim.patch(
        f"/Groups/{gid}",
        json=patch_body({"op": "Remove", "path": "members", "value": [{"value": one["id"]}]}),
    )
    assert old_form.status_code == 200, old_form.text
    assert Role.HR not in _person(db, one).roles
    # The compliant form: a value filter in the path.
    new_form = scim.patch(
        f"/Groups/{gid}",
        json=patch_body({"op": "remove", "path": f'members[value eq "{two["id"]}"]'}),
    )
    assert new_form.status_code == 200, new_form.text
    assert Role.HR not in _person(db, two).roles
    unknown = scim.patch(
        f"/Groups/{gid}",
        json=patch_body({"op": "Add", "path": "members", "value": [{"value": "999999999"}]}),
    )
    assert unknown.status_code == 400
    assert scim.delete(f"/Groups/{gid}").status_code == 204
    assert scim.get(f"/Groups/{gid}").status_code == 404


def test_deactivation_refuses_the_token_withdraws_places_and_delete_deprovisions(
    scim: TestClient, db: Session, scim_database_url: str
) -> None:
    leaver, waiting = _create(scim, "Fratraeder"), _create(scim, "Venter")
    person, other = _person(db, leaver), _person(db, waiting)
    person.set_roles({Role.LEADER})
    run = make_run(db, capacity=1)
    place = stored_enrolment(db, run, person, EnrolmentStatus.ENROLLED)
    queued = stored_enrolment(db, run, other, EnrolmentStatus.WAITLISTED)
    db.commit()
    settings = scim_settings(scim_database_url)
    token = mint_token(settings, person=person, roles={Role.LEADER}, expires_in=timedelta(hours=1))
    assert viewer_from_token(db, settings, token).person_id == person.id
    db.commit()

    # Entra ID without the compliance flag sends the boolean as the string "False".
    off = scim.patch(
        f"/Users/{leaver['id']}",
        json=patch_body({"op": "Replace", "path": "active", "value": "False"}),
    )
    assert off.status_code == 200, off.text
    assert off.json()["active"] is False
    db.expire_all()
    assert db.get(type(place), place.id).status is EnrolmentStatus.WITHDRAWN  # type: ignore[union-attr]
    assert db.get(type(queued), queued.id).status is EnrolmentStatus.ENROLLED  # type: ignore[union-attr]
    db.commit()
    with pytest.raises(AuthenticationError):
        viewer_from_token(db, settings, token)
    entry = db.scalars(
        select(AuditLogEntry).where(
            AuditLogEntry.person_id == person.id,
            AuditLogEntry.action == AuditAction.PERSON_DEACTIVATED.value,
        )
    ).one()
    db.commit()
    assert "SCIM" in (entry.reason or "")
    inactive = scim.get("/Users", params={"filter": f'active eq false and id eq "{leaver["id"]}"'})
    assert inactive.json()["totalResults"] == 1

    # DELETE: gone for the client, kept (inactive) for the catalogue's history.
    assert scim.delete(f"/Users/{leaver['id']}").status_code == 204
    assert scim.get(f"/Users/{leaver['id']}").status_code == 404
    assert _person(db, leaver).deprovisioned_at is not None
    # Assigned again in Entra ID: the same person comes back, active.
    again = scim.post("/Users", json={**user_body("Igen"), "userName": leaver["userName"]})
    assert again.status_code == 201, again.text
    assert again.json()["id"] == leaver["id"]
    assert again.json()["active"] is True
