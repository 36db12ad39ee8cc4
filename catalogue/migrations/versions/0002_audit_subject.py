"""audit log: whose data and which course a change concerns

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 15:51:22.089608
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("course_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_audit_log_entry_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_log_entry_person_id"), ["person_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_log_entry_person_id_person"),
            "person",
            ["person_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_log_entry_course_id_course"),
            "course",
            ["course_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log_entry", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_audit_log_entry_course_id_course"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_audit_log_entry_person_id_person"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_audit_log_entry_person_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_entry_course_id"))
        batch_op.drop_column("course_id")
        batch_op.drop_column("person_id")
