"""Search: relevance (recall@5, MRR) against a person's judgements, and latency as a ratio.

Relevance is measured on both databases for the same data: the PostgreSQL database of a
scale, and an SQLite file holding the same courses, activities and links (the demo seed,
plus the generated offer copied over for M). HR's synonyms (``SYNONYMS``) are added first
and rolled back afterwards. Latency is the search a leader's catalogue page runs (a page of
20 by relevance, its total and its ``matchedOn`` explanations) against the plain filter
query of the same page size (a kind filter, by title) in the same process and run.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from bench.relevance_judgements import JUDGEMENTS, SYNONYMS, Judgement
from catalogue import migrate
from catalogue.db import make_engine
from catalogue.models import (
    Activity,
    CompetenceLink,
    Course,
    CourseKind,
    CourseStatus,
    Person,
    Role,
)
from catalogue.seeding.loader import seed
from catalogue.services.course_search import CourseFilter, CourseOrder, course_search
from catalogue.services.identity import Viewer
from catalogue.services.search_index import reindex_all
from catalogue.services.search_query import search_matches
from catalogue.services.search_synonyms import add_synonym

TOP = 5
#: How deep the reciprocal rank looks; a first relevant hit further down counts 0.
RANK_DEPTH = 50
PAGE = 20


@dataclass(frozen=True)
class QueryResult:
    query: str
    tries: str
    relevant: int
    top: list[str]
    recall_at_5: float
    reciprocal_rank: float


def _hr(session: Session) -> Viewer:
    person = session.scalars(select(Person).where(Person.is_hr.is_(True)).limit(1)).one()
    return Viewer(person_id=person.id, email=person.email, roles=frozenset({Role.HR}))


def _relevant(judgement: Judgement, generated: dict[str, str]) -> set[str]:
    """The demo's judged courses, and the generated ones of a judged topic."""
    return set(judgement.demo) | {
        code for code, topic in generated.items() if topic in judgement.topics
    }


def _generated_topics(session: Session) -> dict[str, str]:
    """Published generated courses by code, with the topic their title starts with."""
    rows = session.execute(
        select(Course.code, Course.title).where(
            Course.code.like("B%-%"), Course.status == CourseStatus.PUBLISHED
        )
    )
    return {code: title.split(" – ")[0] for code, title in rows}


def _ranked(session: Session, text: str) -> list[str]:
    found = course_search(
        session, CourseFilter(search=text), viewer=None, order=CourseOrder.RELEVANCE
    )
    return list(session.scalars(found.statement.with_only_columns(Course.code).limit(RANK_DEPTH)))


def relevance(factory: sessionmaker[Session]) -> dict[str, Any]:
    """recall@5 and MRR over every judgement, with HR's synonyms in place (then rolled back)."""
    with factory() as session:
        for word, synonym in SYNONYMS:
            add_synonym(session, actor=_hr(session), word=word, synonym=synonym)
        generated = _generated_topics(session)
        results = []
        for judgement in JUDGEMENTS:
            relevant = _relevant(judgement, generated)
            ranked = _ranked(session, judgement.query)
            top = ranked[:TOP]
            first = next((i for i, code in enumerate(ranked, 1) if code in relevant), None)
            results.append(
                QueryResult(
                    query=judgement.query,
                    tries=judgement.tries,
                    relevant=len(relevant),
                    top=top,
                    recall_at_5=len(set(top) & relevant) / min(TOP, len(relevant)),
                    reciprocal_rank=1 / first if first else 0.0,
                )
            )
        session.rollback()
    return {
        "queries": len(results),
        "recall_at_5": round(statistics.fmean(r.recall_at_5 for r in results), 3),
        "mrr": round(statistics.fmean(r.reciprocal_rank for r in results), 3),
        "misses": [
            {"query": r.query, "tries": r.tries, "recall_at_5": round(r.recall_at_5, 2),
             "rr": round(r.reciprocal_rank, 2), "top": r.top}
            for r in results
            if r.recall_at_5 < 1
        ],
    }  # fmt: skip


