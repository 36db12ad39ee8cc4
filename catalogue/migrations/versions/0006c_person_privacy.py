"""person.deactivated_at and person.erased_at: the leaver's retention clock and GDPR erasure

Revision ID: 0006c
Revises: 0006b
Create Date: 2026-12-01 23:50:00.000000

People already inactive get their last update as deactivation time, the best the
database knows; their retention period counts from there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import catalogue.models.base

revision: str = "0006c"
down_revision: str | None = "0006b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "deactivated_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("erased_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_person_deactivated_at"), ["deactivated_at"], unique=False
        )
    op.execute(
        sa.text(
            "UPDATE person SET deactivated_at = updated_at WHERE active = :inactive"
        ).bindparams(inactive=False)
    )


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_deactivated_at"))
        batch_op.drop_column("erased_at")
        batch_op.drop_column("deactivated_at")
