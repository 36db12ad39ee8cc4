"""The search index (analysed terms per course and per statement), its lexicon, and synonyms.

The index is written by ``services/search_index.py`` whenever a course, an activity or a
statement is written, in the same transaction, so a search never sees a stale course.
Analysis happens in Python (``services/danish_text.py``), so both databases hold the same
terms and answer the same.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from catalogue.models.base import Base, enum_type, utcnow
from catalogue.models.person import Person

#: A term longer than this is cut: no Danish word is.
TERM_MAX_LENGTH = 64
#: A synonym is a word or a short phrase ("medarbejderudviklingssamtale", "LUS-samtale").
SYNONYM_MAX_LENGTH = 100


class SearchField(StrEnum):
    """Where in a course (or its linked statement) a term was found; ranks in this order."""

    TITLE = "TITLE"
    ACTIVITY = "ACTIVITY"
    SUMMARY = "SUMMARY"
    AUDIENCE = "AUDIENCE"
    PROVIDER = "PROVIDER"
    STATEMENT = "STATEMENT"


class SearchTerm(Base):
    """One analysed term of a course's text (or of a statement's), once per field and owner."""

    __tablename__ = "search_term"
    __table_args__ = (
        CheckConstraint("(course_id IS NULL) <> (statement_id IS NULL)", name="exactly_one_owner"),
        Index("ix_search_term_term_course", "term", "course_id"),
        Index("ix_search_term_term_statement", "term", "statement_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("course.id", ondelete="CASCADE"), index=True
    )
    #: The activity whose title holds the term (field ACTIVITY), so a hit can name it.
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("competence_statement.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[SearchField] = mapped_column(enum_type(SearchField, "search_field"))
    term: Mapped[str] = mapped_column(String(TERM_MAX_LENGTH))
    #: Only a part of a compound in the text ("budget" in "budgetlægning"): ranks lower.
    compound_part: Mapped[bool] = mapped_column(default=False)


class SearchWord(Base):
    """A word of the catalogue or the profile that compounds are split against."""

    __tablename__ = "search_word"

    word: Mapped[str] = mapped_column(String(TERM_MAX_LENGTH), primary_key=True)


class SearchSynonym(Base):
    """Two words HR says mean the same to a searcher ("MUS" and "medarbejderudviklingssamtale").

    Stored once, with the two sides in alphabetical order of their analysed form, and used
    both ways.
    """

    __tablename__ = "search_synonym"
    __table_args__ = (UniqueConstraint("first_key", "second_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first: Mapped[str] = mapped_column(String(SYNONYM_MAX_LENGTH))
    second: Mapped[str] = mapped_column(String(SYNONYM_MAX_LENGTH))
    #: The analysed (stemmed, folded) forms, which decide what a duplicate is.
    first_key: Mapped[str] = mapped_column(String(4 * SYNONYM_MAX_LENGTH))
    second_key: Mapped[str] = mapped_column(String(4 * SYNONYM_MAX_LENGTH))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey(Person.id, ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
