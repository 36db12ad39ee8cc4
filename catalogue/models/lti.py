"""LTI 1.3 platforms (Moodle sites and other LMSs) the catalogue is registered with as a tool."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from catalogue.models.base import Base


class LtiPlatform(Base):
    """One registration of the tool with a platform: its issuer, our client id there,
    the deployments it may launch from, where its keys and endpoints are.

    Several at once (one Moodle per school area, a test Moodle); a launch from an issuer
    and client id not in this table is refused. ``key_set`` holds keys given by hand
    when the platform publishes no JWKS URL.
    """

    __tablename__ = "lti_platform"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(200))
    #: The ``deployment_id`` values launches may carry (a list of strings).
    deployment_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    auth_login_url: Mapped[str] = mapped_column(String(1000))
    auth_token_url: Mapped[str] = mapped_column(String(1000))
    key_set_url: Mapped[str | None] = mapped_column(String(1000))
    key_set: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: True when the platform's ``sub`` is the user id the LMS sync knows (``lms_user_id``).
    sub_is_lms_user_id: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class LtiNonce(Base):
    """A nonce the tool sent a platform at login initiation, kept until one launch uses it.

    The launch deletes the row it matches, so the same ``id_token`` (or another with the
    same nonce) launched again finds none and is refused: a replay.
    """

    __tablename__ = "lti_nonce"

    nonce: Mapped[str] = mapped_column(String(100), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
