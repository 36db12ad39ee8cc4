"""Keeping the search index true: every flush that writes a course, an activity or a statement
re-indexes it in the same transaction.

The terms are computed in Python (``danish_text``), so SQLite and PostgreSQL store the same
rows and a search answers the same on both. Writers that bypass the ORM (the bench's COPY,
a restore) call ``reindex_all`` afterwards; ``catalogue search-reindex`` does that by hand.
Links are not indexed: a search joins the live links to the statements' terms, so linking
and unlinking need no re-indexing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, event, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, UOWTransaction

from catalogue.models import (
    Activity,
    CompetenceStatement,
    Course,
    SearchField,
    SearchTerm,
    SearchWord,
)
from catalogue.services.danish_text import Lexicon, document_terms, lexicon_words

_BATCH = 500


def _lexicon_of(connection: Connection, extra: Iterable[str] = ()) -> Lexicon:
    stored = connection.execute(select(SearchWord.word)).scalars().all()
    return Lexicon([*stored, *extra])


def load_lexicon(session: Session) -> Lexicon:
    """The words compounds are split against, as the index was built with them."""
    return _lexicon_of(session.connection())


def _store_words(connection: Connection, found: set[str]) -> None:
    if not found:
        return
    rows = [{"word": word} for word in sorted(found)]
    table = SearchWord.__table__
    assert isinstance(table, Table)
    statement: Any = (
        postgresql.insert(table)
        if connection.dialect.name == "postgresql"
        else sqlite.insert(table)
    )
    for start in range(0, len(rows), _BATCH):
        connection.execute(
            statement.on_conflict_do_nothing(index_elements=["word"]), rows[start : start + _BATCH]
        )


def _course_texts(
    connection: Connection, course_ids: Sequence[int]
) -> list[tuple[int, int | None, SearchField, str]]:
    """(course, activity, field, text) for every searchable text of the courses."""
    texts: list[tuple[int, int | None, SearchField, str]] = []
    for course in connection.execute(
        select(Course.id, Course.title, Course.summary, Course.audience, Course.provider).where(
            Course.id.in_(course_ids)
        )
    ):
        texts += [
            (course.id, None, SearchField.TITLE, course.title or ""),
            (course.id, None, SearchField.SUMMARY, course.summary or ""),
            (course.id, None, SearchField.AUDIENCE, course.audience or ""),
            (course.id, None, SearchField.PROVIDER, course.provider or ""),
        ]
    for activity in connection.execute(
        select(Activity.id, Activity.course_id, Activity.title).where(
            Activity.course_id.in_(course_ids), Activity.archived_at.is_(None)
        )
    ):
        texts.append((activity.course_id, activity.id, SearchField.ACTIVITY, activity.title or ""))
    return texts


def _statement_texts(connection: Connection, statement_ids: Sequence[int]) -> list[tuple[int, str]]:
    return [
        (row.id, row.text)
        for row in connection.execute(
            select(CompetenceStatement.id, CompetenceStatement.text).where(
                CompetenceStatement.id.in_(statement_ids)
            )
        )
    ]


def _term_rows(
    texts: Iterable[tuple[dict[str, Any], str]], lexicon: Lexicon
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for owner, text in texts:
        for term, part in document_terms(text, lexicon).items():
            rows.append({**owner, "term": term, "compound_part": part})
    return _unique(rows)


def _unique(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per owner, field and term: a whole word wins over a compound part."""
    best: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = (row["course_id"], row["activity_id"], row["statement_id"], row["field"], row["term"])
        if key not in best or (best[key]["compound_part"] and not row["compound_part"]):
            best[key] = row
    return list(best.values())


def _insert_terms(connection: Connection, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _BATCH):
        connection.execute(insert(SearchTerm), rows[start : start + _BATCH])


def index_courses(connection: Connection, course_ids: Sequence[int]) -> None:
    """Replace the courses' terms (title, summary, audience, provider, live activities)."""
    ids = sorted(set(course_ids))
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        connection.execute(delete(SearchTerm).where(SearchTerm.course_id.in_(batch)))
        texts = _course_texts(connection, batch)
        found = {word for *_, text in texts for word in lexicon_words(text)}
        _store_words(connection, found)
        lexicon = _lexicon_of(connection, found)
        owners = (
            (
                {
                    "course_id": course_id,
                    "activity_id": activity_id,
                    "statement_id": None,
                    "field": field.value,
                },
                text,
            )
            for course_id, activity_id, field, text in texts
        )
        _insert_terms(connection, _term_rows(owners, lexicon))


def index_statements(connection: Connection, statement_ids: Sequence[int]) -> None:
    """Replace the statements' terms; a course linked to one is found by them."""
    ids = sorted(set(statement_ids))
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        connection.execute(delete(SearchTerm).where(SearchTerm.statement_id.in_(batch)))
        texts = _statement_texts(connection, batch)
        found = {word for _, text in texts for word in lexicon_words(text)}
        _store_words(connection, found)
        lexicon = _lexicon_of(connection, found)
        owners = (
            (
                {
                    "course_id": None,
                    "activity_id": None,
                    "statement_id": statement_id,
                    "field": SearchField.STATEMENT.value,
                },
                text,
            )
            for statement_id, text in texts
        )
        _insert_terms(connection, _term_rows(owners, lexicon))


def reindex_all(session: Session) -> tuple[int, int]:
    """The whole index again, with a lexicon of every word first; (courses, statements)."""
    connection = session.connection()
    connection.execute(delete(SearchTerm))
    course_ids = list(connection.execute(select(Course.id)).scalars())
    statement_ids = list(connection.execute(select(CompetenceStatement.id)).scalars())
    words: set[str] = set()
    for start in range(0, len(course_ids), _BATCH):
        for *_, text in _course_texts(connection, course_ids[start : start + _BATCH]):
            words |= lexicon_words(text)
    for _, text in _statement_texts(connection, statement_ids):
        words |= lexicon_words(text)
    _store_words(connection, words)
    index_statements(connection, statement_ids)
    index_courses(connection, course_ids)
    return len(course_ids), len(statement_ids)


def _changed(session: Session) -> tuple[set[int], set[int]]:
    courses: set[int] = set()
    statements: set[int] = set()
    for instance in (*session.new, *session.dirty):
        if isinstance(instance, Course) and instance.id is not None:
            courses.add(instance.id)
        elif isinstance(instance, Activity) and instance.course_id is not None:
            courses.add(instance.course_id)
        elif isinstance(instance, CompetenceStatement) and instance.id is not None:
            statements.add(instance.id)
    for instance in session.deleted:
        if isinstance(instance, Activity) and instance.course_id is not None:
            courses.add(instance.course_id)
    return courses, statements


@event.listens_for(Session, "after_flush")
def _index_after_flush(session: Session, _context: UOWTransaction) -> None:
    """Re-index what this flush wrote, on the flush's own connection and transaction."""
    courses, statements = _changed(session)
    if not courses and not statements:
        return
    connection = session.connection()
    existing = set(connection.execute(select(Course.id).where(Course.id.in_(courses))).scalars())
    if statements:
        index_statements(connection, sorted(statements))
    if existing:
        index_courses(connection, sorted(existing))
