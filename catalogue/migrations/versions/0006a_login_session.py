"""login_session: the web app's server-side sessions

Revision ID: 0006a
Revises: 0005d
Create Date: 2026-12-01 23:55:00.000000

One row per login to the web app (``catalogue/web``). The cookie carries a random
token; the row keeps its SHA-256, the person, the roles granted at login, and when it
was last used and ended, so logout and deactivation end a session on the server.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import catalogue.models.base

revision: str = "0006a"
down_revision: str | None = "0005d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("created_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_login_session_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_session_token_hash")),
    )
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_session_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_session_person_id"))
    op.drop_table("login_session")
