"""The LTI platforms the tool is registered with: adding one, finding one for a launch.

A platform is its issuer and the client id it gave us; one issuer may hold several
registrations (client ids). Every URL is checked here, so a typo is a Danish message at
registration rather than a failed launch later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalogue.models import LtiPlatform
from catalogue.models.base import utcnow
from catalogue.services.errors import DomainError, ErrorCode

MAX_DEPLOYMENTS = 100


@dataclass(frozen=True)
class PlatformInput:
    name: str
    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str | None = None
    key_set: dict[str, Any] | None = None
    deployment_ids: Sequence[str] = field(default_factory=tuple)
    sub_is_lms_user_id: bool = False


def _text(value: object, where: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DomainError(ErrorCode.REQUIRED, f"{where} mangler.", field=where)
    value = value.strip()
    if len(value) > limit:
        raise DomainError(
            ErrorCode.TOO_LONG, f"{where} er over {limit} tegn ({len(value)}).", field=where
        )
    if not value.isprintable():
        raise DomainError(ErrorCode.INVALID, f"{where} rummer kontroltegn.", field=where)
    return value


def _url(value: object, where: str, *, allow_http: bool) -> str:
    url = _text(value, where, 1000)
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.netloc:
        raise DomainError(
            ErrorCode.INVALID,
            f"{where} skal være en https-adresse, men er {url[:100]!r}.",
            field=where,
        )
    return url


def _deployments(values: Sequence[object]) -> list[str]:
    found: list[str] = []
    if len(values) > MAX_DEPLOYMENTS:
        raise DomainError(
            ErrorCode.TOO_LONG,
            f"Højst {MAX_DEPLOYMENTS} deployment-id'er pr. platform ({len(values)}).",
            field="deploymentIds",
        )
    for value in values:
        text = _text(value, "deploymentIds", 255)
        if text not in found:
            found.append(text)
    return found


def _key_set(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    keys = value.get("keys") if isinstance(value, dict) else None
    if not isinstance(keys, list) or not keys or not all(isinstance(k, dict) for k in keys):
        raise DomainError(
            ErrorCode.INVALID,
            'keySet skal være et JWKS-dokument: {"keys": [...]} med mindst én nøgle.',
            field="keySet",
        )
    return {"keys": keys}


def add_platform(session: Session, data: PlatformInput, *, allow_http: bool) -> LtiPlatform:
    """Register a platform; refused when the issuer and client id are registered already.

    ``allow_http`` is for development and the tests' in-process platform only.
    """
    key_set = _key_set(data.key_set)
    key_set_url = (
        _url(data.key_set_url, "keySetUrl", allow_http=allow_http) if data.key_set_url else None
    )
    if key_set is None and key_set_url is None:
        raise DomainError(
            ErrorCode.REQUIRED,
            "Platformen skal have enten keySetUrl (dens JWKS-adresse) eller keySet.",
            field="keySetUrl",
        )
    platform = LtiPlatform(
        name=_text(data.name, "name", 200),
        issuer=_url(data.issuer, "issuer", allow_http=allow_http),
        client_id=_text(data.client_id, "clientId", 200),
        auth_login_url=_url(data.auth_login_url, "authLoginUrl", allow_http=allow_http),
        auth_token_url=_url(data.auth_token_url, "authTokenUrl", allow_http=allow_http),
        key_set_url=key_set_url,
        key_set=key_set,
        deployment_ids=_deployments(list(data.deployment_ids)),
        sub_is_lms_user_id=data.sub_is_lms_user_id,
        created_at=utcnow(),
    )
    existing = find_platform(session, platform.issuer, platform.client_id)
    if existing is not None:
        raise DomainError(
            ErrorCode.DUPLICATE,
            f"Platformen {platform.issuer} med klient-id {platform.client_id} er allerede "
            "registreret.",
            field="clientId",
        )
    try:
        with session.begin_nested():
            session.add(platform)
            session.flush()
    except IntegrityError:  # registered by a concurrent request between check and insert
        raise DomainError(
            ErrorCode.DUPLICATE,
            f"Platformen {platform.issuer} med klient-id {platform.client_id} er allerede "
            "registreret.",
            field="clientId",
        ) from None
    return platform


def find_platform(session: Session, issuer: str, client_id: str | None) -> LtiPlatform | None:
    """The registration for ``issuer`` and ``client_id``; with no client id, the only one."""
    if len(issuer) > 500 or (client_id is not None and len(client_id) > 200):
        return None
    query = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id is not None:
        return session.scalar(query.where(LtiPlatform.client_id == client_id))
    found = session.scalars(query.limit(2)).all()
    return found[0] if len(found) == 1 else None


def add_deployment(session: Session, platform: LtiPlatform, deployment_id: str) -> None:
    """A deployment the platform made (dynamic registration, or a new course placement)."""
    platform.deployment_ids = _deployments([*platform.deployment_ids, deployment_id])
    session.flush()


def registered_origins(session: Session) -> list[str]:
    """The origins (scheme://host[:port]) of every registered platform, for frame-ancestors."""
    origins: list[str] = []
    for issuer, login_url in session.execute(
        select(LtiPlatform.issuer, LtiPlatform.auth_login_url)
    ):
        for url in (issuer, login_url):
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
    return origins
