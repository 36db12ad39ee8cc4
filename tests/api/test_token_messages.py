"""PyJWT's English never reaches people: each refusal of a token is said in Danish."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from catalogue.services.tokens import LOCAL_AUDIENCE
from catalogue.settings import Settings
from tests.api.tokens import person

ENGLISH = ("Unable", "not yet valid", "Invalid", "segments", "padding", "signing key", "must be")


def _token(settings: Settings, email: str, **claims: Any) -> str:
    now = datetime.now(UTC)
    body = {
        "sub": email,
        "email": email,
        "aud": LOCAL_AUDIENCE,
        "iss": settings.token_issuer,
        "exp": now + timedelta(hours=1),
        **claims,
    }
    key = settings.signing_key()
    assert key is not None
    return jwt.encode(body, key, algorithm="HS256")


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (
            lambda s, e: _token(s, e, nbf=datetime.now(UTC) + timedelta(hours=2)),
            "Tokenet er ikke gyldigt endnu (nbf eller iat ligger i fremtiden); tjek urets tid.",
        ),
        (
            lambda s, e: _token(s, e, iat="i går"),
            "Tokenets udstedelsestidspunkt (iat) skal være et tal.",
        ),
        (
            lambda s, e: _token(s, e, nbf="i morgen"),
            "Tokenet kan ikke læses: header, indhold eller signatur er beskadiget.",
        ),
    ],
    ids=["not yet valid", "iat not a number", "nbf not a number"],
)
def test_a_refused_token_says_why_in_danish(
    client: TestClient, session: Session, settings: Settings, make: Any, says: str
) -> None:
    leader = person(session, is_leader=True, is_chef=False)
    response = client.post(
        "/graphql",
        json={"query": "{ me { name } }"},
        headers={"Authorization": f"Bearer {make(settings, leader.email)}"},
    )
    assert response.status_code == 401
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["message"] == says
    assert not [word for word in ENGLISH if word in error["message"]]
