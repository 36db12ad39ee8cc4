"""One page of the LMS's catalogue mirror as plain rows, in a fixed handful of bulk queries.

The LMS pulls every published course with its activities, runs and competence
links, a hundred at a time. Read as ORM objects through per-field resolvers
that cost far more than the SQL; read here as plain rows (no identity map, no
hydration), in the orders and under the rules the catalogue's resolvers use:
``course_activities_statement``, ``course_runs_statement``,
``current_links_statement``, ``seats_left`` and ``may_see_course``. The caller
says which columns it wants (``PageColumns``); the keys that group the rows
and what the rules need are read anyway.
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

#: An ORM attribute of one of the page's models, e.g. ``Course.title``.
Column: TypeAlias = InstrumentedAttribute[Any]

#: Always read: the keys that group the rows, and what the rules need.
COURSE_KEYS: tuple[Column, ...] = (Course.id, Course.status)
ACTIVITY_KEYS: tuple[Column, ...] = (Activity.id, Activity.course_id)
RUN_KEYS: tuple[Column, ...] = (CourseRun.id, CourseRun.course_id, CourseRun.capacity)
LINK_KEYS: tuple[Column, ...] = (
    CompetenceLink.id,
    CompetenceLink.course_id,
    CompetenceLink.activity_id,
)
#: Prefix of a link row's columns from its statement (``statement_key``).
STATEMENT_PREFIX = "statement_"


@dataclass(frozen=True)
class PageColumns:
    """The columns the caller wants of each object, beside the keys read anyway.

    A row holds the wanted columns first, in the order given (``row[0]`` is the
    first), then the keys not among them (``row_columns``); a link row then has
    its statement's columns. Every column is also there by its attribute name
    (``row.title``; the statement's after ``STATEMENT_PREFIX``, ``row.statement_key``).
    """

    course: tuple[Column, ...] = ()
    activity: tuple[Column, ...] = ()
    run: tuple[Column, ...] = ()
    link: tuple[Column, ...] = ()
    statement: tuple[Column, ...] = ()


def row_columns(wanted: Sequence[Column], keys: Sequence[Column], prefix: str = "") -> list[Any]:
    """``wanted`` in its order, then the keys it lacks; each once, labelled by attribute name."""
    columns: dict[str, Column] = {}
    for column in (*wanted, *keys):
        columns.setdefault(column.key, column)
    return [column.label(prefix + key) for key, column in columns.items()]


@dataclass(frozen=True)
class CourseDetails:
    """What hangs under a page's courses, grouped by parent id, each list in resolver order."""

    activities: dict[int, list[PlainRow]]
    runs: dict[int, list[PlainRow]]
    seats_left: dict[int, int | None]
    course_links: dict[int, list[PlainRow]]
    activity_links: dict[int, list[PlainRow]]


def course_rows(
    session: Session, statement: Select[Course], columns: PageColumns, keyset: Keyset
) -> KeysetPage:
    """The courses of ``keyset``'s page of ``statement``, as rows of ``columns.course``.

    The same keyset query as ``paginate`` runs, so the page and its cursors are the same;
    the sort key columns ride on the end of each row, after the page's own columns.
    """
    selected = row_columns(columns.course, COURSE_KEYS)
    page = keyset.select(statement.with_only_columns(*selected))
    return keyset.page(session.connection().execute(page).all())


def course_details(
    session: Session, courses: Sequence[PlainRow], viewer: Viewer | None, columns: PageColumns
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
        course_activities_statement(course_ids).with_only_columns(
            *row_columns(columns.activity, ACTIVITY_KEYS)
        )
    ).all()
    for activity in activities:
        details.activities[activity.course_id].append(activity)
    runs = connection.execute(
        course_runs_statement(course_ids).with_only_columns(*row_columns(columns.run, RUN_KEYS))
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
        .with_only_columns(
            *row_columns(columns.link, LINK_KEYS),
            *row_columns(columns.statement, (), prefix=STATEMENT_PREFIX),
        )
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
