"""The tool's own key pair: the private key signs deep-linking responses (and service
token requests); the public half is published as a JWKS for the platforms.

The key id is a SHA-256 of the public key, so it changes exactly when the key does and
a platform caching our JWKS sees a new key id.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


@dataclass(frozen=True)
class ToolKey:
    private_pem: str
    public_pem: str
    kid: str
    public_jwk: dict[str, Any]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.public_jwk]}


def tool_key(private_pem: str) -> ToolKey:
    """The tool key from its PEM; ValueError (Danish) when it is not an RSA private key."""
    try:
        key = serialization.load_pem_private_key(private_pem.encode("utf-8"), password=None)
    except (ValueError, TypeError):
        raise ValueError("CATALOGUE_LTI_PRIVATE_KEY er ikke en PEM-kodet privat nøgle.") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("CATALOGUE_LTI_PRIVATE_KEY skal være en RSA-nøgle (LTI bruger RS256).")
    public = key.public_key()
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    kid = base64.urlsafe_b64encode(hashlib.sha256(der).digest()).decode("ascii").rstrip("=")
    jwk: dict[str, Any] = dict(RSAAlgorithm.to_jwk(public, as_dict=True))
    jwk.update({"kid": kid, "alg": "RS256", "use": "sig"})
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    return ToolKey(private_pem=private_pem, public_pem=public_pem, kid=kid, public_jwk=jwk)
