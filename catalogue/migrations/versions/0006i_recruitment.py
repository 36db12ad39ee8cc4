"""recruitment on the profile: job profiles, question bank, guides, committee, scorecards

Revision ID: 0006i
Revises: 0006g
Create Date: 2026-12-02 00:53:04.377239

New tables only (``catalogue/models/recruitment.py``); nothing existing changes, so the
downgrade drops them again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import catalogue.models.base

revision: str = "0006i"
down_revision: str | None = "0006g"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "interview_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_key", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("probes", sa.JSON(), nullable=False),
        sa.Column("good_evidence", sa.Text(), nullable=False),
        sa.Column("weak_evidence", sa.Text(), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_question")),
        sa.UniqueConstraint(
            "statement_key", "position", name=op.f("uq_interview_question_statement_key_position")
        ),
    )
    with op.batch_alter_table("interview_question", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_question_statement_key"), ["statement_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interview_question_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "job_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position_title", sa.String(length=200), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "DRAFT",
                "APPROVED",
                "IN_USE",
                "CLOSED",
                name="job_profile_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("hiring_chef_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("role_profile_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "candidates_erased_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True
        ),
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
            ["created_by_id"],
            ["person.id"],
            name=op.f("fk_job_profile_created_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["hiring_chef_id"], ["person.id"], name=op.f("fk_job_profile_hiring_chef_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_job_profile_org_unit_id_org_unit")
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["competence_profile.id"],
            name=op.f("fk_job_profile_profile_id_competence_profile"),
        ),
        sa.ForeignKeyConstraint(
            ["role_profile_id"],
            ["role_profile.id"],
            name=op.f("fk_job_profile_role_profile_id_role_profile"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_profile")),
    )
    with op.batch_alter_table("job_profile", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_job_profile_hiring_chef_id"), ["hiring_chef_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_job_profile_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_profile_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("ats_reference", sa.String(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "ACTIVE",
                "HIRED",
                "REJECTED",
                "WITHDRAWN",
                name="candidate_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "committee_recommendation",
            sa.Enum(
                "STRONG_YES",
                "YES",
                "NO",
                "STRONG_NO",
                name="committee_recommendation",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("committee_reason", sa.Text(), nullable=False),
        sa.Column(
            "recommended_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("hired_person_id", sa.Integer(), nullable=True),
        sa.Column("anonymised_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True),
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
            ["hired_person_id"], ["person.id"], name=op.f("fk_candidate_hired_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["job_profile_id"],
            ["job_profile.id"],
            name=op.f("fk_candidate_job_profile_id_job_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate")),
        sa.UniqueConstraint(
            "job_profile_id",
            "ats_reference",
            name=op.f("uq_candidate_job_profile_id_ats_reference"),
        ),
    )
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_job_profile_id"), ["job_profile_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_candidate_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "committee_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_profile_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "HIRING_CHEF",
                "HR",
                "EMPLOYEE_REPRESENTATIVE",
                "UNION_REPRESENTATIVE",
                "PEER",
                "OTHER",
                name="committee_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "confidentiality_confirmed_at",
            catalogue.models.base.UTCDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "conflicts_declared_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True
        ),
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
            ["job_profile_id"],
            ["job_profile.id"],
            name=op.f("fk_committee_member_job_profile_id_job_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_committee_member_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_member")),
        sa.UniqueConstraint(
            "job_profile_id", "person_id", name=op.f("uq_committee_member_job_profile_id_person_id")
        ),
    )
    with op.batch_alter_table("committee_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_committee_member_job_profile_id"), ["job_profile_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_committee_member_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_committee_member_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "interview_guide",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_profile_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("locked_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("locked_by_id", sa.Integer(), nullable=True),
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
        sa.CheckConstraint("round BETWEEN 1 AND 2", name=op.f("ck_interview_guide_round_range")),
        sa.ForeignKeyConstraint(
            ["job_profile_id"],
            ["job_profile.id"],
            name=op.f("fk_interview_guide_job_profile_id_job_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["locked_by_id"],
            ["person.id"],
            name=op.f("fk_interview_guide_locked_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_guide")),
        sa.UniqueConstraint(
            "job_profile_id", "round", name=op.f("uq_interview_guide_job_profile_id_round")
        ),
    )
    with op.batch_alter_table("interview_guide", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_guide_job_profile_id"), ["job_profile_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interview_guide_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "job_profile_statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_profile_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column(
            "priority",
            sa.Enum(
                "MUST",
                "IMPORTANT",
                "NICE",
                name="job_profile_priority",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("behaviour", sa.Text(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_profile_id"],
            ["job_profile.id"],
            name=op.f("fk_job_profile_statement_job_profile_id_job_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["competence_statement.id"],
            name=op.f("fk_job_profile_statement_statement_id_competence_statement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_profile_statement")),
        sa.UniqueConstraint(
            "job_profile_id",
            "statement_id",
            name=op.f("uq_job_profile_statement_job_profile_id_statement_id"),
        ),
    )
    with op.batch_alter_table("job_profile_statement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_job_profile_statement_job_profile_id"), ["job_profile_id"], unique=False
        )

    op.create_table(
        "calibration_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("agreed_score", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
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
            ["author_id"],
            ["person.id"],
            name=op.f("fk_calibration_note_author_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_calibration_note_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["competence_statement.id"],
            name=op.f("fk_calibration_note_statement_id_competence_statement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_note")),
        sa.UniqueConstraint(
            "candidate_id",
            "round",
            "statement_id",
            name=op.f("uq_calibration_note_candidate_id_round_statement_id"),
        ),
    )
    with op.batch_alter_table("calibration_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_note_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_calibration_note_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "conflict_declaration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("declared_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_conflict_declaration_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["committee_member.id"],
            name=op.f("fk_conflict_declaration_member_id_committee_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_declaration")),
        sa.UniqueConstraint(
            "member_id", "candidate_id", name=op.f("uq_conflict_declaration_member_id_candidate_id")
        ),
    )
    with op.batch_alter_table("conflict_declaration", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conflict_declaration_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "guide_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guide_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("bank_question_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("probes", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "minutes BETWEEN 1 AND 60", name=op.f("ck_guide_question_minutes_range")
        ),
        sa.ForeignKeyConstraint(
            ["bank_question_id"],
            ["interview_question.id"],
            name=op.f("fk_guide_question_bank_question_id_interview_question"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["guide_id"],
            ["interview_guide.id"],
            name=op.f("fk_guide_question_guide_id_interview_guide"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["competence_statement.id"],
            name=op.f("fk_guide_question_statement_id_competence_statement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guide_question")),
        sa.UniqueConstraint(
            "guide_id", "position", name=op.f("uq_guide_question_guide_id_position")
        ),
    )
    with op.batch_alter_table("guide_question", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guide_question_guide_id"), ["guide_id"], unique=False)

    op.create_table(
        "interview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("starts_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_interview_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview")),
        sa.UniqueConstraint("candidate_id", "round", name=op.f("uq_interview_candidate_id_round")),
    )
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interview_candidate_id"), ["candidate_id"], unique=False
        )

    op.create_table(
        "recruitment_hand_over",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("dialogue_id", sa.Integer(), nullable=True),
        sa.Column("focus_candidates", sa.JSON(), nullable=False),
        sa.Column("prepared_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_recruitment_hand_over_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dialogue_id"],
            ["dialogue.id"],
            name=op.f("fk_recruitment_hand_over_dialogue_id_dialogue"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_recruitment_hand_over_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_hand_over")),
        sa.UniqueConstraint("candidate_id", name=op.f("uq_recruitment_hand_over_candidate_id")),
    )
    op.create_table(
        "scorecard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column(
            "recommendation",
            sa.Enum(
                "STRONG_YES",
                "YES",
                "NO",
                "STRONG_NO",
                name="scorecard_recommendation",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("overall_note", sa.Text(), nullable=False),
        sa.Column("submitted_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=True),
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
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_scorecard_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["committee_member.id"],
            name=op.f("fk_scorecard_member_id_committee_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecard")),
        sa.UniqueConstraint(
            "candidate_id",
            "member_id",
            "round",
            name=op.f("uq_scorecard_candidate_id_member_id_round"),
        ),
    )
    with op.batch_alter_table("scorecard", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scorecard_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_scorecard_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scorecard_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "statement_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scorecard_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 4", name=op.f("ck_statement_score_score_range")),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["scorecard.id"],
            name=op.f("fk_statement_score_scorecard_id_scorecard"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["competence_statement.id"],
            name=op.f("fk_statement_score_statement_id_competence_statement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_score")),
        sa.UniqueConstraint(
            "scorecard_id",
            "statement_id",
            name=op.f("uq_statement_score_scorecard_id_statement_id"),
        ),
    )
    with op.batch_alter_table("statement_score", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statement_score_scorecard_id"), ["scorecard_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("statement_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_score_scorecard_id"))

    op.drop_table("statement_score")
    with op.batch_alter_table("scorecard", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scorecard_updated_at"))
        batch_op.drop_index(batch_op.f("ix_scorecard_member_id"))
        batch_op.drop_index(batch_op.f("ix_scorecard_candidate_id"))

    op.drop_table("scorecard")
    op.drop_table("recruitment_hand_over")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_candidate_id"))

    op.drop_table("interview")
    with op.batch_alter_table("guide_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guide_question_guide_id"))

    op.drop_table("guide_question")
    with op.batch_alter_table("conflict_declaration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflict_declaration_member_id"))

    op.drop_table("conflict_declaration")
    with op.batch_alter_table("calibration_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_note_updated_at"))
        batch_op.drop_index(batch_op.f("ix_calibration_note_candidate_id"))

    op.drop_table("calibration_note")
    with op.batch_alter_table("job_profile_statement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_profile_statement_job_profile_id"))

    op.drop_table("job_profile_statement")
    with op.batch_alter_table("interview_guide", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_guide_updated_at"))
        batch_op.drop_index(batch_op.f("ix_interview_guide_job_profile_id"))

    op.drop_table("interview_guide")
    with op.batch_alter_table("committee_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_member_updated_at"))
        batch_op.drop_index(batch_op.f("ix_committee_member_person_id"))
        batch_op.drop_index(batch_op.f("ix_committee_member_job_profile_id"))

    op.drop_table("committee_member")
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_updated_at"))
        batch_op.drop_index(batch_op.f("ix_candidate_job_profile_id"))

    op.drop_table("candidate")
    with op.batch_alter_table("job_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_profile_updated_at"))
        batch_op.drop_index(batch_op.f("ix_job_profile_hiring_chef_id"))

    op.drop_table("job_profile")
    with op.batch_alter_table("interview_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_question_updated_at"))
        batch_op.drop_index(batch_op.f("ix_interview_question_statement_key"))

    op.drop_table("interview_question")
