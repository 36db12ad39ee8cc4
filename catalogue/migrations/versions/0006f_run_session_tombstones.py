"""course_run_session: removed sessions kept as tombstones, with a calendar sequence

Revision ID: 0006f
Revises: 0006e
Create Date: 2026-12-01 23:55:00.000000

A session HR removes from a run is kept with ``removed_at`` set, so the next
calendar file tells a leader who imported it that it is cancelled (same UID,
higher SEQUENCE). ``sequence`` counts the changes a calendar must take over.
Sessions stored before this are live and at sequence 0. A downgrade deletes the
tombstones, as the older schema would show them as live sessions.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import catalogue.models.base

revision: str = "0006f"
down_revision: str | None = "0006e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("course_run_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("removed_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("sequence", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM course_run_session WHERE removed_at IS NOT NULL")
    with op.batch_alter_table("course_run_session", schema=None) as batch_op:
        batch_op.drop_column("sequence")
        batch_op.drop_column("removed_at")
