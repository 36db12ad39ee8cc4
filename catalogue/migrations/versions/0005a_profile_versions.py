"""profile versions: superseded links as tombstones, and a version may repeat an older text

Revision ID: 0005a
Revises: 0004
Create Date: 2026-12-01 22:30:00.000000

- ``competence_link`` gains ``removal_reason`` (REMOVED by HR, SUPERSEDED by a
  newer profile version's link, STATEMENT_WITHDRAWN from the newer version) and
  ``superseded_by_id`` (the link that took over). Every existing tombstone was
  removed by HR, so it gets REMOVED; a CHECK keeps reason and ``removed_at``
  together. The links older versions left live are retired by the next
  ``catalogue seed`` (``services/link_versions.py``), not here: that rule needs
  the current version and HR's other links, which live in the services.
- ``competence_profile.content_digest`` is no longer unique: a file put back to
  an older text makes a new version with that text.

Autogenerate cannot see CHECK constraints, so this is written by hand;
``batch_alter_table`` rebuilds the tables on SQLite.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005a"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REASONS = ("REMOVED", "SUPERSEDED", "STATEMENT_WITHDRAWN")


def upgrade() -> None:
    with op.batch_alter_table("competence_link", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removal_reason", sa.String(length=19), nullable=True))
        batch_op.add_column(sa.Column("superseded_by_id", sa.Integer(), nullable=True))
    op.execute("UPDATE competence_link SET removal_reason = 'REMOVED' WHERE removed_at IS NOT NULL")
    with op.batch_alter_table("competence_link", schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f("ck_competence_link_link_removal_reason"),
            "removal_reason IN ({})".format(", ".join(f"'{r}'" for r in REASONS)),
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_competence_link_removal_has_reason"),
            "(removed_at IS NULL) = (removal_reason IS NULL)",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_competence_link_superseded_by_id_competence_link"),
            "competence_link",
            ["superseded_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            batch_op.f("ix_competence_link_superseded_by_id"), ["superseded_by_id"], unique=False
        )
    with op.batch_alter_table("competence_profile", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_competence_profile_content_digest"), type_="unique")


def downgrade() -> None:
    connection = op.get_bind()
    repeated = connection.execute(
        sa.text(
            "SELECT content_digest, count(*) FROM competence_profile "
            "GROUP BY content_digest HAVING count(*) > 1"
        )
    ).first()
    if repeated is not None:
        # The older schema cannot hold two versions with the same text; say so, lose nothing.
        raise RuntimeError(
            "Kan ikke gå tilbage før 0005a: to versioner af kompetenceprofilen har samme "
            "indhold (en fil sat tilbage til en ældre tekst). Den ældre databaseudgave kan "
            "ikke rumme det; slet først den ene version, hvis det er meningen."
        )
    with op.batch_alter_table("competence_profile", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_competence_profile_content_digest"), ["content_digest"]
        )
    with op.batch_alter_table("competence_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competence_link_superseded_by_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_competence_link_superseded_by_id_competence_link"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("ck_competence_link_removal_has_reason"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("ck_competence_link_link_removal_reason"), type_="check"
        )
        batch_op.drop_column("superseded_by_id")
        batch_op.drop_column("removal_reason")
