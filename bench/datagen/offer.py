"""The catalogue at scale: courses, their activities and runs, and HR's competence links.

Distributions follow what a municipal catalogue holds: mostly short courses and
e-learning, a tenth long educations (Diplom modules with many activities and
approval), most courses published, some drafts and archived ones; the courses
Moodle runs (educations, e-learning, most short courses) carry LMS ids.
Links point at statements of the seeded profile with a skew (some statements
are popular, a few are gaps), 60 % to courses and 40 % to activities, and a few
are removed (tombstones).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bench.datagen import texts
from bench.datagen.copy import Connection, copy_rows, next_id

LMS_COURSE_OFFSET = 500_000
LMS_MODULE_OFFSET = 2_000_000

KIND_WEIGHTS = {
    "EDUCATION": 0.10, "SHORT_COURSE": 0.35, "E_LEARNING": 0.20, "NETWORK": 0.08,
    "MENTORING": 0.05, "COACHING": 0.05, "ON_THE_JOB": 0.10, "EVENT": 0.07,
}  # fmt: skip
#: How strongly each kind attracts extra activities (educations have many modules).
ACTIVITY_WEIGHTS = {
    "EDUCATION": 6.0, "SHORT_COURSE": 3.0, "E_LEARNING": 4.0, "NETWORK": 1.0,
    "MENTORING": 1.0, "COACHING": 1.0, "ON_THE_JOB": 1.0, "EVENT": 0.5,
}  # fmt: skip
ACTIVITY_KIND = {
    "EDUCATION": "MODULE", "SHORT_COURSE": "SESSION", "E_LEARNING": "E_LEARNING",
    "NETWORK": "MEETING", "MENTORING": "MEETING", "COACHING": "MEETING",
    "ON_THE_JOB": "ASSIGNMENT", "EVENT": "SESSION",
}  # fmt: skip
IN_MOODLE = {"EDUCATION": 1.0, "E_LEARNING": 1.0, "SHORT_COURSE": 0.7}
#: Kinds whose single run is open all the time (no seats, no dates to speak of).
ALWAYS_OPEN = {"E_LEARNING", "ON_THE_JOB"}
PLACES = ("Rådhuset, mødesal 1", "Kulturhuset", "Lyngby Hovedgade 15", "Campus Nord", None)

COURSE_COLUMNS = (
    "id", "code", "title", "summary", "kind", "status", "provider", "language",
    "duration_hours", "ects", "price_dkk", "audience", "lms_course_id", "published_at",
    "archived_at", "created_at", "updated_at",
)  # fmt: skip
ACTIVITY_COLUMNS = (
    "id", "course_id", "code", "title", "kind", "position", "required", "duration_hours",
    "lms_module_id", "archived_at", "created_at", "updated_at",
)  # fmt: skip
RUN_COLUMNS = (
    "id", "course_id", "code", "starts_at", "ends_at", "location", "online", "capacity",
    "enrolment_deadline", "approval_required", "cancelled_at", "created_at", "updated_at",
)  # fmt: skip
LINK_COLUMNS = (
    "id", "statement_id", "course_id", "activity_id", "strength", "rationale", "linked_by_id",
    "linked_at", "removed_at", "removal_reason", "created_at", "updated_at",
)  # fmt: skip


@dataclass
class Activity:
    id: int
    position: int
    required: bool
    lms_mapped: bool


@dataclass
class Run:
    id: int
    course_id: int
    starts_at: datetime
    ends_at: datetime
    deadline: datetime | None
    capacity: int | None
    approval: bool
    cancelled: bool
    place: str | None = None


@dataclass
class Course:
    id: int
    kind: str
    status: str
    lms_mapped: bool
    activities: list[Activity] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    statement_ids: list[int] = field(default_factory=list)


def generate_offer(
    connection: Connection,
    rng: random.Random,
    *,
    scale: str,
    courses: int,
    activities: int,
    links: int,
    statement_ids: list[int],
    statement_keys: dict[int, str],
    hr_id: int | None,
    now: datetime,
) -> list[Course]:
    """Courses, activities and links are written; runs are planned only (see ``write_runs``)."""
    result = _courses(connection, rng, scale=scale, count=courses, now=now)
    _activities(connection, rng, result, scale=scale, count=activities, now=now)
    _plan_runs(rng, result, now=now)
    _links(
        connection,
        rng,
        result,
        count=links,
        statement_ids=statement_ids,
        statement_keys=statement_keys,
        hr_id=hr_id,
        now=now,
    )
    return result


def _courses(
    connection: Connection, rng: random.Random, *, scale: str, count: int, now: datetime
) -> list[Course]:
    first = next_id(connection, "course")
    kinds = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=count)
    rows: list[tuple[object, ...]] = []
    result: list[Course] = []
    for n, kind in enumerate(kinds):
        cid = first + n
        status = rng.choices(("PUBLISHED", "DRAFT", "ARCHIVED"), weights=(85, 5, 10))[0]
        mapped = rng.random() < IN_MOODLE.get(kind, 0.0)
        created = now - timedelta(days=rng.uniform(30, 1200))
        updated = created + (now - created) * rng.random()
        topic = rng.choice(texts.TOPICS)
        title = f"{topic} – {rng.choice(texts.FORMATS)}"
        education = kind == "EDUCATION"
        rows.append(
            (
                cid,
                f"B{scale}-{n + 1:05d}",
                title,
                texts.SUMMARY.format(topic=topic),
                kind,
                status,
                rng.choice(texts.PROVIDERS),
                "en" if rng.random() < 0.05 else "da",
                rng.choice((3.0, 7.0, 14.0, 37.0, 74.0)),
                rng.choice((5.0, 10.0)) if education else None,
                rng.randrange(0, 25_000, 500) if rng.random() < 0.7 else None,
                rng.choice(texts.AUDIENCES),
                str(LMS_COURSE_OFFSET + cid) if mapped else None,
                created if status != "DRAFT" else None,
                updated if status == "ARCHIVED" else None,
                created,
                updated,
            )
        )
        result.append(Course(cid, kind, status, mapped))
    copy_rows(connection, "course", COURSE_COLUMNS, rows)
    return result


def _activities(
    connection: Connection,
    rng: random.Random,
    courses: list[Course],
    *,
    scale: str,
    count: int,
    now: datetime,
) -> None:
    per_course = [1] * len(courses)
    weights = [ACTIVITY_WEIGHTS[c.kind] for c in courses]
    for index in rng.choices(range(len(courses)), weights=weights, k=max(count - len(courses), 0)):
        per_course[index] += 1
    aid = next_id(connection, "activity")
    rows: list[tuple[object, ...]] = []
    for course, how_many in zip(courses, per_course, strict=True):
        kind = ACTIVITY_KIND[course.kind]
        stamp = now - timedelta(days=rng.uniform(30, 900))
        for position in range(1, how_many + 1):
            last_exam = course.kind == "EDUCATION" and position == how_many and how_many > 2
            required = rng.random() < 0.85
            rows.append(
                (
                    aid,
                    course.id,
                    f"B{scale}-A{aid:07d}",
                    f"{rng.choice(texts.ACTIVITY_WORDS)} {position}",
                    "EXAM" if last_exam else kind,
                    position,
                    required,
                    rng.choice((1.0, 2.0, 3.5, 7.0)),
                    str(LMS_MODULE_OFFSET + aid) if course.lms_mapped else None,
                    None,
                    stamp,
                    stamp,
                )
            )
            course.activities.append(Activity(aid, position, required, course.lms_mapped))
            aid += 1
    copy_rows(connection, "activity", ACTIVITY_COLUMNS, rows)


def _plan_runs(rng: random.Random, courses: list[Course], *, now: datetime) -> None:
    rid = -1  # ids are given by write_runs
    for course in courses:
        spans: list[tuple[datetime, datetime, datetime | None, int | None, bool]]
        if course.kind in ALWAYS_OPEN:
            starts = now - timedelta(days=rng.uniform(200, 900))
            spans = [(starts, starts + timedelta(days=1500), None, None, False)]
        else:
            spans = []
            for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5))):
                starts = now + timedelta(days=rng.uniform(-1000, 300))
                starts = starts.replace(hour=7, minute=30, second=0, microsecond=0)
                days = rng.choice((0, 0, 1, 2, 4))
                seats = rng.choice((12, 16, 20, 24, 30, 40))
                approval = rng.random() < (0.6 if course.kind == "EDUCATION" else 0.15)
                spans.append(
                    (
                        starts,
                        starts + timedelta(days=days, hours=8),
                        starts - timedelta(days=14),
                        seats,
                        approval,
                    )
                )
        for starts, ends, deadline, capacity, approval in spans:
            cancelled = rng.random() < 0.03
            run = Run(rid, course.id, starts, ends, deadline, capacity, approval, cancelled)
            run.place = rng.choice(PLACES)
            course.runs.append(run)


def write_runs(connection: Connection, courses: list[Course], *, scale: str) -> None:
    """Give the planned runs ids and write them (after the history has sized their seats)."""
    rid = next_id(connection, "course_run")
    rows: list[tuple[object, ...]] = []
    for course in courses:
        for run in course.runs:
            run.id = rid
            rid += 1
            starts = run.starts_at
            rows.append(
                (
                    run.id,
                    course.id,
                    f"B{scale}-R{run.id:07d}",
                    starts,
                    run.ends_at,
                    run.place,
                    run.place is None,
                    run.capacity,
                    run.deadline,
                    run.approval,
                    starts - timedelta(days=20) if run.cancelled else None,
                    starts - timedelta(days=120),
                    starts - timedelta(days=60),
                )
            )
    copy_rows(connection, "course_run", RUN_COLUMNS, rows)


def _links(
    connection: Connection,
    rng: random.Random,
    courses: list[Course],
    *,
    count: int,
    statement_ids: list[int],
    statement_keys: dict[int, str],
    hr_id: int | None,
    now: datetime,
) -> None:
    # A Zipf-like skew over the statements: the first few are linked often, the last rarely.
    weights = [1.0 / (1 + (rank % len(statement_ids)) * 0.15) for rank in range(len(statement_ids))]
    order = statement_ids[:]
    rng.shuffle(order)
    targets: list[tuple[Course, Activity | None]] = [(c, None) for c in courses]
    targets += [(c, a) for c in courses for a in c.activities]
    course_targets = len(courses)
    seen: set[tuple[int, int, bool]] = set()
    lid = next_id(connection, "competence_link")
    rows: list[tuple[object, ...]] = []
    while len(rows) < count:
        if rng.random() < 0.6:
            course, activity = targets[rng.randrange(course_targets)]
        else:
            course, activity = targets[rng.randrange(course_targets, len(targets))]
        statement = rng.choices(order, weights=weights)[0]
        key = (statement, activity.id if activity else course.id, activity is not None)
        if key in seen:
            continue
        seen.add(key)
        linked = now - timedelta(days=rng.uniform(1, 700))
        removed = linked + timedelta(days=1) if rng.random() < 0.03 else None
        rows.append(
            (
                lid,
                statement,
                None if activity else course.id,
                activity.id if activity else None,
                "PRIMARY" if rng.random() < 0.4 else "SUPPORTING",
                rng.choice(texts.RATIONALES).format(key=statement_keys[statement]),
                hr_id,
                linked,
                removed,
                None if removed is None else "REMOVED",
                linked,
                removed or linked,
            )
        )
        if removed is None:
            course.statement_ids.append(statement)
        lid += 1
    copy_rows(connection, "competence_link", LINK_COLUMNS, rows)
