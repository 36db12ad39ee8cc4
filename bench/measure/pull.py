"""The LMS's full catalogue pull, through the persisted operation over HTTP, and its baseline.

API: ``LmsCataloguePage`` sent by its SHA-256 hash (Apollo's persisted-query
extension), 100 courses a page, following ``endCursor`` until the last page,
as the Moodle service account, against ``catalogue serve`` on loopback.

Baseline: the same rows (published courses with their activities, runs with
free seats, and competence links with the statement key and profile version)
read page by page with hand-written SQL on one psycopg connection and
serialised with orjson, in this process. Both count rows the same way (a
course, an activity, a run or a link is one row) and the counts must agree, or
the comparison is void.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import psycopg
from psycopg.rows import dict_row

from catalogue.graphql.core.persisted import OPERATIONS_DIR

PAGE = 100
OPERATION = OPERATIONS_DIR / "LmsCataloguePage.graphql"


@dataclass(frozen=True)
class PullRun:
    rows: int
    pages: int
    seconds: float
    bytes: int

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _rows_in(nodes: list[dict[str, Any]]) -> int:
    rows = 0
    for course in nodes:
        rows += 1 + len(course["runs"]) + len(course["competenceLinks"])
        for activity in course["activities"]:
            rows += 1 + len(activity["competenceLinks"])
    return rows


def pull_over_http(base_url: str, token: str) -> PullRun:
    """Every page of the catalogue through the persisted operation."""
    sha256 = hashlib.sha256(OPERATION.read_bytes()).hexdigest()
    headers = {"Authorization": f"Bearer {token}"}
    rows = pages = size = 0
    after: str | None = None
    with httpx.Client(base_url=base_url, headers=headers, timeout=120) as client:

        def page(cursor: str | None) -> dict[str, Any]:
            response = client.post(
                "/graphql",
                json={
                    "variables": {"first": PAGE, "after": cursor},
                    "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256}},
                },
            )
            body: dict[str, Any] = orjson.loads(response.content)
            if response.status_code != 200 or body.get("errors"):
                raise RuntimeError(f"pull failed ({response.status_code}): {str(body)[:500]}")
            nonlocal size
            size += len(response.content)
            connection: dict[str, Any] = body["data"]["courses"]
            return connection

        page(None)  # warm-up: connection, caches, first-request imports
        size = 0
        started = time.perf_counter()
        while True:
            connection = page(after)
            rows += _rows_in(connection["nodes"])
            pages += 1
            if not connection["pageInfo"]["hasNextPage"]:
                break
            after = connection["pageInfo"]["endCursor"]
        seconds = time.perf_counter() - started
    return PullRun(rows, pages, seconds, size)


COURSES_SQL = """
SELECT id, code, title, summary, kind, status, provider, language, duration_hours, ects,
       price_dkk, audience, lms_course_id, published_at, archived_at, updated_at
FROM course WHERE status = 'PUBLISHED' AND (title, id) > (%s, %s)
ORDER BY title, id LIMIT %s
"""
ACTIVITIES_SQL = """
SELECT id, course_id, code, title, kind, position, required, duration_hours, lms_module_id,
       archived_at, updated_at
FROM activity WHERE course_id = ANY(%s) ORDER BY course_id, position, id
"""
RUNS_SQL = """
SELECT r.id, r.course_id, r.code, r.starts_at, r.ends_at, r.location, r.online, r.capacity,
       CASE WHEN r.capacity IS NULL THEN NULL
            ELSE greatest(r.capacity - coalesce(t.taken, 0), 0) END AS seats_left,
       r.enrolment_deadline, r.approval_required, r.cancelled_at
FROM course_run r
LEFT JOIN (SELECT course_run_id, count(*) AS taken FROM enrolment
           WHERE course_run_id IN (SELECT id FROM course_run WHERE course_id = ANY(%s))
             AND status IN ('APPROVED', 'ENROLLED', 'IN_PROGRESS', 'COMPLETED')
           GROUP BY course_run_id) t ON t.course_run_id = r.id
WHERE r.course_id = ANY(%s) ORDER BY r.course_id, r.starts_at, r.id
"""
LINKS_SQL = """
SELECT l.id, l.course_id, l.activity_id, l.strength, l.rationale, l.linked_at, l.updated_at,
       s.key AS statement_key, p.version AS statement_profile_version
FROM competence_link l JOIN competence_statement s ON s.id = l.statement_id
JOIN competence_profile p ON p.id = s.profile_id
WHERE l.removed_at IS NULL AND (l.course_id = ANY(%s) OR l.activity_id = ANY(%s))
ORDER BY l.statement_id, l.id
"""


def _link(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "strength": row["strength"],
        "rationale": row["rationale"],
        "linkedAt": row["linked_at"],
        "updatedAt": row["updated_at"],
        "statement": {
            "key": row["statement_key"],
            "profileVersion": row["statement_profile_version"],
        },
    }


def pull_with_sql(libpq_url: str) -> PullRun:
    """The baseline: the same rows with hand-written SQL, serialised page by page with orjson."""
    rows = pages = size = 0
    with psycopg.connect(libpq_url, row_factory=dict_row) as connection:
        started = time.perf_counter()
        last: tuple[str, int] = ("", 0)
        while True:
            courses = connection.execute(COURSES_SQL, [*last, PAGE]).fetchall()
            if not courses:
                break
            ids = [c["id"] for c in courses]
            activities = connection.execute(ACTIVITIES_SQL, [ids]).fetchall()
            runs = connection.execute(RUNS_SQL, [ids, ids]).fetchall()
            links = connection.execute(LINKS_SQL, [ids, [a["id"] for a in activities]]).fetchall()
            by_course: dict[int, dict[str, Any]] = {}
            for course in courses:
                course["activities"], course["runs"], course["competenceLinks"] = [], [], []
                by_course[course["id"]] = course
            by_activity: dict[int, dict[str, Any]] = {}
            for activity in activities:
                activity["competenceLinks"] = []
                by_activity[activity["id"]] = activity
                by_course[activity.pop("course_id")]["activities"].append(activity)
            for run in runs:
                by_course[run.pop("course_id")]["runs"].append(run)
            for link in links:
                if link["course_id"] is not None:
                    by_course[link["course_id"]]["competenceLinks"].append(_link(link))
                else:
                    by_activity[link["activity_id"]]["competenceLinks"].append(_link(link))
            document = orjson.dumps({"data": {"courses": {"nodes": courses}}})
            size += len(document)
            rows += len(courses) + len(activities) + len(runs) + len(links)
            pages += 1
            last = (courses[-1]["title"], courses[-1]["id"])
            if len(courses) < PAGE:
                break
        seconds = time.perf_counter() - started
    return PullRun(rows, pages, seconds, size)
