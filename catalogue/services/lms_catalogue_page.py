"""One page of the LMS's catalogue mirror as plain rows, in a fixed handful of bulk queries.

The LMS pulls every published course with its activities, runs and competence
links, a hundred at a time. Read as ORM objects through per-field resolvers
that cost far more than the SQL; read here as plain rows (no identity map, no
hydration), in the orders and under the rules the catalogue's resolvers use:
``course_activities_statement``, ``course_runs_statement``,
``current_links_statement``, ``seats_left`` and ``may_see_course``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from sqlalchemy import Row, Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from catalogue.models import Activity, CompetenceLink, CompetenceStatement, Course, CourseRun
from catalogue.services.catalogue_queries import (
    course_activities_statement,
    course_runs_statement,
    current_links_statement,
    seats_left,
    seats_taken,
)
from catalogue.services.course_search import may_see_course
from catalogue.services.identity import Viewer
from catalogue.services.keyset import Keyset, KeysetPage

#: A row of columns, not an ORM object.
PlainRow: TypeAlias = Row[*tuple[Any, ...]]

COURSE_COLUMNS = (
    Course.id,
    Course.code,
    Course.title,
    Course.summary,
    Course.kind,
    Course.status,
    Course.provider,
    Course.language,
    Course.duration_hours,
    Course.ects,
    Course.price_dkk,
    Course.audience,
    Course.lms_course_id,
    Course.published_at,
    Course.archived_at,
    Course.updated_at,
)
ACTIVITY_COLUMNS = (
    Activity.id,
    Activity.course_id,
    Activity.code,
    Activity.title,
    Activity.kind,
    Activity.position,
    Activity.required,
    Activity.duration_hours,
    Activity.lms_module_id,
    Activity.archived_at,
    Activity.updated_at,
)
RUN_COLUMNS = (
    CourseRun.id,
    CourseRun.course_id,
    CourseRun.code,
    CourseRun.starts_at,
    CourseRun.ends_at,
    CourseRun.location,
    CourseRun.online,
    CourseRun.capacity,
    CourseRun.enrolment_deadline,
    CourseRun.approval_required,
    CourseRun.cancelled_at,
)
LINK_COLUMNS = (
    CompetenceLink.id,
    CompetenceLink.course_id,
    CompetenceLink.activity_id,
    CompetenceLink.strength,
    CompetenceLink.rationale,
    CompetenceLink.linked_at,
    CompetenceLink.updated_at,
    CompetenceStatement.key.label("statement_key"),
)


@dataclass(frozen=True)
class CourseDetails:
    """What hangs under a page's courses, grouped by parent id, each list in resolver order."""

    activities: dict[int, list[PlainRow]]
    runs: dict[int, list[PlainRow]]
    seats_left: dict[int, int | None]
    course_links: dict[int, list[PlainRow]]
    activity_links: dict[int, list[PlainRow]]


def course_rows(session: Session, statement: Select[Course], keyset: Keyset) -> KeysetPage:
    """The courses of ``keyset``'s page of ``statement``, as rows of ``COURSE_COLUMNS``.

    The same keyset query as ``paginate`` runs, so the page and its cursors are the same.
    """
    page = keyset.select(statement.with_only_columns(*COURSE_COLUMNS))
    return keyset.page(session.connection().execute(page).all())


def course_details(
    session: Session, courses: Sequence[PlainRow], viewer: Viewer | None
) -> CourseDetails:
    """Activities, runs with seats left, and the links the viewer may see: four queries."""
    details = CourseDetails(
        defaultdict(list), defaultdict(list), {}, defaultdict(list), defaultdict(list)
    )
    if not courses:
        return details
    course_ids = [course.id for course in courses]
    connection = session.connection()
    activities = connection.execute(
        course_activities_statement(course_ids).with_only_columns(*ACTIVITY_COLUMNS)
    ).all()
    for activity in activities:
        details.activities[activity.course_id].append(activity)
    runs = connection.execute(
        course_runs_statement(course_ids).with_only_columns(*RUN_COLUMNS)
    ).all()
    taken = seats_taken(session, _ids_of(course_runs_statement(course_ids), CourseRun.id))
    for run in runs:
        details.runs[run.course_id].append(run)
        details.seats_left[run.id] = seats_left(run.capacity, taken.get(run.id, 0))

    course_of_activity = {activity.id: activity.course_id for activity in activities}
    shown = {course.id for course in courses if may_see_course(viewer, course.status)}
    links = connection.execute(
        current_links_statement(
            course_ids=course_ids,
            activity_ids=_ids_of(course_activities_statement(course_ids), Activity.id),
        )
        .with_only_columns(*LINK_COLUMNS)
        .join(CompetenceStatement, CompetenceStatement.id == CompetenceLink.statement_id)
    ).all()
    for link in links:
        if link.course_id is not None:
            if link.course_id in shown:
                details.course_links[link.course_id].append(link)
        elif course_of_activity[link.activity_id] in shown:
            details.activity_links[link.activity_id].append(link)
    return details


def _ids_of(statement: Select[Any], id_column: InstrumentedAttribute[int]) -> Select[int]:
    """The ids ``statement`` selects, as a subquery: no bound parameter per id."""
    return statement.with_only_columns(id_column).order_by(None)
