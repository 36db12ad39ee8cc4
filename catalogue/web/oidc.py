"""Login through the municipality's identity provider: OIDC Authorization Code with PKCE.

Authlib does the protocol: discovery from ``CATALOGUE_OIDC_ISSUER``, the state, the
nonce and the S256 code challenge (kept for the few minutes of the round trip in
Starlette's signed handshake cookie), the code exchange and the ID token's signature,
issuer, audience, expiry and nonce. What we add is who the person is here: the ID
token's claims go through the same ``viewer_from_claims`` as an API token's.
"""

from __future__ import annotations

from typing import Any

from authlib.integrations.starlette_client import OAuth
from authlib.integrations.starlette_client.apps import StarletteOAuth2App

from catalogue.settings import Settings

#: The cookie that holds Authlib's state between the redirect and the callback.
HANDSHAKE_COOKIE = "kk_oidc"
HANDSHAKE_MAX_AGE_SECONDS = 600


def identity_provider(settings: Settings) -> StarletteOAuth2App | None:
    """The configured provider's client, or None when the web login has none."""
    if not (settings.oidc_client_id and settings.oidc_issuer):
        return None
    oauth = OAuth()
    secret = settings.oidc_client_secret
    client: Any = oauth.register(
        "idp",
        client_id=settings.oidc_client_id,
        client_secret=secret.get_secret_value() if secret else None,
        server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256"},
    )
    assert isinstance(client, StarletteOAuth2App)
    return client
