"""sync kind COMPETENCIES: the competence profile pushed to the LMS

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00.000000

``sync_run.kind`` is a VARCHAR sized to the longest kind, with a CHECK
constraint listing the kinds. COMPETENCIES is one character longer than
COMPLETIONS, so the column grows to 12 and the constraint is rewritten.
Autogenerate cannot see CHECK constraints, so this is written by hand;
``batch_alter_table`` rebuilds the table on SQLite.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("COURSES", "ENROLMENTS", "COMPLETIONS", "OUTBOX")
NEW_KINDS = (*OLD_KINDS, "COMPETENCIES")


def _kind_check(kinds: Sequence[str]) -> str:
    return "kind IN ({})".format(", ".join(f"'{k}'" for k in kinds))


def _rewrite(kinds: Sequence[str], *, old_length: int, new_length: int) -> None:
    with op.batch_alter_table("sync_run", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_sync_run_sync_kind"), type_="check")
        batch_op.alter_column(
            "kind",
            existing_type=sa.String(length=old_length),
            type_=sa.String(length=new_length),
            existing_nullable=False,
        )
        batch_op.create_check_constraint(batch_op.f("ck_sync_run_sync_kind"), _kind_check(kinds))


def upgrade() -> None:
    _rewrite(NEW_KINDS, old_length=11, new_length=12)


def downgrade() -> None:
    # The runs of a kind the old schema does not know cannot stay; they are only a log.
    op.execute("DELETE FROM sync_run WHERE kind = 'COMPETENCIES'")
    _rewrite(OLD_KINDS, old_length=12, new_length=11)
