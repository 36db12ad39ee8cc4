"""The course's rule: which activities complete a course, and how many of them a person has done.

Completions are rolled up to the enrolment on two paths, one at a time
(``completions``) and a page at a time (``completion_batches``); they used to
answer "all required, non-archived activities done" with a query each, and
one path could lose a filter without the other noticing. Both now ask here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from catalogue.models import Activity, ActivityCompletion


def completes_course() -> ColumnElement[bool]:
    """An activity that counts towards its course: required and not archived."""
    return and_(Activity.required.is_(True), Activity.archived_at.is_(None))


@dataclass(frozen=True)
class RequiredDone:
    """Of a course's ``required`` activities, ``done`` by a person, the last at ``last_done``."""

    required: int
    done: int
    last_done: datetime | None


@dataclass(frozen=True)
class RequiredProgress:
    required: dict[int, int]
    done: dict[tuple[int, int], tuple[int, datetime | None]]

    def of(self, person_id: int, course_id: int) -> RequiredDone:
        done, last = self.done.get((person_id, course_id), (0, None))
        return RequiredDone(required=self.required.get(course_id, 0), done=done, last_done=last)


def required_progress(
    session: Session, *, person_ids: Collection[int], course_ids: Collection[int]
) -> RequiredProgress:
    """How far each of these people is with each of these courses: two grouped queries at most."""
    required: dict[int, int] = dict(
        session.execute(
            select(Activity.course_id, func.count())
            .where(Activity.course_id.in_(sorted(course_ids)), completes_course())
            .group_by(Activity.course_id)
        ).all()
    )
    if not required or not person_ids:
        return RequiredProgress(required=required, done={})
    rows = session.execute(
        select(
            ActivityCompletion.person_id,
            Activity.course_id,
            func.count(),
            func.max(ActivityCompletion.completed_at),
        )
        .join(Activity, Activity.id == ActivityCompletion.activity_id)
        .where(
            Activity.course_id.in_(sorted(required)),
            completes_course(),
            ActivityCompletion.person_id.in_(sorted(person_ids)),
        )
        .group_by(ActivityCompletion.person_id, Activity.course_id)
    ).all()
    done: dict[tuple[int, int], tuple[int, datetime | None]] = {
        (person_id, course_id): (count, last) for person_id, course_id, count, last in rows
    }
    return RequiredProgress(required=required, done=done)
