"""LTI 1.3 launches through a real platform (lti1p3platform) in the test process.

Each test walks the whole flow as a browser does: the platform's login initiation URL,
the tool's redirect to the platform's authorisation endpoint (state cookie, nonce), the
platform's signed id_token posted back, the web session that follows. The bad launches
are the platform's own tokens with one thing wrong.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import LoginSession, LtiNonce, Person
from catalogue.web.security import SESSION_COOKIE
from tests.lti.conftest import register
from tests.lti.platform import Platform

LEADER = "sofie.noergaard@demo.ltk.example"


def start(client: TestClient, platform: Platform, login_hint: str = "42") -> str:
    """Steps 1-2: the login initiation; returns the tool's authentication request URL."""
    response = client.get(platform.login_initiation_url(login_hint), follow_redirects=False)
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(platform.auth_login_url)
    return location


def post_launch(client: TestClient, form: dict[str, str]) -> object:
    return client.post(
        "/lti/launch",
        data={"id_token": form["id_token"], "state": form["state"]},
        follow_redirects=False,
    )


def refusal_text(response: object) -> str:
    text: str = response.text  # type: ignore[attr-defined]
    return text


def test_a_launch_logs_the_leader_in_by_email(
    lti_client: TestClient, platform: Platform, session: Session
) -> None:
    auth = start(lti_client, platform)
    query = dict(parse_qsl(urlsplit(auth).query))
    assert query["response_mode"] == "form_post"
    assert query["prompt"] == "none"
    assert query["redirect_uri"] == "https://testserver/lti/launch"
    form = platform.launch(auth, sub="42", email=LEADER.upper(), name="Sofie Nørgaard")
    response = post_launch(lti_client, form)
    assert response.status_code == 303, refusal_text(response)  # type: ignore[attr-defined]
    assert response.headers["location"] == "/"  # type: ignore[attr-defined]
    cookie = next(
        value
        for key, value in response.headers.multi_items()  # type: ignore[attr-defined]
        if key == "set-cookie" and value.startswith(SESSION_COOKIE)
    )
    # Framed in the platform's page: only a SameSite=None, Secure cookie comes back.
    assert "samesite=none" in cookie.lower()
    assert "secure" in cookie.lower()
    assert "partitioned" in cookie.lower()
    page = lti_client.get("/")
    assert "Velkommen, Sofie Nørgaard" in page.text
    methods = session.scalars(select(LoginSession.method)).all()
    assert "lti" in methods


def test_the_state_cookie_is_samesite_none_for_the_cross_site_form_post(
    lti_client: TestClient, platform: Platform
) -> None:
    response = lti_client.get(platform.login_initiation_url("42"), follow_redirects=False)
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    state = [c for c in cookies if c.startswith("lti1p3-state-")]
    assert state, cookies
    assert "samesite=none" in state[0].lower()
    assert "secure" in state[0].lower()


def test_a_replayed_launch_is_refused(lti_client: TestClient, platform: Platform) -> None:
    form = platform.launch(start(lti_client, platform), sub="42", email=LEADER)
    assert post_launch(lti_client, form).status_code == 303  # type: ignore[attr-defined]
    lti_client.cookies.delete(SESSION_COOKIE)
    again = post_launch(lti_client, form)
    assert again.status_code == 400  # type: ignore[attr-defined]
    assert "brugt før" in refusal_text(again)
    assert "Velkommen" not in lti_client.get("/").text


def test_a_token_for_another_client_id_is_refused(
    lti_client: TestClient, platform: Platform
) -> None:
    form = platform.launch(
        start(lti_client, platform), sub="42", email=LEADER, client_id="another-tool"
    )
    response = post_launch(lti_client, form)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "aud" in refusal_text(response)


def test_an_expired_token_is_refused(lti_client: TestClient, platform: Platform) -> None:
    form = platform.launch(start(lti_client, platform), sub="42", email=LEADER, expires_in=-60)
    response = post_launch(lti_client, form)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "udløbet" in refusal_text(response)


