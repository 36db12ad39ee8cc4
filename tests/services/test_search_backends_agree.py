"""SQLite and PostgreSQL, seeded alike, find the same courses in the same order, for the same
reasons: the analysis is Python's and the relevance an integer (issue 20)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue import migrate
from catalogue.db import make_engine
from catalogue.models import Person, Role
from catalogue.seeding.loader import seed
from catalogue.services.course_search import CourseFilter, CourseOrder, course_search
from catalogue.services.identity import Viewer
from catalogue.services.search_query import search_matches
from catalogue.services.search_synonyms import add_synonym
from tests.backends import postgres_schema_url, require_postgres

QUERIES = (
    "forandringsledelse", "budget", "budgettet", "budgetopfølgning", "konflikthåndtering",
    "konflikthaandtering", "konflikterne", "konfikt", "oekonomi", "feedback", "feedbak",
    "trivsel", "MUS", "medarbejderudviklingssamtale", "strategisk ledelse", "nye ledere",
    "leder af ledere", "stress", "netværk", "kommunkation", "politisk betjening", "data",
    "diplom i ledelse", "svære samtaler", "?!", "af",
)  # fmt: skip


def _answers(factory: sessionmaker[Session]) -> list[tuple[str, list[tuple[str, object]]]]:
    with factory() as session:
        person = session.scalars(select(Person).where(Person.is_hr.is_(True)).limit(1)).one()
        hr = Viewer(person_id=person.id, email=person.email, roles=frozenset({Role.HR}))
        add_synonym(session, actor=hr, word="MUS", synonym="medarbejderudviklingssamtale")
        add_synonym(session, actor=hr, word="MUS", synonym="medarbejdersamtale")
        add_synonym(session, actor=hr, word="trivsel", synonym="arbejdsmiljø")
        add_synonym(session, actor=hr, word="stress", synonym="robusthed")
        answers = []
        for text in QUERIES:
            found = course_search(
                session, CourseFilter(search=text), viewer=None, order=CourseOrder.RELEVANCE
            )
            courses = session.scalars(found.statement).all()
            assert found.query is not None
            why = search_matches(session, found.query, [c.id for c in courses])
            answers.append((text, [(c.code, why[c.id]) for c in courses]))
        session.rollback()
    return answers


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    sqlite = f"sqlite:///{tmp_path_factory.mktemp('agree') / 'agree.sqlite3'}"
    with postgres_schema_url(require_postgres()) as postgres:
        for url in (sqlite, postgres):
            migrate.upgrade(url)
            engine = make_engine(url)
            seed(sessionmaker(bind=engine), demo=True, today=date(2027, 1, 4))
            engine.dispose()
        yield sqlite, postgres


def test_both_databases_find_the_same_courses_in_the_same_order_for_the_same_reasons(
    both: tuple[str, str], tmp_path: Path
) -> None:
    results = []
    for url in both:
        engine = make_engine(url)
        try:
            results.append(_answers(sessionmaker(bind=engine)))
        finally:
            engine.dispose()
    sqlite, postgres = results
    assert [text for text, _ in sqlite] == list(QUERIES)
    for (text, on_sqlite), (_, on_postgres) in zip(sqlite, postgres, strict=True):
        assert on_sqlite == on_postgres, text
    assert sum(len(hits) for _, hits in sqlite) > 100  # the searches did find things
