"""search index: analysed terms per course and statement, the lexicon, HR's synonyms

Revision ID: 0006g
Revises: 0006f
Create Date: 2026-12-01 23:50:00.000000

Danish search (issue 20) answers from terms computed in Python, the same on SQLite and
PostgreSQL. The tables are filled here from the stored courses and statements with the
same code the application writes them with on every flush
(``catalogue.services.search_index.reindex_all``); ``catalogue search-reindex`` does it
again by hand.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

import catalogue.models.base

revision: str = "0006g"
down_revision: str | None = "0006f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCH_FIELDS = ("TITLE", "ACTIVITY", "SUMMARY", "AUDIENCE", "PROVIDER", "STATEMENT")


def upgrade() -> None:
    op.create_table(
        "search_word",
        sa.Column("word", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_word")),
    )
    op.create_table(
        "search_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("statement_id", sa.Integer(), nullable=True),
        sa.Column(
            "field",
            sa.Enum(
                *SEARCH_FIELDS,
                name="search_field",
                native_enum=False,
                create_constraint=True,
                length=9,
            ),
            nullable=False,
        ),
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("compound_part", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "(course_id IS NULL) <> (statement_id IS NULL)",
            name=op.f("ck_search_term_exactly_one_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_search_term_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["course.id"],
            name=op.f("fk_search_term_course_id_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["competence_statement.id"],
            name=op.f("fk_search_term_statement_id_competence_statement"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_term")),
    )
    with op.batch_alter_table("search_term", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_term_course_id"), ["course_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_search_term_statement_id"), ["statement_id"], unique=False
        )
        batch_op.create_index("ix_search_term_term_course", ["term", "course_id"], unique=False)
        batch_op.create_index(
            "ix_search_term_term_statement", ["term", "statement_id"], unique=False
        )
    op.create_table(
        "search_synonym",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first", sa.String(length=100), nullable=False),
        sa.Column("second", sa.String(length=100), nullable=False),
        sa.Column("first_key", sa.String(length=400), nullable=False),
        sa.Column("second_key", sa.String(length=400), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", catalogue.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
            name=op.f("fk_search_synonym_created_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_synonym")),
        sa.UniqueConstraint(
            "first_key", "second_key", name=op.f("uq_search_synonym_first_key_second_key")
        ),
    )
    from catalogue.services.search_index import reindex_all

    reindex_all(Session(bind=op.get_bind()))


def downgrade() -> None:
    op.drop_table("search_synonym")
    with op.batch_alter_table("search_term", schema=None) as batch_op:
        batch_op.drop_index("ix_search_term_term_statement")
        batch_op.drop_index("ix_search_term_term_course")
        batch_op.drop_index(batch_op.f("ix_search_term_statement_id"))
        batch_op.drop_index(batch_op.f("ix_search_term_course_id"))
    op.drop_table("search_term")
    op.drop_table("search_word")
