"""lms sync: queued runs, the Celery task behind a run, and who asked for it

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 15:52:26.212571

The status CHECK constraint gains QUEUED (a run HR asked for that no worker has
started yet). Autogenerate cannot see CHECK constraints, so that part is written
by hand; ``batch_alter_table`` rebuilds the table on SQLite.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = ("RUNNING", "SUCCEEDED", "PARTIAL", "FAILED")
NEW_STATUSES = ("QUEUED", *OLD_STATUSES)


def _status_check(statuses: Sequence[str]) -> str:
    return "status IN ({})".format(", ".join(f"'{s}'" for s in statuses))


def upgrade() -> None:
    with op.batch_alter_table("sync_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("task_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("requested_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_sync_run_requested_by_id"), ["requested_by_id"], unique=False
        )
        batch_op.create_unique_constraint(batch_op.f("uq_sync_run_task_id"), ["task_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_sync_run_requested_by_id_person"),
            "person",
            ["requested_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_constraint(batch_op.f("ck_sync_run_sync_status"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_sync_run_sync_status"), _status_check(NEW_STATUSES)
        )


def downgrade() -> None:
    # A queued run has not started; going back it is simply forgotten.
    op.execute("DELETE FROM sync_run WHERE status = 'QUEUED'")
    with op.batch_alter_table("sync_run", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_sync_run_sync_status"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_sync_run_sync_status"), _status_check(OLD_STATUSES)
        )
        batch_op.drop_constraint(
            batch_op.f("fk_sync_run_requested_by_id_person"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_sync_run_task_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_sync_run_requested_by_id"))
        batch_op.drop_column("requested_by_id")
        batch_op.drop_column("task_id")