def test_an_unknown_deployment_is_refused(lti_client: TestClient, platform: Platform) -> None:
    form = platform.launch(
        start(lti_client, platform), sub="42", email=LEADER, deployment_id="course-99"
    )
    response = post_launch(lti_client, form)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "deployment_id er ikke registreret" in refusal_text(response)


def test_a_platform_not_registered_is_refused_at_login(lti_client: TestClient) -> None:
    stranger = Platform(issuer="https://other-moodle.example")
    response = lti_client.get(stranger.login_initiation_url("42"), follow_redirects=False)
    assert response.status_code == 400
    assert "ikke registreret som platform" in response.text


def test_a_token_signed_by_another_key_is_refused(
    lti_client: TestClient, platform: Platform
) -> None:
    impostor = Platform(issuer=platform.issuer, kid=platform.kid)  # same names, its own key
    form = impostor.launch(start(lti_client, platform), sub="42", email=LEADER)
    response = post_launch(lti_client, form)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "underskrevet" in refusal_text(response)


def test_a_launch_without_the_state_cookie_is_refused(
    lti_client: TestClient, platform: Platform
) -> None:
    form = platform.launch(start(lti_client, platform), sub="42", email=LEADER)
    lti_client.cookies.clear()
    response = post_launch(lti_client, form)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "state" in refusal_text(response)


def test_an_unknown_person_gets_a_danish_page_and_no_account(
    lti_client: TestClient, platform: Platform, session: Session
) -> None:
    people = session.scalar(select(func.count()).select_from(Person))
    form = platform.launch(start(lti_client, platform), sub="77", email="ukendt@moodle.example")
    response = post_launch(lti_client, form)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "findes ikke i kompetencekataloget" in refusal_text(response)
    assert session.scalar(select(func.count()).select_from(Person)) == people
    assert SESSION_COOKIE not in lti_client.cookies


def test_sub_matches_the_lms_user_id_on_the_synced_platform(
    lti_client: TestClient, session: Session
) -> None:
    moodle = Platform(issuer="https://moodle.ltk.example", client_id="kk")
    register(session, moodle, sub_is_lms_user_id=True)
    person = session.scalar(select(Person).where(Person.email == LEADER))
    assert person is not None
    person.lms_user_id = "314"
    session.commit()
    form = moodle.launch(start(lti_client, moodle), sub="314", email=None)
    assert post_launch(lti_client, form).status_code == 303  # type: ignore[attr-defined]
    assert "Velkommen, Sofie Nørgaard" in lti_client.get("/").text


def test_the_nonce_is_kept_until_the_launch_uses_it(
    lti_client: TestClient, platform: Platform, session: Session
) -> None:
    auth = start(lti_client, platform)
    nonce = dict(parse_qsl(urlsplit(auth).query))["nonce"]
    assert session.get(LtiNonce, nonce) is not None
    post_launch(lti_client, platform.launch(auth, sub="42", email=LEADER))
    session.expire_all()
    assert session.get(LtiNonce, nonce) is None


@pytest.mark.parametrize("bad", ["", "x" * 30_000, "a\x00b"])
def test_a_malformed_id_token_is_refused_in_danish(lti_client: TestClient, bad: str) -> None:
    response = lti_client.post("/lti/launch", data={"id_token": bad, "state": "state-x"})
    assert response.status_code == 400
    assert "LTI" in response.text or "id_token" in response.text or "state" in response.text


def test_the_tool_jwks_is_served_without_the_private_key(lti_client: TestClient) -> None:
    keys = lti_client.get("/.well-known/jwks.json").json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA"
    assert keys[0]["kid"]
    assert "d" not in keys[0]
    assert "p" not in keys[0]


def test_only_registered_platforms_may_frame_the_pages(
    lti_client: TestClient, platform: Platform, session: Session
) -> None:
    policy = lti_client.get("/").headers["content-security-policy"]
    assert policy.startswith("frame-ancestors 'self' ")
    assert platform.issuer in policy.split()
    assert "https://other-moodle.example" not in policy
    register(session, Platform(issuer="https://other-moodle.example"))
    lti_client.app.state.lti_framing.forget()  # type: ignore[attr-defined]
    assert "https://other-moodle.example" in lti_client.get("/").headers["content-security-policy"]
