"""Build (or reuse) the pristine database of a scale.

Steps: create the database, ``catalogue.migrate.upgrade``, ``catalogue seed``
with the demo, give the demo courses LMS ids (the demo has none, and the sync
benchmark needs mapped courses at every scale), then at M and L add the
generated municipalities with COPY, and VACUUM ANALYZE so the planner sees the
real sizes. The audit log and the outbox are not filled for the generated
history: no measured request reads them, and they would only add minutes.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from sqlalchemy import select

from bench import pg
from bench.datagen.copy import Connection, reset_sequence
from bench.datagen.history import generate_history, plan_demand
from bench.datagen.offer import LMS_COURSE_OFFSET, LMS_MODULE_OFFSET, generate_offer, write_runs
from bench.datagen.org import generate_people
from bench.scales import Scale
from catalogue import migrate
from catalogue.db import make_engine, make_session_factory, transaction
from catalogue.models import CompetenceStatement
from catalogue.seeding.loader import seed
from catalogue.services.profiles import current_profile
from catalogue.services.search_index import reindex_all
from catalogue.settings import PROJECT_ROOT

GENERATED_TABLES = (
    "org_unit", "person", "course", "activity", "course_run", "competence_link", "enrolment",
    "activity_completion",
)  # fmt: skip
COUNTED_TABLES = (*GENERATED_TABLES, "enrolment_focus_statement")


@dataclass(frozen=True)
class Built:
    database: str
    generated_now: bool
    seconds: float


def pristine_name(scale: Scale) -> str:
    return f"{pg.PREFIX}{scale.name.lower()}"


def fingerprint(scale: Scale) -> str:
    """Changes when the generator, the schema, the seed files or the day change."""
    digest = hashlib.sha256()
    sources = sorted(Path(__file__).parent.glob("*.py"))
    sources += [Path(__file__).parent.parent / "scales.py"]
    sources += sorted((PROJECT_ROOT / "catalogue" / "migrations" / "versions").glob("*.py"))
    sources += sorted((PROJECT_ROOT / "seed").glob("*.yaml"))
    for path in sources:
        digest.update(path.read_bytes())
    digest.update(repr(asdict(scale)).encode())
    digest.update(datetime.now(UTC).date().isoformat().encode())
    return f"kk-bench {scale.name} {digest.hexdigest()[:16]}"


def ensure(scale: Scale, *, force: bool = False, log: bool = True) -> Built:
    """The pristine database of ``scale``, generated now if missing, stale or ``force``."""
    name = pristine_name(scale)
    wanted = fingerprint(scale)
    if not force and pg.exists(name) and pg.fingerprint_of(name) == wanted:
        return Built(name, False, 0.0)
    started = time.perf_counter()
    if log:
        print(f"[data] genererer skala {scale.name} i databasen {name} ...", flush=True)
    pg.create(name)
    url = pg.database_url(name)
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        seed(make_session_factory(engine), demo=True)
        statement_ids, statement_keys = _profile_statements(engine)
    finally:
        engine.dispose()
    with psycopg.connect(pg.libpq_url(name)) as connection:
        connection.execute("SET synchronous_commit = off")
        _map_demo_courses_to_lms(connection)
        if scale.generated:
            _generate(connection, scale, statement_ids, statement_keys, log=log)
        connection.commit()
    if scale.generated:
        # COPY bypasses the ORM's flush, which keeps the search index; build it once here.
        engine = make_engine(url)
        try:
            with transaction(make_session_factory(engine)) as session:
                reindex_all(session)
        finally:
            engine.dispose()
    with psycopg.connect(pg.libpq_url(name), autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")
    pg.set_fingerprint(name, wanted)
    seconds = time.perf_counter() - started
    if log:
        print(f"[data] skala {scale.name} klar på {seconds:.0f} s: {counts(name)}", flush=True)
    return Built(name, True, seconds)


def _profile_statements(engine: object) -> tuple[list[int], dict[int, str]]:
    from sqlalchemy import Engine

    assert isinstance(engine, Engine)
    with make_session_factory(engine)() as session:
        profile = current_profile(session)
        assert profile is not None, "the seed loads the profile"
        rows = session.execute(
            select(CompetenceStatement.id, CompetenceStatement.key)
            .where(CompetenceStatement.profile_id == profile.id)
            .order_by(CompetenceStatement.id)
        ).all()
    return [r.id for r in rows], {r.id: r.key for r in rows}


def _map_demo_courses_to_lms(connection: Connection) -> None:
    """The demo's courses with activities get Moodle ids, as if they had been set up there."""
    connection.execute(
        "UPDATE course SET lms_course_id = (%s + id)::text "
        "WHERE lms_course_id IS NULL AND id IN (SELECT course_id FROM activity)",
        [LMS_COURSE_OFFSET],
    )
    connection.execute(
        "UPDATE activity SET lms_module_id = (%s + id)::text WHERE lms_module_id IS NULL",
        [LMS_MODULE_OFFSET],
    )


def _generate(
    connection: Connection,
    scale: Scale,
    statement_ids: list[int],
    statement_keys: dict[int, str],
    *,
    log: bool,
) -> None:
    rng = random.Random(f"kompetencekatalog-bench-{scale.name}")
    now = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    hr = connection.execute("SELECT id FROM person WHERE is_hr ORDER BY id LIMIT 1").fetchone()
    step = time.perf_counter()

    def done(what: str) -> None:
        nonlocal step
        if log:
            print(f"[data]   {what}: {time.perf_counter() - step:.1f} s", flush=True)
        step = time.perf_counter()

    people = generate_people(
        connection, rng, municipalities=scale.municipalities, leaders=scale.leaders, now=now
    )
    done("organisation og ledere")
    courses = generate_offer(
        connection,
        rng,
        scale=scale.name,
        courses=scale.courses,
        activities=scale.activities,
        links=scale.links,
        statement_ids=statement_ids,
        statement_keys=statement_keys,
        hr_id=hr[0] if hr else None,
        now=now,
    )
    demand = plan_demand(rng, courses, enrolments=scale.enrolments)
    write_runs(connection, courses, scale=scale.name)
    done("kurser, aktiviteter, hold og links")
    history = generate_history(
        connection,
        rng,
        demand,
        courses,
        leader_ids=people.leader_ids + people.chef_ids,
        completions=scale.completions,
        statement_ids=statement_ids,
        now=now,
    )
    done(f"tilmeldinger og gennemførelser ({history})")
    for table in GENERATED_TABLES:
        reset_sequence(connection, table)


def counts(database: str) -> dict[str, int]:
    """Rows per table: what the figures of a scale were measured on."""
    with psycopg.connect(pg.libpq_url(database)) as connection:
        return {
            table: int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
            for table in COUNTED_TABLES
        }
