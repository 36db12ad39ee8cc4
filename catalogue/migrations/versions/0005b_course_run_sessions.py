"""course_run_session: the dated sessions (teaching days) of a course run

Revision ID: 0005b
Revises: 0005a
Create Date: 2026-12-01 22:20:00.000000

A run's calendar file holds its sessions instead of one event from its first day
to its last. Runs stored before this have no sessions; their calendar entries are
the all-day start and end days until HR adds sessions.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import catalogue.models.base

revision: str = "0005b"
down_revision: str | None = "0005a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "course_run_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_run_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column(
            "created_at",
            catalogue.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            catalogue.models.base.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "ends_at > starts_at", name=op.f("ck_course_run_session_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["course_run_id"],
            ["course_run.id"],
            name=op.f("fk_course_run_session_course_run_id_course_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_run_session")),
    )
    with op.batch_alter_table("course_run_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_course_run_session_course_run_id"), ["course_run_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_course_run_session_updated_at"), ["updated_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("course_run_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_run_session_updated_at"))
        batch_op.drop_index(batch_op.f("ix_course_run_session_course_run_id"))
    op.drop_table("course_run_session")
