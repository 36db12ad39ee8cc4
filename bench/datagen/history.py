"""Enrolment and completion history: who took which run, and which activities they finished.

Each run draws its enrolments in request order from the leaders; the run's own
rules decide their states, so the data is consistent with what the service
would have produced: seats never over capacity, a numbered waiting list on full
future runs, requests waiting on approval runs, completed and failed ones on
past runs, underway ones on open e-learning. Popular courses are the ones with
more activities (educations), which is what makes 2,000,000 completions from
500,000 enrolments; the rest are e-learning modules leaders finished without an
enrolment (recorded from the LMS), as the service allows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from bench.datagen.copy import Connection, copy_rows, next_id
from bench.datagen.offer import Activity, Course, Run

ENROLMENT_COLUMNS = (
    "id", "person_id", "course_run_id", "status", "source", "motivation", "waitlist_position",
    "requested_at", "completed_at", "result", "created_at", "updated_at",
)  # fmt: skip
COMPLETION_COLUMNS = (
    "id", "person_id", "activity_id", "enrolment_id", "completed_at", "result", "evidence_url",
    "source", "created_at", "updated_at",
)  # fmt: skip
MOTIVATIONS = (
    "Jeg vil styrke min ledelse af forandringer i afdelingen.",
    "Aftalt i min LUS-samtale med min chef.",
    "Vi står over for en omorganisering, og jeg vil være bedre rustet.",
    "Jeg ønsker sparring med andre ledere om svære samtaler.",
)
#: A person/activity pair packed into one int, for a compact set of 2,000,000 pairs.
PAIR = 10_000_000


@dataclass
class HistoryCounts:
    enrolments: int
    focus: int
    completions: int
    standalone_completions: int


def _phase(run: Run, now: datetime) -> str:
    if run.cancelled:
        return "cancelled"
    if run.ends_at < now:
        return "past"
    if run.starts_at <= now:
        return "ongoing"
    return "future"


def _status(run: Run, phase: str, rng: random.Random, *, seat_free: bool) -> str:
    draw = rng.random()
    if phase == "cancelled":
        return "WITHDRAWN"
    if run.approval and phase == "future" and draw < 0.35:
        return "REQUESTED"
    if run.approval and draw > 0.95:
        return "REJECTED"
    if draw > 0.92:
        return "WITHDRAWN"
    if not seat_free:
        return "WAITLISTED" if phase == "future" else "WITHDRAWN"
    if phase == "future":
        return "ENROLLED"
    if phase == "ongoing":
        if run.capacity is None:  # open e-learning: many have finished already
            return rng.choices(("COMPLETED", "IN_PROGRESS", "ENROLLED"), weights=(55, 30, 15))[0]
        return "IN_PROGRESS" if draw < 0.6 else "ENROLLED"
    return rng.choices(("COMPLETED", "FAILED", "IN_PROGRESS"), weights=(84, 5, 11))[0]


@dataclass
class Demand:
    """How many enrolments each run gets, decided before the runs are written."""

    runs: list[tuple[Course, Run]]
    per_run: list[int]


def plan_demand(rng: random.Random, courses: list[Course], *, enrolments: int) -> Demand:
    """Spread the enrolments over the runs; popular runs get more seats, some stay full.

    A municipality opens larger or more runs where demand is high, so a run's
    capacity is raised towards its demand, leaving about a quarter of the runs
    full with a waiting list (or, once past, with the late ones withdrawn).
    """
    runs: list[tuple[Course, Run]] = [
        (c, r) for c in courses if c.status != "DRAFT" for r in c.runs
    ]
    weights = [
        len(c.activities) ** 1.5 * (3.0 if r.capacity is None else 1.0) * rng.lognormvariate(0, 0.5)
        for c, r in runs
    ]
    per_run = [0] * len(runs)
    for index in rng.choices(range(len(runs)), weights=weights, k=enrolments):
        per_run[index] += 1
    for (_course, run), wanted in zip(runs, per_run, strict=True):
        if run.capacity is not None and wanted > run.capacity:
            run.capacity = max(run.capacity, round(wanted * rng.uniform(0.6, 1.1)))
    return Demand(runs, per_run)


def generate_history(
    connection: Connection,
    rng: random.Random,
    demand: Demand,
    courses: list[Course],
    *,
    leader_ids: list[int],
    completions: int,
    statement_ids: list[int],
    now: datetime,
) -> HistoryCounts:
    runs, per_run = demand.runs, demand.per_run

    eid = next_id(connection, "enrolment")
    cid = next_id(connection, "activity_completion")
    enrolment_rows: list[tuple[object, ...]] = []
    focus_rows: list[tuple[int, int]] = []
    completion_rows: list[tuple[object, ...]] = []
    used: set[int] = set()
    for (course, run), wanted in zip(runs, per_run, strict=True):
        if not wanted:
            continue
        phase = _phase(run, now)
        people = rng.sample(leader_ids, min(wanted, len(leader_ids)))
        opened = run.starts_at - timedelta(days=90)
        closes = min(run.deadline or now, now)
        stamps = sorted(opened + (closes - opened) * rng.random() for _ in people)
        seats = waitlist = 0
        for person, requested in zip(people, stamps, strict=True):
            free = run.capacity is None or seats < run.capacity
            status = _status(run, phase, rng, seat_free=free)
            position = None
            if status == "WAITLISTED":
                waitlist += 1
                position = waitlist
            if status in ("ENROLLED", "IN_PROGRESS", "COMPLETED", "FAILED"):
                seats += 1
            completed_at = None
            if status in ("COMPLETED", "FAILED"):
                end = run.ends_at if phase == "past" else now - timedelta(days=1)
                completed_at = end + timedelta(days=rng.uniform(0, 10))
                completed_at = min(max(completed_at, requested + timedelta(hours=1)), now)
            enrolment_rows.append(
                (
                    eid,
                    person,
                    run.id,
                    status,
                    rng.choices(("UI", "HR", "LMS"), (85, 10, 5))[0],
                    rng.choice(MOTIVATIONS) if rng.random() < 0.4 else "",
                    position,
                    requested,
                    completed_at,
                    {"FAILED": "Ikke bestået"}.get(status),
                    requested,
                    completed_at or requested,
                )
            )
            if status not in ("WITHDRAWN", "REJECTED") and rng.random() < 0.3:
                pool = course.statement_ids or statement_ids
                for statement in set(rng.sample(pool, min(len(pool), rng.choice((1, 1, 2))))):
                    focus_rows.append((eid, statement))
            if (
                status in ("COMPLETED", "IN_PROGRESS", "FAILED")
                and len(completion_rows) < completions
            ):
                done = _completed_activities(course, status, rng)
                start = max(run.starts_at, now - timedelta(days=1400))
                finish = completed_at or now - timedelta(hours=1)
                for activity in done:
                    pair = person * PAIR + activity.id
                    if pair in used:
                        continue
                    used.add(pair)
                    when = start + (finish - start) * rng.random()
                    completion_rows.append(
                        (
                            cid,
                            person,
                            activity.id,
                            eid,
                            when,
                            None,
                            None,
                            "LMS" if activity.lms_mapped else "HR",
                            when,
                            when,
                        )
                    )
                    cid += 1
            eid += 1
    linked = min(len(completion_rows), completions)
    del completion_rows[linked:]
    standalone = _standalone(
        rng, courses, leader_ids, used, completions - linked, first_id=cid, now=now
    )
    copy_rows(connection, "enrolment", ENROLMENT_COLUMNS, enrolment_rows)
    copy_rows(connection, "enrolment_focus_statement", ("enrolment_id", "statement_id"), focus_rows)
    copy_rows(connection, "activity_completion", COMPLETION_COLUMNS, completion_rows)
    copy_rows(connection, "activity_completion", COMPLETION_COLUMNS, standalone)
    return HistoryCounts(len(enrolment_rows), len(focus_rows), linked, len(standalone))


def _completed_activities(course: Course, status: str, rng: random.Random) -> list[Activity]:
    if status == "COMPLETED":
        return [a for a in course.activities if a.required or rng.random() < 0.6]
    # Underway or failed: half of the required ones, never all (that would complete it).
    required = [a for a in course.activities if a.required]
    return required[: len(required) // 2]


def _standalone(
    rng: random.Random,
    courses: list[Course],
    leader_ids: list[int],
    used: set[int],
    count: int,
    *,
    first_id: int,
    now: datetime,
) -> list[tuple[object, ...]]:
    """E-learning modules finished without an enrolment, as the LMS reports them."""
    modules = [
        a for c in courses if c.kind == "E_LEARNING" and c.status != "DRAFT" for a in c.activities
    ]
    rows: list[tuple[object, ...]] = []
    cid = first_id
    while modules and len(rows) < count:
        person = rng.choice(leader_ids)
        activity = rng.choice(modules)
        pair = person * PAIR + activity.id
        if pair in used:
            continue
        used.add(pair)
        when = now - timedelta(days=rng.uniform(1, 1000))
        rows.append((cid, person, activity.id, None, when, None, None, "LMS", when, when))
        cid += 1
    return rows
