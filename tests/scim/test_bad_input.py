"""Bad SCIM requests get a SCIM Error saying what and where, and change nothing stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from catalogue.app import create_app
from catalogue.models import AuditLogEntry, Person, Role
from catalogue.services.tokens import mint_token
from tests.scim.conftest import (
    SCIM_MEDIA_TYPE,
    SCIM_TOKEN,
    error_of,
    patch_body,
    scim_settings,
    unique,
    user_body,
)

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def _counts(db: Session) -> tuple[int, int]:
    people = db.scalar(select(func.count()).select_from(Person)) or 0
    entries = db.scalar(select(func.count()).select_from(AuditLogEntry)) or 0
    db.commit()
    return people, entries


def test_a_duplicate_email_is_409_uniqueness_and_nothing_is_written(
    scim: TestClient, db: Session
) -> None:
    first = scim.post("/Users", json=user_body("Dup")).json()
    before = _counts(db)
    other = user_body("Dup2")
    other["emails"] = [
        {"value": first["emails"][0]["value"].upper(), "type": "work", "primary": True}
    ]
    refused = scim.post("/Users", json=other)
    assert refused.status_code == 409
    body = error_of(refused)
    assert body["scimType"] == "uniqueness"
    assert "e-mailadressen" in body["detail"]
    assert "(email)" in body["detail"]
    assert _counts(db) == before
    # The same create sent twice (a retry) is the same refusal, not a second person.
    again = scim.post("/Users", json=user_body("Dup") | {"userName": first["userName"]})
    assert again.status_code == 409
    assert _counts(db) == before


def test_a_userName_taken_by_a_rename_is_409(scim: TestClient) -> None:
    one = scim.post("/Users", json=user_body("Ren1")).json()
    two = scim.post("/Users", json=user_body("Ren2")).json()
    clash = scim.patch(
        f"/Users/{two['id']}",
        json=patch_body({"op": "Replace", "path": "userName", "value": one["userName"]}),
    )
    assert clash.status_code == 409
    assert error_of(clash)["scimType"] == "uniqueness"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"displayName": "Ida\x00Dam"}, "name"),
        ({"displayName": "x" * 100_000}, "name"),
        ({"title": "Leder\x1b[2J"}, "title"),
        ({"active": "måske"}, "active"),
        ({"userName": 5}, "userName"),
        ({"emails": [{"value": "ikke en adresse", "primary": True}]}, "email"),
        ({"emails": "ida@ltk.example"}, "emails"),
        ({ENTERPRISE: {"manager": {"value": "999999999"}}}, "manager"),
        ({ENTERPRISE: {"manager": "ikke-et-id"}}, "manager"),
    ],
)
def test_bad_values_are_400_naming_the_field(
    scim: TestClient, db: Session, change: dict[str, Any], where: str
) -> None:
    before = _counts(db)
    refused = scim.post("/Users", json=user_body("Bad") | change)
    assert refused.status_code == 400, refused.text
    body = error_of(refused)
    assert body["scimType"] == "invalidValue"
    assert where in body["detail"]
    assert _counts(db) == before


@pytest.mark.parametrize(
    ("raw", "scim_type"),
    [(b"{not json", "invalidSyntax"), (b"[1, 2]", "invalidSyntax"), (b"\xff\xfe", "invalidSyntax")],
)
def test_a_body_that_is_not_a_json_object_is_invalid_syntax(
    scim: TestClient, raw: bytes, scim_type: str
) -> None:
    refused = scim.post("/Users", content=raw)
    assert refused.status_code == 400
    assert error_of(refused)["scimType"] == scim_type


def test_an_unknown_department_is_refused_where_org_units_must_exist(
    scim_database_url: str, scim_engine: Engine, db: Session
) -> None:
    strict = create_app(
        scim_settings(scim_database_url, scim_require_known_department=True), engine=scim_engine
    )
    with TestClient(
        strict,
        base_url="http://testserver/scim/v2",
        headers={"Authorization": f"Bearer {SCIM_TOKEN}"},
    ) as client:
        before = _counts(db)
        refused = client.post(
            "/Users", json=user_body("Afd") | {ENTERPRISE: {"department": "Center for Ingenting"}}
        )
        assert refused.status_code == 400
        assert "Center for Ingenting" in error_of(refused)["detail"]
        assert _counts(db) == before


def test_filters_read_eq_co_sw_and_or_not_and_refuse_what_they_cannot(
    scim: TestClient,
) -> None:
    tag = unique("flt").replace(".", "")
    a = scim.post(
        "/Users",
        json=user_body("A") | {"userName": f"{tag}-anna@ltk.example", "title": "Skoleleder"},
    ).json()
    b = scim.post(
        "/Users",
        json=user_body("B") | {"userName": f"{tag}-bo@ltk.example", "title": "Dagtilbudsleder"},
    ).json()

    def ids(text: str) -> list[str]:
        response = scim.get("/Users", params={"filter": text})
        assert response.status_code == 200, response.text
        return [r["id"] for r in response.json()["Resources"]]

    assert ids(f'userName sw "{tag}"') == [a["id"], b["id"]]
    assert ids(f'userName sw "{tag}" and title co "skole"') == [a["id"]]
    assert ids(f'userName eq "{a["userName"]}" or userName eq "{b["userName"]}"') == [
        a["id"],
        b["id"],
    ]
    assert ids(f'userName sw "{tag}" and not (title co "skole")') == [b["id"]]
    assert ids(f'emails[type eq "work" and value eq "{a["emails"][0]["value"]}"]') == [a["id"]]
    assert ids(f'userName sw "{tag}%"') == []  # LIKE wildcards are text, not patterns
    for bad, kind in (
        ('userName eq "x" and', "invalidFilter"),
        ('nickName eq "x"', "invalidFilter"),
        ('active eq "ja"', "invalidFilter"),
    ):
        refused = scim.get("/Users", params={"filter": bad})
        assert refused.status_code == 400, bad
        assert error_of(refused)["scimType"] == kind


def test_pages_follow_startIndex_and_count(scim: TestClient) -> None:
    tag = unique("pg").replace(".", "")
    made = [
        scim.post("/Users", json=user_body("P") | {"userName": f"{tag}-{i}@ltk.example"}).json()[
            "id"
        ]
        for i in range(5)
    ]
    page = scim.get(
        "/Users", params={"filter": f'userName sw "{tag}"', "startIndex": 2, "count": 2}
    ).json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (5, 2, 2)
    assert [r["id"] for r in page["Resources"]] == made[1:3]
    capped = scim.get("/Users", params={"count": 10_000}).json()
    assert capped["itemsPerPage"] <= 50
    assert scim.get("/Users", params={"count": "ti"}).status_code == 400


def test_unknown_ids_and_paths_are_404_and_wrong_methods_405(scim: TestClient) -> None:
    for path in ("/Users/999999999", "/Users/ikke-et-id", "/Groups/1e5", "/Nothing"):
        response = scim.get(path)
        assert response.status_code == 404, path
        error_of(response)
    assert scim.delete("/Schemas").status_code == 405


@pytest.mark.parametrize(
    "header",
    [None, "Bearer forkert-token-" + "x" * 30, f"Basic {SCIM_TOKEN}", "Bearer "],
)
def test_requests_without_the_provisioning_token_are_401(
    scim_app: FastAPI, header: str | None
) -> None:
    headers = {"Authorization": header} if header is not None else {}
    with TestClient(scim_app) as client:
        response = client.get("/scim/v2/Users", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith(SCIM_MEDIA_TYPE)
    assert "www-authenticate" in response.headers


def test_a_persons_token_is_not_a_provisioning_token(
    scim_app: FastAPI, scim_database_url: str, db: Session
) -> None:
    hr = Person(email=unique("hr") + "@ltk.example", name="HR Person")
    hr.set_roles({Role.HR, Role.ADMIN})
    db.add(hr)
    db.commit()
    token = mint_token(
        scim_settings(scim_database_url),
        person=hr,
        roles={Role.ADMIN},
        expires_in=timedelta(minutes=5),
    )
    with TestClient(scim_app) as client:
        response = client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_scim_is_off_without_a_token_setting(scim_database_url: str, scim_engine: Engine) -> None:
    off = create_app(scim_settings(scim_database_url, scim_token=None), engine=scim_engine)
    with TestClient(off) as client:
        response = client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {SCIM_TOKEN}"})
    assert response.status_code == 401
    assert "CATALOGUE_SCIM_TOKEN" in error_of(response)["detail"]


def test_a_short_provisioning_token_is_refused_at_start(scim_database_url: str) -> None:
    with pytest.raises(ValueError, match="CATALOGUE_SCIM_TOKEN"):
        scim_settings(scim_database_url, scim_token="kort")


def test_the_provisioning_token_is_a_secret_the_logs_mask(scim_database_url: str) -> None:
    assert SCIM_TOKEN in scim_settings(scim_database_url).secret_values()
