"""Bearer tokens: minting local development tokens and validating every token.

Local tokens are HS256, signed with the settings' secret; in production only
when CATALOGUE_SECRET_KEY is set (see ``Settings.signing_key``). The identity
provider's tokens (RS256/ES256) are checked against its JWKS, which
``IdentityProviderKeys`` fetches ahead, off the event loop. Both end as the same
Viewer: a Person from our database and the roles they act in.

The person is found by the token's ``email`` (else ``sub``), as HR provisions
people by e-mail; with ``CATALOGUE_OIDC_CREATE_PEOPLE`` a provider token of someone
not provisioned yet creates them (``services.first_login``). The roles come from
``services.token_roles``. So an identity-provider token that says ``email_verified:
false`` is refused: an unverified address would let anyone who can register
that address at the provider act as the person here. A token without the claim
is accepted, as the municipality's provider issues addresses from its own
directory and many providers leave the claim out.

Claims are checked for shape before they reach the database: a wrong type or
a control character is a clear UNAUTHENTICATED, never a server error.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Person, Role
from catalogue.models.base import utcnow
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.first_login import person_from_first_login
from catalogue.services.identity import AuthenticationError as AuthenticationError
from catalogue.services.identity import Viewer
from catalogue.services.idp_keys import IDP_ALGORITHMS, IdentityProviderKeys
from catalogue.services.token_roles import token_roles
from catalogue.settings import Settings

LOCAL_AUDIENCE = "kompetencekatalog"
LOCAL_ALGORITHM = "HS256"
#: RFC 5321's limit on an address; longer is no e-mail of ours.
EMAIL_MAX_LENGTH = 320


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
    key = settings.signing_key()
    if key is None:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Lokale tokens kan ikke udstedes i produktion uden CATALOGUE_SECRET_KEY; "
            "log ind via identitetsudbyderen.",
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
    return jwt.encode(claims, key, algorithm=LOCAL_ALGORITHM)


def decode_token(
    settings: Settings, token: str, *, idp_keys: IdentityProviderKeys | None = None
) -> dict[str, Any]:
    """Validated claims, or AuthenticationError saying what was wrong.

    ``idp_keys`` holds the provider's keys, fetched ahead by ``IdentityProviderKeys.prepare``.
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as exc:
        raise AuthenticationError("Tokenet kan ikke læses: det er ikke et gyldigt JWT.") from exc
    try:
        if header.get("alg") == LOCAL_ALGORITHM:
            local_key = settings.signing_key()
            if local_key is None:
                raise AuthenticationError(
                    "Lokale tokens (HS256) tages ikke imod her: CATALOGUE_SECRET_KEY er ikke "
                    "sat i produktion. Log ind via identitetsudbyderen."
                )
            return jwt.decode(
                token,
                local_key,
                algorithms=[LOCAL_ALGORITHM],
                audience=LOCAL_AUDIENCE,
                issuer=settings.token_issuer,
                options={"require": ["exp", "sub", "aud", "iss"]},
            )
        if not settings.oidc_jwks_url or idp_keys is None:
            raise AuthenticationError(
                f"Tokenet er signeret med {header.get('alg')!r}, men ingen identitetsudbyder "
                "er sat op (CATALOGUE_OIDC_JWKS_URL)."
            )
        if header.get("alg") not in IDP_ALGORITHMS:
            raise AuthenticationError(
                f"Tokenet er signeret med {header.get('alg')!r}; identitetsudbyderens tokens "
                f"skal være signeret med {', '.join(IDP_ALGORITHMS)}."
            )
        if not idp_keys.loaded:
            raise AuthenticationError(
                "Identitetsudbyderens nøgler kan ikke hentes lige nu; prøv igen om lidt."
            )
        key = idp_keys.signing_key(header.get("kid"))
        if key is None:
            raise AuthenticationError("Tokenets nøgle (kid) findes ikke hos identitetsudbyderen.")
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=list(IDP_ALGORITHMS),
            audience=settings.oidc_audience,
            issuer=settings.oidc_issuer,
            options={"require": ["exp", "sub"], "verify_aud": settings.oidc_audience is not None},
        )
        if claims.get("email_verified", True) not in (True, "true"):
            raise AuthenticationError(
                "Identitetsudbyderen har ikke bekræftet tokenets e-mailadresse (email_verified)."
            )
        return claims
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
    except jwt.PyJWTError as exc:
        raise AuthenticationError(_in_danish(exc)) from exc


#: PyJWT's other refusals, in Danish: its own messages are English and would reach people.
REFUSALS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (
        jwt.ImmatureSignatureError,
        "Tokenet er ikke gyldigt endnu (nbf eller iat ligger i fremtiden); tjek urets tid.",
    ),
    (jwt.InvalidIssuedAtError, "Tokenets udstedelsestidspunkt (iat) skal være et tal."),
    (jwt.InvalidAlgorithmError, "Tokenets algoritme (alg) tages ikke imod."),
    (jwt.PyJWKClientError, "Tokenets nøgle (kid) findes ikke hos identitetsudbyderen."),
    (jwt.InvalidKeyError, "Tokenet kan ikke kontrolleres med den nøgle, det peger på."),
    (jwt.PyJWKError, "Tokenet kan ikke kontrolleres med den nøgle, det peger på."),
    (jwt.DecodeError, "Tokenet kan ikke læses: header, indhold eller signatur er beskadiget."),
)


def _in_danish(error: jwt.PyJWTError) -> str:
    """Why PyJWT refused the token, without PyJWT's English (e.g. "Unable to find ...")."""
    for kind, message in REFUSALS:
        if isinstance(error, kind):
            return message
    return f"Tokenet er ugyldigt ({type(error).__name__})."


def viewer_from_token(
    session: Session,
    settings: Settings,
    token: str,
    *,
    idp_keys: IdentityProviderKeys | None = None,
) -> Viewer:
    """The Person behind a valid token and the roles they act in (``services.token_roles``)."""
    claims = decode_token(settings, token, idp_keys=idp_keys)
    # Verified by now, so the header says truthfully which kind of token this is.
    local = jwt.get_unverified_header(token).get("alg") == LOCAL_ALGORITHM
    return viewer_from_claims(session, settings, claims, local=local)


def viewer_from_claims(
    session: Session, settings: Settings, claims: dict[str, Any], *, local: bool
) -> Viewer:
    """The Person named by validated claims (a token's, or the web login's ID token)."""
    email = claims.get("email") or claims.get("sub")
    if not isinstance(email, str):
        raise AuthenticationError("Tokenet siger ikke, hvem det tilhører (email eller sub).")
    if len(email) > EMAIL_MAX_LENGTH or not email.isprintable():
        raise AuthenticationError(
            "Tokenets felt 'email' (eller 'sub') er ikke en e-mailadresse: "
            f"den er over {EMAIL_MAX_LENGTH} tegn eller rummer kontroltegn."
        )
    # E-mails are stored in lower case, so the unique index on email serves this lookup.
    person = session.scalar(select(Person).where(Person.email == email.lower()))
    if person is None and not local and settings.oidc_create_people:
        person = person_from_first_login(session, settings, claims, email=email.lower())
    if person is None or not person.active:
        raise AuthenticationError(f"Tokenets person {email} findes ikke i kataloget.")
    roles = token_roles(session, settings, person, claims, local=local)
    return Viewer(person_id=person.id, email=person.email, roles=roles)
