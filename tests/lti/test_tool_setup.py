"""The tool's key and its platforms: the private key never shown, platforms checked.

Registering by hand (``catalogue lti-platform``) and the rules behind it: several
platforms at once, a duplicate refused, bad URLs and control characters refused in
Danish, nothing stored on refusal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import LtiPlatform
from catalogue.services.errors import DomainError
from catalogue.services.lti_keys import tool_key
from catalogue.services.lti_platforms import PlatformInput, add_platform, find_platform
from catalogue.settings import PROJECT_ROOT, Settings
from tests.lti.conftest import TOOL_PRIVATE_PEM
from tests.lti.platform import Platform


def _input(platform: Platform, **changes: object) -> PlatformInput:
    values: dict[str, object] = {
        "name": "Moodle",
        "issuer": platform.issuer,
        "client_id": platform.client_id,
        "auth_login_url": platform.auth_login_url,
        "auth_token_url": f"{platform.issuer}/mod/lti/token.php",
        "key_set_url": f"{platform.issuer}/mod/lti/certs.php",
        "deployment_ids": ["1", "1", "2"],
    }
    values.update(changes)
    return PlatformInput(**values)  # type: ignore[arg-type]


def test_the_private_key_is_a_secret_value_and_masked(settings: Settings) -> None:
    assert TOOL_PRIVATE_PEM in settings.secret_values()
    assert "PRIVATE KEY" not in repr(settings)
    assert "PRIVATE KEY" not in str(settings.model_dump())


def test_the_tool_jwks_is_the_public_half_of_the_setting() -> None:
    key = tool_key(TOOL_PRIVATE_PEM)
    assert key.public_jwk["kid"] == key.kid
    assert "d" not in key.public_jwk
    assert tool_key(TOOL_PRIVATE_PEM).kid == key.kid  # stable for the same key


@pytest.mark.parametrize("bad", ["", "not a key", "-----BEGIN PRIVATE KEY-----\nxx\n"])
def test_a_bad_tool_key_is_refused_in_danish(bad: str) -> None:
    with pytest.raises(ValueError, match="CATALOGUE_LTI_PRIVATE_KEY"):
        tool_key(bad)


def test_several_platforms_and_one_issuer_with_two_client_ids(session: Session) -> None:
    first = Platform()
    add_platform(session, _input(first), allow_http=False)
    add_platform(session, _input(first, client_id="second-client"), allow_http=False)
    add_platform(session, _input(Platform(issuer="https://lms2.example")), allow_http=False)
    session.commit()
    found = find_platform(session, first.issuer, "second-client")
    assert found is not None
    assert found.client_id == "second-client"
    assert found.deployment_ids == ["1", "2"]  # the duplicate deployment kept once
    assert find_platform(session, first.issuer, None) is None  # ambiguous without client id
    assert find_platform(session, "https://lms2.example", None) is not None


def test_the_same_registration_twice_is_refused(session: Session) -> None:
    add_platform(session, _input(Platform()), allow_http=False)
    session.commit()
    with pytest.raises(DomainError, match="allerede registreret"):
        add_platform(session, _input(Platform()), allow_http=False)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(LtiPlatform)) == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"issuer": "http://moodle.example"}, "issuer", "https-adresse"),
        ({"auth_login_url": "javascript:alert(1)"}, "authLoginUrl", "https-adresse"),
        ({"client_id": ""}, "clientId", "mangler"),
        ({"client_id": "a\x00b"}, "clientId", "kontroltegn"),
        ({"name": "x" * 201}, "name", "over 200 tegn"),
        ({"key_set_url": None}, "keySetUrl", "keySetUrl"),
        ({"deployment_ids": ["ok"] * 101}, "deploymentIds", "Højst 100"),
    ],
)
def test_bad_platform_input_is_refused_and_nothing_is_stored(
    session: Session, changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(DomainError) as caught:
        add_platform(session, _input(Platform(), **changes), allow_http=False)
    assert caught.value.field == field
    assert words in caught.value.message
    session.rollback()
    assert session.scalar(select(func.count()).select_from(LtiPlatform)) == 0


def _catalogue(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    return subprocess.run(
        [sys.executable, "-m", "catalogue.cli", *args],
        env={**clean, "CATALOGUE_DATABASE_URL": f"sqlite:///{db}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=PROJECT_ROOT,
    )


def test_the_cli_registers_a_platform_once(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite3"
    assert _catalogue("migrate", db=db).returncode == 0
    args = [
        "lti-platform",
        "--name=Moodle",
        "--issuer=https://moodle.example",
        "--client-id=abc",
        "--auth-login-url=https://moodle.example/mod/lti/auth.php",
        "--auth-token-url=https://moodle.example/mod/lti/token.php",
        "--key-set-url=https://moodle.example/mod/lti/certs.php",
        "--deployment-id=1",
    ]
    done = _catalogue(*args, db=db)
    assert done.returncode == 0, done.stderr
    assert "er registreret" in done.stdout
    again = _catalogue(*args, db=db)
    assert again.returncode == 1
    assert "allerede registreret" in again.stderr
