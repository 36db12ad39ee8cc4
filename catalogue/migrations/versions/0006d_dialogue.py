"""the chef–leader dialogue (LUS): cycles, dialogues, adaptation, assessments, plan

Revision ID: 0006d
Revises: 0006c
Create Date: 2026-12-01 23:42:12.658087

New tables only (``catalogue/models/dialogue.py``); nothing existing changes, so the
downgrade drops them again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import catalogue.models.base

revision: str = "0006d"
down_revision: str | None = "0006c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "role_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("importances", sa.JSON(), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_profile")),
        sa.UniqueConstraint("key", name=op.f("uq_role_profile_key")),
    )
    with op.batch_alter_table("role_profile", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_role_profile_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "dialogue_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "OPEN",
                "CLOSED",
                "ARCHIVED",
                name="dialogue_cycle_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("preparation_due", sa.Date(), nullable=False),
        sa.Column("meeting_from", sa.Date(), nullable=False),
        sa.Column("meeting_until", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column(
            "visibility",
            sa.Enum(
                "AT_ONCE",
                "AFTER_OWN_SUBMISSION",
                "AFTER_BOTH_SUBMITTED",
                name="preparation_visibility",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("hr_may_read_dialogues", sa.Boolean(), nullable=False),
        sa.Column("scale_min", sa.Integer(), nullable=False),
        sa.Column("scale_max", sa.Integer(), nullable=False),
        sa.Column("scale_labels", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
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
        sa.CheckConstraint("opens_on <= closes_on", name=op.f("ck_dialogue_cycle_dates_ordered")),
        sa.CheckConstraint("scale_min < scale_max", name=op.f("ck_dialogue_cycle_scale_ordered")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
            name=op.f("fk_dialogue_cycle_created_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["competence_profile.id"],
            name=op.f("fk_dialogue_cycle_profile_id_competence_profile"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogue_cycle")),
    )
    with op.batch_alter_table("dialogue_cycle", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dialogue_cycle_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dialogue_cycle_year"), ["year"], unique=False)

    op.create_table(
        "dialogue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("chef_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "INVITED",
                "PREPARING",
                "READY",
                "HELD",
                "AGREED",
                "FOLLOWED_UP",
                "CLOSED",
                "REOPENED",
                name="dialogue_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("previous_dialogue_id", sa.Integer(), nullable=True),
        sa.Column("role_profile_id", sa.Integer(), nullable=True),
        sa.Column("meeting_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("meeting_place", sa.String(length=200), nullable=False),
        sa.Column(
            "leader_submitted_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "chef_submitted_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("held_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column(
            "leader_confirmed_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "chef_confirmed_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("agreed_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("follow_up_note", sa.Text(), nullable=False),
        sa.Column(
            "followed_up_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
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
        sa.CheckConstraint("leader_id <> chef_id", name=op.f("ck_dialogue_not_own_chef")),
        sa.ForeignKeyConstraint(
            ["chef_id"], ["person.id"], name=op.f("fk_dialogue_chef_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["dialogue_cycle.id"], name=op.f("fk_dialogue_cycle_id_dialogue_cycle")
        ),
        sa.ForeignKeyConstraint(
            ["leader_id"], ["person.id"], name=op.f("fk_dialogue_leader_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["previous_dialogue_id"],
            ["dialogue.id"],
            name=op.f("fk_dialogue_previous_dialogue_id_dialogue"),
        ),
        sa.ForeignKeyConstraint(
            ["role_profile_id"],
            ["role_profile.id"],
            name=op.f("fk_dialogue_role_profile_id_role_profile"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogue")),
        sa.UniqueConstraint("cycle_id", "leader_id", name=op.f("uq_dialogue_cycle_id_leader_id")),
    )
    with op.batch_alter_table("dialogue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dialogue_chef_id"), ["chef_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dialogue_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dialogue_leader_id"), ["leader_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dialogue_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_dialogue_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "dialogue_adaptation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column(
            "side",
            sa.Enum(
                "START",
                "LEADER",
                "CHEF",
                "AGREED",
                name="dialogue_side",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("importance", sa.Integer(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "importance BETWEEN 0 AND 3", name=op.f("ck_dialogue_adaptation_importance_range")
        ),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogue.id"],
            name=op.f("fk_dialogue_adaptation_dialogue_id_dialogue"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["competence_statement.id"],
            name=op.f("fk_dialogue_adaptation_statement_id_competence_statement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogue_adaptation")),
        sa.UniqueConstraint(
            "dialogue_id",
            "statement_id",
            "side",
            name=op.f("uq_dialogue_adaptation_dialogue_id_statement_id_side"),
        ),
    )
    with op.batch_alter_table("dialogue_adaptation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dialogue_adaptation_dialogue_id"), ["dialogue_id"], unique=False
        )

    op.create_table(
        "dialogue_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column(
            "side",
            sa.Enum(
                "START",
                "LEADER",
                "CHEF",
                "AGREED",
                name="dialogue_side",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogue.id"],
            name=op.f("fk_dialogue_assessment_dialogue_id_dialogue"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["competence_statement.id"],
            name=op.f("fk_dialogue_assessment_statement_id_competence_statement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogue_assessment")),
        sa.UniqueConstraint(
            "dialogue_id",
            "statement_id",
            "side",
            name=op.f("uq_dialogue_assessment_dialogue_id_statement_id_side"),
        ),
    )
    with op.batch_alter_table("dialogue_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dialogue_assessment_dialogue_id"), ["dialogue_id"], unique=False
        )

    op.create_table(
        "dialogue_focus",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("success_criteria", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "position BETWEEN 1 AND 3", name=op.f("ck_dialogue_focus_position_range")
        ),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogue.id"],
            name=op.f("fk_dialogue_focus_dialogue_id_dialogue"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["competence_statement.id"],
            name=op.f("fk_dialogue_focus_statement_id_competence_statement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogue_focus")),
        sa.UniqueConstraint(
            "dialogue_id", "statement_id", name=op.f("uq_dialogue_focus_dialogue_id_statement_id")
        ),
    )
    with op.batch_alter_table("dialogue_focus", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dialogue_focus_dialogue_id"), ["dialogue_id"], unique=False
        )

    op.create_table(
        "dialogue_reminder_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_key", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("sent_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogue.id"],
            name=op.f("fk_dialogue_reminder_sent_dialogue_id_dialogue"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogue_reminder_sent")),
        sa.UniqueConstraint(
            "dialogue_id",
            "kind",
            "subject_key",
            name=op.f("uq_dialogue_reminder_sent_dialogue_id_kind_subject_key"),
        ),
    )
    op.create_table(
        "dialogue_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("taken_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogue.id"],
            name=op.f("fk_dialogue_snapshot_dialogue_id_dialogue"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialogue_snapshot")),
        sa.UniqueConstraint(
            "dialogue_id", "number", name=op.f("uq_dialogue_snapshot_dialogue_id_number")
        ),
    )
    with op.batch_alter_table("dialogue_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dialogue_snapshot_dialogue_id"), ["dialogue_id"], unique=False
        )

    op.create_table(
        "development_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("focus_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "COURSE",
                "MENTORING",
                "NETWORK",
                "ON_THE_JOB",
                "READING",
                "OTHER",
                name="development_action_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("course_run_id", sa.Integer(), nullable=True),
        sa.Column("enrolment_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "PLANNED",
                "BOOKED",
                "IN_PROGRESS",
                "DONE",
                "CANCELLED",
                "NOT_DONE",
                name="development_action_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("status_reason", sa.Text(), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["course_run_id"],
            ["course_run.id"],
            name=op.f("fk_development_action_course_run_id_course_run"),
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolment.id"],
            name=op.f("fk_development_action_enrolment_id_enrolment"),
        ),
        sa.ForeignKeyConstraint(
            ["focus_id"],
            ["dialogue_focus.id"],
            name=op.f("fk_development_action_focus_id_dialogue_focus"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["person.id"], name=op.f("fk_development_action_owner_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_action")),
    )
    with op.batch_alter_table("development_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_development_action_enrolment_id"), ["enrolment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_development_action_focus_id"), ["focus_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_development_action_updated_at"), ["updated_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("development_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_development_action_updated_at"))
        batch_op.drop_index(batch_op.f("ix_development_action_focus_id"))
        batch_op.drop_index(batch_op.f("ix_development_action_enrolment_id"))

    op.drop_table("development_action")
    with op.batch_alter_table("dialogue_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dialogue_snapshot_dialogue_id"))

    op.drop_table("dialogue_snapshot")
    op.drop_table("dialogue_reminder_sent")
    with op.batch_alter_table("dialogue_focus", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dialogue_focus_dialogue_id"))

    op.drop_table("dialogue_focus")
    with op.batch_alter_table("dialogue_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dialogue_assessment_dialogue_id"))

    op.drop_table("dialogue_assessment")
    with op.batch_alter_table("dialogue_adaptation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dialogue_adaptation_dialogue_id"))

    op.drop_table("dialogue_adaptation")
    with op.batch_alter_table("dialogue", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dialogue_updated_at"))
        batch_op.drop_index(batch_op.f("ix_dialogue_status"))
        batch_op.drop_index(batch_op.f("ix_dialogue_leader_id"))
        batch_op.drop_index(batch_op.f("ix_dialogue_cycle_id"))
        batch_op.drop_index(batch_op.f("ix_dialogue_chef_id"))

    op.drop_table("dialogue")
    with op.batch_alter_table("dialogue_cycle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dialogue_cycle_year"))
        batch_op.drop_index(batch_op.f("ix_dialogue_cycle_updated_at"))

    op.drop_table("dialogue_cycle")
    with op.batch_alter_table("role_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_profile_updated_at"))

    op.drop_table("role_profile")
