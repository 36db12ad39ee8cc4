"""lti_platform: the LTI 1.3 platforms the tool is registered with

Revision ID: 0006j
Revises: 0006i
Create Date: 2026-12-02 01:10:00.000000

One row per platform registration (issuer + client id): deployments, endpoints and
where its keys are; and the nonces
sent at login initiation, each deleted by the one launch that uses it. Filled by dynamic registration or ``catalogue lti add-platform``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import catalogue.models.base

revision: str = "0006j"
down_revision: str | None = "0006i"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lti_platform",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("deployment_ids", sa.JSON(), nullable=False),
        sa.Column("auth_login_url", sa.String(length=1000), nullable=False),
        sa.Column("auth_token_url", sa.String(length=1000), nullable=False),
        sa.Column("key_set_url", sa.String(length=1000), nullable=True),
        sa.Column("key_set", sa.JSON(), nullable=True),
        sa.Column("sub_is_lms_user_id", sa.Boolean(), nullable=False),
        sa.Column("created_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lti_platform")),
        sa.UniqueConstraint("issuer", "client_id", name=op.f("uq_lti_platform_issuer_client_id")),
    )
    op.create_table(
        "lti_nonce",
        sa.Column("nonce", sa.String(length=100), nullable=False),
        sa.Column("expires_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_lti_nonce")),
    )
    with op.batch_alter_table("lti_nonce", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lti_nonce_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lti_nonce", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lti_nonce_expires_at"))
    op.drop_table("lti_nonce")
    op.drop_table("lti_platform")
