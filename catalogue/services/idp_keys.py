"""The identity provider's signing keys (its JWKS), fetched without blocking the event loop.

PyJWT's ``PyJWKClient`` fetches with urllib on the calling thread; called from the
async GraphQL context it stalled every request of the process, ``/healthz`` and
anonymous queries included, for as long as the provider took to answer. Here the
fetch is an awaited httpx request with a timeout, one at a time per process (requests
that need keys meanwhile wait for that same fetch), and a failed or slow fetch keeps
the last good keys, so a provider hiccup does not log everybody out.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import jwt
import structlog

from catalogue.settings import Settings

log = structlog.get_logger("catalogue.idp_keys")

IDP_ALGORITHMS = ("RS256", "ES256", "PS256")

#: An unknown key id makes a fetch (the provider may have rotated), but not more often
#: than this, so tokens with made-up ids cannot turn every request into a fetch.
UNKNOWN_KID_REFETCH_SECONDS = 30.0


class IdentityProviderKeys:
    """The last good key set of one JWKS URL, refreshed when older than ``max_age``."""

    def __init__(self, url: str, *, timeout: float, max_age: float) -> None:
        self.url = url
        self.timeout = timeout
        self.max_age = max_age
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> IdentityProviderKeys | None:
        if not settings.oidc_jwks_url:
            return None
        return cls(
            settings.oidc_jwks_url,
            timeout=settings.oidc_jwks_timeout_seconds,
            max_age=settings.oidc_jwks_max_age_seconds,
        )

    async def prepare(self, token: str) -> None:
        """Make sure the keys for ``token`` are here if they can be had; never raises.

        A token that is not signed by the provider (or not a JWT at all) needs no keys;
        ``decode_token`` says what is wrong with it.
        """
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError:
            return
        if header.get("alg") not in IDP_ALGORITHMS:
            return
        kid = header.get("kid")
        if not self._needs_fetch(kid if isinstance(kid, str) else None):
            return
        async with self._lock:
            # Another request may have fetched while this one waited for the lock.
            if self._needs_fetch(kid if isinstance(kid, str) else None):
                await self._fetch()

    @property
    def loaded(self) -> bool:
        """Whether any key set has ever been fetched."""
        return bool(self._keys)

    def signing_key(self, kid: object) -> jwt.PyJWK | None:
        """The key a token names (or the only key, for a token without ``kid``)."""
        if isinstance(kid, str) and kid in self._keys:
            return self._keys[kid]
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return None

    def _needs_fetch(self, kid: str | None) -> bool:
        now = time.monotonic()
        if self._fetched_at is None or now - self._fetched_at >= self.max_age:
            return self._attempted_at is None or now - self._attempted_at >= min(
                self.max_age, UNKNOWN_KID_REFETCH_SECONDS
            )
        if kid is not None and kid not in self._keys:
            return self._attempted_at is None or (
                now - self._attempted_at >= UNKNOWN_KID_REFETCH_SECONDS
            )
        return False

    async def _fetch(self) -> None:
        self._attempted_at = time.monotonic()
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.get(self.url, headers={"Accept": "application/json"})
                response.raise_for_status()
                key_set = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWKSetError) as exc:
            log.warning(
                "oidc.jwks_fetch_failed",
                url=self.url,
                error_type=type(exc).__name__,
                kept_keys=len(self._keys),
            )
            return
        self._keys = {key.key_id: key for key in key_set.keys}
        self._fetched_at = time.monotonic()
        log.info("oidc.jwks_fetched", url=self.url, keys=len(self._keys))
