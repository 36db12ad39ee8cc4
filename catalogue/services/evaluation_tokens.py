"""Respondents' link tokens: random, stored only as a hash, and the keys derived from them.

A token is ``ev_`` and 43 characters of ``secrets.token_urlsafe(32)`` (256 random bits),
so guessing one is hopeless and the log redactor can recognise one by its shape. The
database holds ``token_hash`` (to find the invitation) and, while the round is open,
``change_key`` on the answers (to find the respondent's own answers again). Each is the
SHA-256 of the token with its own purpose label: neither can be computed from the
other, nor from anything stored, only from the token, which exists in the e-mail alone.
No server secret goes in, so the hashes survive a rotated signing key; 256 random bits
need no key stretching.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from enum import StrEnum

TOKEN_PREFIX = "ev_"  # noqa: S105 - the visible start of every token, not a secret
#: The shape of a token, for checking input and for masking tokens in logs.
TOKEN_PATTERN = re.compile(r"ev_[A-Za-z0-9_-]{43}")


class KeyPurpose(StrEnum):
    INVITATION = "invitation"
    RATINGS = "ratings"
    COMMENTS = "comments"


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def is_well_formed(token: str) -> bool:
    """Whether ``token`` has a token's shape; checked before anything is hashed or looked up."""
    return isinstance(token, str) and TOKEN_PATTERN.fullmatch(token) is not None


def derived_key(token: str, purpose: KeyPurpose) -> str:
    return hashlib.sha256(f"{purpose.value}:{token}".encode()).hexdigest()


def token_hash(token: str) -> str:
    """What ``evaluation_invitation.token_hash`` holds for ``token``."""
    return derived_key(token, KeyPurpose.INVITATION)