@contextmanager
def sqlite_copy(source: Engine | None) -> Iterator[sessionmaker[Session]]:
    """An SQLite file with the demo seed and, from ``source``, the generated offer."""
    with tempfile.TemporaryDirectory(prefix="kk-bench-search-") as folder:
        url = f"sqlite:///{Path(folder) / 'search.sqlite3'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        seed(factory, demo=True)
        if source is not None:
            _copy_generated_offer(source, engine)
        try:
            yield factory
        finally:
            engine.dispose()


def _copy_generated_offer(source: Engine, target: Engine) -> None:
    """The generated courses, their activities and live links; ids and texts kept."""
    course_table = Course.__table__
    activity_table = Activity.__table__
    link_table = CompetenceLink.__table__
    assert isinstance(course_table, Table)
    assert isinstance(activity_table, Table)
    assert isinstance(link_table, Table)
    generated = select(Course.id).where(Course.code.like("B%-%"))
    with source.connect() as reading, target.begin() as writing:
        for table, where in (
            (course_table, course_table.c.id.in_(generated)),
            (activity_table, activity_table.c.course_id.in_(generated)),
        ):
            rows = [dict(row._mapping) for row in reading.execute(select(table).where(where))]
            for start in range(0, len(rows), 2000):
                writing.execute(insert(table), rows[start : start + 2000])
        activity_ids = select(Activity.id).where(Activity.course_id.in_(generated))
        links = [
            {**dict(row._mapping), "linked_by_id": None, "superseded_by_id": None}
            for row in reading.execute(
                select(link_table).where(
                    link_table.c.removed_at.is_(None),
                    (link_table.c.course_id.in_(generated))
                    | (link_table.c.activity_id.in_(activity_ids)),
                )
            )
        ]
        for start in range(0, len(links), 2000):
            writing.execute(insert(link_table), links[start : start + 2000])
    with sessionmaker(bind=target)() as session, session.begin():
        reindex_all(session)


def _median_seconds(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def latency(
    factory: sessionmaker[Session], *, queries: int = 20, repeats: int = 7
) -> dict[str, Any]:
    """Median seconds of a search page against the plain filter page, summed over queries."""
    texts = [judgement.query for judgement in JUDGEMENTS[:queries]]
    with factory() as session:
        for word, synonym in SYNONYMS:
            add_synonym(session, actor=_hr(session), word=word, synonym=synonym)

        def search_page(text: str) -> None:
            found = course_search(
                session, CourseFilter(search=text), viewer=None, order=CourseOrder.RELEVANCE
            )
            page = session.scalars(found.statement.limit(PAGE)).all()
            session.scalar(
                select(func.count()).select_from(found.statement.order_by(None).subquery())
            )
            assert found.query is not None
            search_matches(session, found.query, [course.id for course in page])

        def filter_page() -> None:
            found = course_search(
                session, CourseFilter(kinds=(CourseKind.SHORT_COURSE,)), viewer=None
            )
            session.scalars(found.statement.limit(PAGE)).all()
            session.scalar(
                select(func.count()).select_from(found.statement.order_by(None).subquery())
            )

        for text in texts:  # warm both paths' caches and plans alike
            search_page(text)
            filter_page()
        search = sum(_median_seconds(lambda t=text: search_page(t), repeats) for text in texts)
        plain = sum(_median_seconds(filter_page, repeats) for _ in texts)
        courses = session.scalar(select(func.count()).select_from(Course)) or 0
        session.rollback()
    return {
        "ratio": round(search / plain, 2),
        "search_ms_per_query": round(1000 * search / len(texts), 2),
        "filter_ms_per_query": round(1000 * plain / len(texts), 2),
        "queries": len(texts),
        "courses": courses,
    }
