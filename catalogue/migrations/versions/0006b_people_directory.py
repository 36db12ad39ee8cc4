"""people directory: employee numbers, provisioning ids, manager history, role groups

Revision ID: 0006b
Revises: 0006a
Create Date: 2026-12-01 23:43:02.454383

People now come from the municipality's own systems (SCIM, an HR file), so a
person carries the keys those systems match on (employee number, SCIM userName
and externalId), the department as the provider names it, and when they were
deactivated or removed by the provisioning client. ``manager_period`` keeps who
managed whom from when to when; existing manager links become open periods from
the person's creation. ``role_group`` and its members are the provider's groups,
each granting at most one role.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import catalogue.models.base

revision: str = "0006b"
down_revision: str | None = "0006a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "role_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=True),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_group")),
        sa.UniqueConstraint("display_name", name=op.f("uq_role_group_display_name")),
    )
    with op.batch_alter_table("role_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_role_group_external_id"), ["external_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_role_group_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "manager_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", catalogue.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_to", catalogue.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_manager_period_period_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["person.id"],
            name=op.f("fk_manager_period_manager_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_manager_period_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manager_period")),
    )
    with op.batch_alter_table("manager_period", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_manager_period_manager_id"), ["manager_id"], unique=False
        )
        batch_op.create_index(
            "ix_manager_period_person_from", ["person_id", "valid_from"], unique=False
        )

    op.create_table(
        "role_group_member",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["role_group.id"],
            name=op.f("fk_role_group_member_group_id_role_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_role_group_member_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "person_id", name=op.f("pk_role_group_member")),
    )
    with op.batch_alter_table("role_group_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_role_group_member_person_id"), ["person_id"], unique=False
        )

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("employee_number", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("user_name", sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column("external_id", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("department", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "deprovisioned_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("provisioned_attributes", sa.JSON(), server_default="{}", nullable=False)
        )
        batch_op.create_index(batch_op.f("ix_person_external_id"), ["external_id"], unique=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_person_employee_number"), ["employee_number"]
        )
        batch_op.create_unique_constraint(batch_op.f("uq_person_user_name"), ["user_name"])

    op.execute(
        "INSERT INTO manager_period (person_id, manager_id, valid_from) "
        "SELECT id, manager_id, created_at FROM person WHERE manager_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_person_user_name"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_person_employee_number"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_person_external_id"))
        batch_op.drop_column("provisioned_attributes")
        batch_op.drop_column("deprovisioned_at")
        batch_op.drop_column("department")
        batch_op.drop_column("external_id")
        batch_op.drop_column("user_name")
        batch_op.drop_column("employee_number")

    with op.batch_alter_table("role_group_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_group_member_person_id"))

    op.drop_table("role_group_member")
    with op.batch_alter_table("manager_period", schema=None) as batch_op:
        batch_op.drop_index("ix_manager_period_person_from")
        batch_op.drop_index(batch_op.f("ix_manager_period_manager_id"))

    op.drop_table("manager_period")
    with op.batch_alter_table("role_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_group_updated_at"))
        batch_op.drop_index(batch_op.f("ix_role_group_external_id"))

    op.drop_table("role_group")
