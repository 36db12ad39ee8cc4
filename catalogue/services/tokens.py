"""Bearer tokens: minting local development tokens and validating every token.

Local tokens are HS256, signed with the settings' secret. In production the
identity provider's tokens (RS256/ES256) are checked against its JWKS. Both end
as the same Viewer: a Person from our database and the roles the token grants
that the person also holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from functools import lru_cache
from typing import Any

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Person, Role
from catalogue.models.base import utcnow
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.settings import Settings

LOCAL_AUDIENCE = "kompetencekatalog"
LOCAL_ALGORITHM = "HS256"
IDP_ALGORITHMS = ["RS256", "ES256", "PS256"]


class AuthenticationError(DomainError):
    """The token is missing a part, expired, malformed or wrongly signed."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.UNAUTHENTICATED, message)


def mint_token(
    settings: Settings, *, person: Person, roles: Iterable[Role], expires_in: timedelta
) -> str:
    """A local token for ``person``; refuses roles the person does not hold."""
    wanted = frozenset(roles)
    missing = wanted - person.roles
    if missing:
        names = ", ".join(sorted(missing))
        raise DomainError(
            ErrorCode.FORBIDDEN,
            f"{person.email} har ikke rollen {names} og kan ikke få et token til den",
            field="role",
        )
    now = utcnow()
    claims = {
        "iss": settings.token_issuer,
        "aud": LOCAL_AUDIENCE,
        "sub": person.email,
        "email": person.email,
        "roles": sorted(wanted),
        "iat": now,
        "exp": now + expires_in,
    }
    return jwt.encode(claims, settings.signing_key(), algorithm=LOCAL_ALGORITHM)


@lru_cache(maxsize=4)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=300, timeout=5)


def decode_token(settings: Settings, token: str) -> dict[str, Any]:
    """Validated claims, or AuthenticationError saying what was wrong."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as exc:
        raise AuthenticationError("Tokenet kan ikke læses: det er ikke et gyldigt JWT.") from exc
    try:
        if header.get("alg") == LOCAL_ALGORITHM:
            return jwt.decode(
                token,
                settings.signing_key(),
                algorithms=[LOCAL_ALGORITHM],
                audience=LOCAL_AUDIENCE,
                issuer=settings.token_issuer,
                options={"require": ["exp", "sub", "aud", "iss"]},
            )
        if not settings.oidc_jwks_url:
            raise AuthenticationError(
                f"Tokenet er signeret med {header.get('alg')!r}, men ingen identitetsudbyder "
                "er sat op (CATALOGUE_OIDC_JWKS_URL)."
            )
        key = _jwks_client(settings.oidc_jwks_url).get_signing_key_from_jwt(token)
        return jwt.decode(
            token,
            key.key,
            algorithms=IDP_ALGORITHMS,
            audience=settings.oidc_audience,
            issuer=settings.oidc_issuer,
            options={"require": ["exp", "sub"], "verify_aud": settings.oidc_audience is not None},
        )
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationError("Tokenet er udløbet; hent et nyt.") from exc
    except jwt.InvalidSignatureError as exc:
        raise AuthenticationError("Tokenets signatur er ikke gyldig.") from exc
    except jwt.InvalidAudienceError as exc:
        raise AuthenticationError("Tokenet er udstedt til en anden modtager (aud).") from exc
    except jwt.InvalidIssuerError as exc:
        raise AuthenticationError("Tokenet er udstedt af en ukendt udsteder (iss).") from exc
    except jwt.MissingRequiredClaimError as exc:
        raise AuthenticationError(f"Tokenet mangler feltet {exc.claim!r}.") from exc
    except jwt.PyJWKClientError as exc:
        raise AuthenticationError(f"Tokenets nøgle kan ikke findes hos udbyderen: {exc}") from exc
    except jwt.InvalidTokenError as exc:
        raise AuthenticationError(f"Tokenet er ugyldigt: {exc}") from exc


def viewer_from_token(session: Session, settings: Settings, token: str) -> Viewer:
    """The Person behind a valid token, acting in the roles both token and person have."""
    claims = decode_token(settings, token)
    email = claims.get("email") or claims.get("sub")
    if not isinstance(email, str):
        raise AuthenticationError("Tokenet siger ikke, hvem det tilhører (email eller sub).")
    # E-mails are stored in lower case, so the unique index on email serves this lookup.
    person = session.scalar(select(Person).where(Person.email == email.lower()))
    if person is None or not person.active:
        raise AuthenticationError(f"Tokenets person {email} findes ikke i kataloget.")
    claimed = claims.get("roles", [])
    if not isinstance(claimed, list):
        raise AuthenticationError("Tokenets felt 'roles' skal være en liste.")
    granted = {Role(r) for r in claimed if r in Role.__members__} & person.roles
    return Viewer(person_id=person.id, email=person.email, roles=frozenset(granted))
