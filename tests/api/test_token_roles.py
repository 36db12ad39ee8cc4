"""Roles from the identity provider: the claim, the group mapping and the fallback for no claim."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.models import AuditLogEntry, Person, Role
from catalogue.services.idp_keys import IdentityProviderKeys
from catalogue.services.tokens import AuthenticationError, viewer_from_token
from catalogue.settings import Settings
from catalogue.settings_errors import SettingsError
from tests.api.provider_tokens import AUDIENCE, ISSUER, Provider, serve_provider
from tests.api.test_identity import _local_token

ME = "{ me { email roles } }"
HR_GROUP = "3f2c9a0e-8d1b-4c55-9a51-0d7f1b2e6c10"
MAPPING = {HR_GROUP: ["HR"], "Ledere": "LEADER", "Kompetencekatalog-admin": ["ADMIN", "HR"]}


@pytest.fixture
def provider() -> Iterator[Provider]:
    with serve_provider() as served:
        yield served


def provider_settings(base: Settings, provider: Provider, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": base.database_url,
        "secret_key": base.secret_key,
        "oidc_jwks_url": provider.jwks_url,
        "oidc_issuer": ISSUER,
        "oidc_audience": AUDIENCE,
        "oidc_roles_claim": "groups",
        "oidc_role_mapping": MAPPING,
    }
    return Settings(**(values | extra))


def new_person(session: Session, email: str, **columns: Any) -> Person:
    found = Person(email=email, name=columns.pop("name", "Ny Kollega"), **columns)
    session.add(found)
    session.flush()
    return found


def ask(
    settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    token: str,
    query: str = ME,
) -> tuple[int, dict[str, Any]]:
    app = create_app(settings, engine=engine, session_factory=session_factory)
    with TestClient(app) as client:
        response = client.post(
            "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
        )
    return response.status_code, response.json()


def test_a_mapped_group_gives_its_role_without_any_role_stored_on_the_person(
    provider: Provider, settings: Settings, engine: Engine, session_factory, session: Session
) -> None:
    new_person(session, "hr.ny@ltk.test")
    token = provider.token(sub="x1", email="hr.ny@ltk.test", groups=["Alle ansatte", HR_GROUP])
    status, body = ask(provider_settings(settings, provider), engine, session_factory, token)
    assert status == 200, body
    assert body["data"]["me"] == {"email": "hr.ny@ltk.test", "roles": []}
    status, body = ask(
        provider_settings(settings, provider),
        engine,
        session_factory,
        token,
        "{ auditLog(first: 1) { totalCount } }",
    )
    assert "errors" not in body, body  # audit.read: granted by the HR group


def test_one_group_may_give_several_roles(
    provider: Provider, settings: Settings, engine: Engine, session_factory, session: Session
) -> None:
    new_person(session, "admin.ny@ltk.test")
    token = provider.token(sub="x2", email="admin.ny@ltk.test", groups=["Kompetencekatalog-admin"])
    configured = provider_settings(settings, provider)
    keys = IdentityProviderKeys.from_settings(configured)
    assert keys is not None
    asyncio.run(keys.prepare(token))
    viewer = viewer_from_token(session, configured, token, idp_keys=keys)
    assert viewer.roles == {Role.ADMIN, Role.HR}


def test_without_a_role_claim_someone_who_leads_someone_is_a_leader(
    provider: Provider, settings: Settings, engine: Engine, session_factory, session: Session
) -> None:
    boss = new_person(session, "leder.ny@ltk.test")
    new_person(session, "medarbejder.ny@ltk.test", manager_id=boss.id)
    token = provider.token(sub="x3", email="leder.ny@ltk.test")
    status, body = ask(provider_settings(settings, provider), engine, session_factory, token)
    assert status == 200, body
    assert body["data"]["me"]["email"] == "leder.ny@ltk.test"


def test_groups_the_mapping_does_not_know_count_as_no_role_claim(
    provider: Provider, settings: Settings, engine: Engine, session_factory, session: Session
) -> None:
    boss = new_person(session, "leder.to@ltk.test")
    new_person(session, "medarbejder.to@ltk.test", manager_id=boss.id)
    token = provider.token(sub="x4", email="leder.to@ltk.test", groups=["Alle ansatte"])
    status, _ = ask(provider_settings(settings, provider), engine, session_factory, token)
    assert status == 200


def test_someone_with_no_role_who_leads_nobody_is_refused_in_danish(
    provider: Provider, settings: Settings, engine: Engine, session_factory, session: Session
) -> None:
    new_person(session, "kollega@ltk.test")
    token = provider.token(sub="x5", email="kollega@ltk.test", groups=["Alle ansatte"])
    status, body = ask(provider_settings(settings, provider), engine, session_factory, token)
    assert status == 403
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert "ingen rolle i Kompetencekataloget" in error["message"]
    assert "'groups'" in error["message"]
    assert "ingen har personen som leder" in error["message"]


def test_a_leader_whose_only_report_has_left_is_refused(
    provider: Provider, settings: Settings, engine: Engine, session_factory, session: Session
) -> None:
    boss = new_person(session, "leder.tre@ltk.test")
    new_person(session, "gaaet@ltk.test", manager_id=boss.id, active=False)
    token = provider.token(sub="x6", email="leder.tre@ltk.test")
    status, _ = ask(provider_settings(settings, provider), engine, session_factory, token)
    assert status == 403


def test_without_a_role_claim_the_roles_provisioned_on_the_person_count(
    provider: Provider, settings: Settings, engine: Engine, session_factory, session: Session
) -> None:
    new_person(session, "hr.provisioneret@ltk.test", is_hr=True)
    token = provider.token(sub="x7", email="hr.provisioneret@ltk.test")
    status, body = ask(provider_settings(settings, provider), engine, session_factory, token)
    assert status == 200
    assert body["data"]["me"]["roles"] == ["HR"]


def test_without_a_mapping_the_claim_names_our_roles(
    provider: Provider, settings: Settings, engine: Engine, session_factory, session: Session
) -> None:
    new_person(session, "chef.ny@ltk.test")
    configured = provider_settings(
        settings, provider, oidc_roles_claim="roles", oidc_role_mapping=None
    )
    token = provider.token(sub="x8", email="chef.ny@ltk.test", roles=["CHEF", "UKENDT"])
    status, body = ask(configured, engine, session_factory, token, "{ people { totalCount } }")
    assert status == 200
    assert "errors" not in body, body  # people.search: CHEF


def test_a_local_token_without_roles_falls_back_like_a_provider_token(
    settings: Settings, client: TestClient, session: Session
) -> None:
    leader = session.scalars(
        select(Person).where(Person.is_leader.is_(True)).order_by(Person.email)
    ).first()
    assert leader is not None
    token = _local_token(settings, sub=leader.email, email=leader.email)
    response = client.post(
        "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert response.json()["data"]["me"]["email"] == leader.email
    # A local token still grants only roles the person holds.
    assert "HR" not in response.json()["data"]["me"]["roles"]
    hr_claim = _local_token(settings, sub=leader.email, email=leader.email, roles=["HR"])
    body = client.post(
        "/graphql",
        json={"query": "{ auditLog(first: 1) { totalCount } }"},
        headers={"Authorization": f"Bearer {hr_claim}"},
    ).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("claims", "status", "says"),
    [
        ({"groups": HR_GROUP}, 401, "'groups' skal være en liste"),
        ({"groups": [HR_GROUP, 7]}, 401, "'groups' skal være en liste"),
        ({"groups": ["A\x00"]}, 401, "styretegn"),
        ({"groups": ["g" * 300]}, 401, "højst 256 tegn"),
        ({"groups": [str(n) for n in range(6000)]}, 401, "højst 5000"),
        (
            {"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {"endpoint": "x"}}},
            401,
            "for mange grupper",
        ),
    ],
    ids=["a string", "a number in the list", "NUL", "overlong", "too many", "Entra overage"],
)
def test_a_malformed_role_claim_is_refused_saying_what_is_wrong(
    provider: Provider,
    settings: Settings,
    engine: Engine,
    session_factory,
    session: Session,
    claims: dict[str, object],
    status: int,
    says: str,
) -> None:
    new_person(session, "hr.to@ltk.test", is_hr=True)
    token = provider.token(sub="x9", email="hr.to@ltk.test", **claims)
    # Room for the long token, so the claim rule answers rather than the header limit.
    configured = provider_settings(settings, provider, max_request_header_bytes=1_048_576)
    answered, body = ask(configured, engine, session_factory, token)
    assert answered == status
    assert says in body["errors"][0]["message"]


# The mapping file, read at start-up.


def test_the_mapping_file_is_read_at_start_up(tmp_path: Path, settings: Settings) -> None:
    file = tmp_path / "roller.yaml"
    file.write_text(
        '# identitetsudbyderens grupper\n"Ledere i Lyngby-Taarbæk": LEADER\n'
        f'"{HR_GROUP}": [hr, ADMIN]\n',
        encoding="utf-8",
    )
    loaded = Settings(database_url=settings.database_url, oidc_role_mapping_file=file)
    assert loaded.role_mapping == {
        "Ledere i Lyngby-Taarbæk": {Role.LEADER},
        HR_GROUP: {Role.HR, Role.ADMIN},
    }


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "findes ikke"),
        ("Ledere: [LEADER\nHR: HR\n", "ikke gyldig YAML i linje"),
        ("", "er tom"),
        ("- LEADER\n- HR\n", "'gruppe: rolle'"),
        ("Ledere: BOSS\n", "giver rollen 'BOSS', som ikke findes; kendte roller: LEADER"),
        ("Ledere: []\n", "skal have en rolle"),
        ("42: HR\n", "skal være en tekst"),
        (b"Ledere\xe6: HR\n", "ikke UTF-8"),
    ],
    ids=["missing", "bad YAML", "empty", "a list", "unknown role", "no role", "number", "latin-1"],
)
def test_a_wrong_mapping_file_stops_start_up_with_a_danish_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | bytes | None, says: str
) -> None:
    from catalogue.settings import get_settings

    file = tmp_path / "roller.yaml"
    if isinstance(content, bytes):
        file.write_bytes(content)
    elif content is not None:
        file.write_text(content, encoding="utf-8")
    monkeypatch.setenv("CATALOGUE_OIDC_ROLE_MAPPING_FILE", str(file))
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError) as refused:
            get_settings()
    finally:
        get_settings.cache_clear()
    assert "CATALOGUE_OIDC_ROLE_MAPPING_FILE" not in says
    assert says in str(refused.value)
    assert str(file) in str(refused.value)


def test_the_mapping_as_json_is_checked_as_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    from catalogue.settings import get_settings

    monkeypatch.setenv("CATALOGUE_OIDC_ROLE_MAPPING", '{"Ledere": ["LEADER", "CEO"]}')
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="CATALOGUE_OIDC_ROLE_MAPPING: gruppen 'Ledere'"):
            get_settings()
        monkeypatch.setenv("CATALOGUE_OIDC_ROLE_MAPPING_FILE", "/et/sted.yaml")
        monkeypatch.setenv("CATALOGUE_OIDC_ROLE_MAPPING", '{"Ledere": ["LEADER"]}')
        get_settings.cache_clear()
        with pytest.raises(SettingsError, match="ikke begge"):
            get_settings()
    finally:
        get_settings.cache_clear()


# A person created on first login (CATALOGUE_OIDC_CREATE_PEOPLE).


def _people_named(session: Session, email: str) -> int:
    return session.scalar(select(func.count()).where(Person.email == email)) or 0


def test_first_login_creates_the_person_when_switched_on_and_a_group_grants_a_role(
    provider: Provider, settings: Settings, engine: Engine, session_factory, session: Session
) -> None:
    token = provider.token(
        sub="x10", email="Ny.Leder@LTK.test", name="Åse Ørnhøj", groups=["Ledere"]
    )
    off = provider_settings(settings, provider)
    status, body = ask(off, engine, session_factory, token)
    assert status == 401
    assert "findes ikke i kataloget" in body["errors"][0]["message"]
    assert _people_named(session, "ny.leder@ltk.test") == 0

    on = provider_settings(settings, provider, oidc_create_people=True)
    for _ in range(2):
        status, body = ask(on, engine, session_factory, token, "{ me { name email roles } }")
        assert status == 200, body
    assert body["data"]["me"] == {"name": "Åse Ørnhøj", "email": "ny.leder@ltk.test", "roles": []}
    created = session.scalars(select(Person).where(Person.email == "ny.leder@ltk.test")).one()
    assert created.roles == frozenset()  # the role stays the token's, asked on every login
    entries = session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.person_id == created.id)
    ).all()
    assert [(e.action, e.details) for e in entries] == [
        ("PERSON_CREATED_AT_LOGIN", {"source": "OIDC"})
    ]


def test_first_login_without_a_granted_role_creates_nobody(
    provider: Provider, settings: Settings, engine: Engine, session_factory, session: Session
) -> None:
    on = provider_settings(settings, provider, oidc_create_people=True)
    token = provider.token(sub="x11", email="gaest@ltk.test", groups=["Alle ansatte"])
    status, _ = ask(on, engine, session_factory, token)
    assert status == 401
    assert _people_named(session, "gaest@ltk.test") == 0


def test_first_login_refuses_a_name_with_control_characters(
    provider: Provider, settings: Settings, engine: Engine, session_factory, session: Session
) -> None:
    on = provider_settings(settings, provider, oidc_create_people=True)
    token = provider.token(sub="x12", email="ctl@ltk.test", name="Bo\x1b[31m", groups=["Ledere"])
    status, body = ask(on, engine, session_factory, token)
    assert status == 401
    assert "styretegn" in body["errors"][0]["message"]
    assert _people_named(session, "ctl@ltk.test") == 0


def test_local_tokens_never_create_people(settings: Settings, session: Session) -> None:
    on = Settings(
        database_url=settings.database_url,
        secret_key=settings.secret_key,
        oidc_create_people=True,
        oidc_roles_claim="roles",
    )
    token = _local_token(on, sub="lokal@ltk.test", email="lokal@ltk.test", roles=["LEADER"])
    with pytest.raises(AuthenticationError, match="findes ikke"):
        viewer_from_token(session, on, token)
    assert _people_named(session, "lokal@ltk.test") == 0


def test_first_login_takes_the_name_from_given_and_family_name_or_the_address(
    provider: Provider, settings: Settings, engine: Engine, session_factory, session: Session
) -> None:
    on = provider_settings(settings, provider, oidc_create_people=True)
    cases = [
        ({"given_name": "Åse", "family_name": "Ørn"}, "Åse Ørn"),
        ({"given_name": 7, "family_name": None, "name": ["ikke", "tekst"]}, "uden.navn"),
    ]
    for claims, expected in cases:
        email = f"{expected.replace(' ', '.').lower()}@ltk.test"
        token = provider.token(sub=email, email=email, groups=["Ledere"], **claims)
        status, body = ask(on, engine, session_factory, token, "{ me { name } }")
        assert status == 200, body
        assert body["data"]["me"]["name"] == expected
