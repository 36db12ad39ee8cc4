"""Login, session and CSRF of the web app, on both databases, through HTTP as a browser does.

The development picker logs a demo person in; the session is a row, so logout and
deactivation end it on the server; every form needs its CSRF token; production has no
picker.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.models import LoginSession, Person
from catalogue.settings import Environment, Settings
from catalogue.web.security import CSRF_COOKIE, SESSION_COOKIE

LEADER = "sofie.noergaard@demo.ltk.example"


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "siden har ingen formular med CSRF-token"
    return found.group(1)


def person_id(session: Session, email: str) -> int:
    found = session.scalar(select(Person.id).where(Person.email == email))
    assert found is not None
    return found


def log_in(client: TestClient, session: Session, email: str = LEADER) -> None:
    page = client.get("/log-ind")
    assert page.status_code == 200
    response = client.post(
        "/log-ind/demo",
        data={"csrf_token": csrf_of(page.text), "person_id": person_id(session, email)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert SESSION_COOKIE in client.cookies


def test_login_page_lists_the_demo_people_but_not_the_lms_account(client: TestClient) -> None:
    page = client.get("/log-ind")
    assert "Log ind som Sofie Nørgaard" in page.text
    assert "Log ind som Nanna Stougaard" in page.text  # HR
    assert "Moodle-synkronisering" not in page.text


def test_dev_login_starts_a_server_side_session(client: TestClient, session: Session) -> None:
    log_in(client, session)
    start = client.get("/")
    assert "Velkommen, Sofie Nørgaard" in start.text
    cookie = client.cookies[SESSION_COOKIE]
    rows = session.scalars(select(LoginSession)).all()
    # The row keeps a hash, never the token the cookie carries.
    assert rows
    assert all(cookie.split(".")[0] not in row.token_hash for row in rows)


def test_session_cookie_is_httponly_samesite_lax(client: TestClient, session: Session) -> None:
    page = client.get("/log-ind")
    response = client.post(
        "/log-ind/demo",
        data={"csrf_token": csrf_of(page.text), "person_id": person_id(session, LEADER)},
        follow_redirects=False,
    )
    header = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and SESSION_COOKIE in v
    )
    assert "HttpOnly" in header
    assert "SameSite=lax" in header or "samesite=lax" in header.lower()
    assert "Secure" not in header  # dev over http; production sets Secure (next test)


def test_a_forged_session_cookie_is_no_login(client: TestClient) -> None:
    client.cookies.set(SESSION_COOKIE, "forged.token")
    assert "Velkommen" not in client.get("/").text
    assert "Log ind" in client.get("/").text


def test_logout_ends_the_session_on_the_server(client: TestClient, session: Session) -> None:
    log_in(client, session)
    stolen = client.cookies[SESSION_COOKIE]
    start = client.get("/")
    response = client.post("/log-ud", data={"csrf_token": csrf_of(start.text)})
    assert response.status_code == 200
    assert "Du er logget ud." in response.text
    # The same cookie, replayed after logout, logs nobody in.
    client.cookies.set(SESSION_COOKIE, stolen)
    assert "Velkommen" not in client.get("/").text


def test_deactivation_ends_the_session(client: TestClient, session: Session) -> None:
    log_in(client, session)
    person = session.get(Person, person_id(session, LEADER))
    assert person is not None
    person.active = False
    session.commit()
    assert "Velkommen" not in client.get("/").text


@pytest.mark.parametrize("token", [None, "", "garbage", "x" * 5000, "a\x00b"])
def test_a_form_without_its_csrf_token_stores_nothing(
    client: TestClient, session: Session, token: str | None
) -> None:
    client.get("/log-ind")  # the CSRF cookie is set
    before = session.scalar(select(LoginSession.id).order_by(LoginSession.id.desc()).limit(1))
    data = {"person_id": str(person_id(session, LEADER))}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/log-ind/demo", data=data, follow_redirects=False)
    assert response.status_code == 400
    assert "Formularen er for gammel eller kom ikke fra denne side" in response.text
    after = session.scalar(select(LoginSession.id).order_by(LoginSession.id.desc()).limit(1))
    assert after == before
    assert SESSION_COOKIE not in client.cookies


def test_a_token_from_another_browser_is_refused(
    settings: Settings, engine: object, session_factory: sessionmaker[Session], session: Session
) -> None:
    app = create_app(settings, engine=engine, session_factory=session_factory)  # type: ignore[arg-type]
    with TestClient(app) as mine, TestClient(app) as theirs:
        token = csrf_of(theirs.get("/log-ind").text)
        mine.get("/log-ind")
        assert mine.cookies[CSRF_COOKIE] != theirs.cookies[CSRF_COOKIE]
        response = mine.post(
            "/log-ind/demo",
            data={"csrf_token": token, "person_id": person_id(session, LEADER)},
            follow_redirects=False,
        )
        assert response.status_code == 400


@pytest.mark.parametrize("person", ["", "abc", "-1", "99999999", "1" * 40, "٣"])
def test_dev_login_with_an_unknown_person_says_so(client: TestClient, person: str) -> None:
    token = csrf_of(client.get("/log-ind").text)
    response = client.post(
        "/log-ind/demo", data={"csrf_token": token, "person_id": person}, follow_redirects=False
    )
    assert response.status_code == 400
    assert "Vælg, hvem du vil logge ind som." in response.text or "demo-personerne" in response.text
    assert SESSION_COOKIE not in client.cookies


def test_the_lms_account_cannot_log_in_to_the_web_app(client: TestClient, session: Session) -> None:
    token = csrf_of(client.get("/log-ind").text)
    lms = person_id(session, "moodle-sync@demo.ltk.example")
    response = client.post(
        "/log-ind/demo", data={"csrf_token": token, "person_id": lms}, follow_redirects=False
    )
    assert response.status_code == 400
    assert SESSION_COOKIE not in client.cookies


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_login_never_sends_the_browser_to_another_site(
    client: TestClient, session: Session, target: str
) -> None:
    token = csrf_of(client.get("/log-ind").text)
    response = client.post(
        "/log-ind/demo",
        data={"csrf_token": token, "person_id": person_id(session, LEADER), "next": target},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_production_has_no_demo_login(
    database_url: str, engine: object, session_factory: sessionmaker[Session], session: Session
) -> None:
    prod = Settings(
        env=Environment.PROD,
        database_url=database_url,
        secret_key="prod-secret-" + "z" * 40,
        web_session_secret="prod-web-secret-" + "w" * 40,
    )
    app = create_app(prod, engine=engine, session_factory=session_factory)  # type: ignore[arg-type]
    with TestClient(app, base_url="https://testserver") as client:
        page = client.get("/log-ind")
        assert "Log ind som" not in page.text
        csrf_header = next(
            v for k, v in page.headers.multi_items() if k == "set-cookie" and CSRF_COOKIE in v
        )
        assert "Secure" in csrf_header
        assert "HttpOnly" in csrf_header
        response = client.post(
            "/log-ind/demo", data={"person_id": person_id(session, LEADER)}, follow_redirects=False
        )
        assert response.status_code == 403
        assert "Demo-login findes kun i udviklingsmiljøet" in response.text
        assert SESSION_COOKIE not in client.cookies
