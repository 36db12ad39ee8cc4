"""The sync scenario: Moodle's cron has marked activities complete; the catalogue has not pulled.

Every enrolment the completion sync polls (approved, enrolled or underway, on
a course with a Moodle id) has, in Moodle, completed every mapped activity of
its course a day ago; the catalogue's copies of those completions are removed
first, so every one of them is new to the catalogue. The simulator
(``tests/fakes/moodle``) is filled directly, the way its ``large_site`` does,
because building 100,000 enrolments through its one-at-a-time API takes longer
than the measurement. Persons without a Moodle id are Moodle users with the same
e-mail, so the sync's user lookup by e-mail is exercised too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from tests.fakes.moodle import MoodleSimulator
from tests.fakes.moodle.site import COMPLETION_TRACKING_AUTOMATIC, SimCourse, SimModule, SimUser

POLLED = "('APPROVED', 'ENROLLED', 'IN_PROGRESS')"
#: Moodle user ids for persons the catalogue has not linked yet (found by e-mail).
NEW_USER_OFFSET = 50_000_000

POLLED_ENROLMENTS_SQL = f"""
SELECT e.id AS enrolment_id, p.id AS person_id, p.email, p.name, p.lms_user_id,
       c.lms_course_id
FROM enrolment e
JOIN course_run r ON r.id = e.course_run_id
JOIN course c ON c.id = r.course_id
JOIN person p ON p.id = e.person_id
WHERE c.lms_course_id IS NOT NULL AND e.status IN {POLLED}
ORDER BY e.id
"""
MODULES_SQL = """
SELECT c.lms_course_id, c.code, c.title, a.lms_module_id, a.title AS activity, a.required
FROM activity a JOIN course c ON c.id = a.course_id
WHERE c.lms_course_id IS NOT NULL AND a.lms_module_id IS NOT NULL AND a.archived_at IS NULL
ORDER BY c.id, a.position, a.id
"""
FORGET_SQL = f"""
DELETE FROM activity_completion ac
USING enrolment e, course_run r, activity a
WHERE e.status IN {POLLED} AND r.id = e.course_run_id AND a.course_id = r.course_id
  AND a.lms_module_id IS NOT NULL AND ac.person_id = e.person_id AND ac.activity_id = a.id
"""
#: The site's token; the sync is configured with the same.
TOKEN = "bench-moodle-token-0123456789abcdef"


def forget_completions(libpq_url: str) -> int:
    """Remove the catalogue's copies of what Moodle will report, so every completion is new."""
    with psycopg.connect(libpq_url) as connection:
        deleted = connection.execute(FORGET_SQL).rowcount
        connection.commit()
        connection.execute("ANALYZE activity_completion")
    return deleted


def _stream(connection: psycopg.Connection[Any], query: str) -> Iterator[tuple[Any, ...]]:
    with connection.cursor(name="bench_stream") as cursor:
        cursor.itersize = 10_000
        cursor.execute(query)
        yield from cursor


def build_site(libpq_url: str) -> tuple[MoodleSimulator, dict[str, int]]:
    """A simulator holding the scenario; returns it with what it holds."""
    sim = MoodleSimulator(token=TOKEN, site_url="http://127.0.0.1")
    now = int(datetime.now(UTC).timestamp())
    done = int((datetime.now(UTC) - timedelta(days=1)).timestamp())
    required: dict[int, list[int]] = {}
    with psycopg.connect(libpq_url) as connection:
        for course_id, code, title, cmid_text, activity, is_required in _stream(
            connection, MODULES_SQL
        ):
            course = int(course_id)
            if course not in sim.courses:
                sim.courses[course] = SimCourse(
                    course, code, title, code, "", 1, True, now, now, True
                )
                sim.course_modules[course] = []
                required[course] = []
            cmid = int(cmid_text)
            sim.modules[cmid] = SimModule(
                cmid,
                course,
                cmid,
                activity,
                "page",
                1,
                COMPLETION_TRACKING_AUTOMATIC,
                True,
                bool(is_required),
            )
            sim.course_modules[course].append(cmid)
            if is_required:
                required[course].append(cmid)
        connection.commit()
        polled = 0
        for _eid, person_id, email, name, lms_user_id, course_text in _stream(
            connection, POLLED_ENROLMENTS_SQL
        ):
            user = int(lms_user_id) if lms_user_id and lms_user_id.isdigit() else None
            if user is None:
                user = NEW_USER_OFFSET + int(person_id)
            if user not in sim.users:
                first, _, last = name.partition(" ")
                sim._store_user(SimUser(user, email.lower(), first, last or "-", email, ""))
            course = int(course_text)
            sim.enrolments.setdefault(course, {})[user] = 5
            for cmid in sim.course_modules.get(course, []):
                sim.activity_states[(user, cmid)] = (1, done)
            if required.get(course):
                sim.course_completions[(user, course)] = done
            polled += 1
    held = {
        "courses": len(sim.courses) - 1,
        "modules": len(sim.modules),
        "users": len(sim.users),
        "polled_enrolments": polled,
        "completed_activities": len(sim.activity_states),
    }
    return sim, held
