"""The web app's server-side sessions: one row per login, ended by logout or deactivation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.base import Base
from catalogue.models.person import Person


class LoginSession(Base):
    """A person logged in to the web app, acting in ``roles``.

    The browser holds a random token in a signed cookie; the row keeps only the
    token's SHA-256, so reading the table does not let anyone take over a session.
    ``ended_at`` set (logout) or the person deactivated ends it on the next request.
    """

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    #: The roles granted at login, comma-separated; still cut to the person's roles each time.
    roles: Mapped[str] = mapped_column(String(200))
    #: How the person logged in: ``dev`` (the demo picker), ``oidc`` or ``lti``.
    method: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship()
