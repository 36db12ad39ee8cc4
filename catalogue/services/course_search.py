"""Finding courses: the filters a leader and HR use together, and their orderings.

Free text is Danish search (``services/search_query.py`` over the index of
``services/search_index.py``): stems, compounds, ASCII spellings, small typos, HR's
synonyms and the statements a course is linked to, computed in Python so SQLite and
PostgreSQL find and order the same courses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    CompetenceField,
    CompetenceLink,
    CompetenceProfile,
    CompetenceStatement,
    Course,
    CourseKind,
    CourseRun,
    CourseStatus,
    Enrolment,
    Theme,
)
from catalogue.models.base import utcnow
from catalogue.models.profile import field_themes
from catalogue.services.capabilities import Capability, requirement
from catalogue.services.catalogue_queries import SEAT_HOLDING_STATUSES
from catalogue.services.errors import DomainError, DomainValidationError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.profiles import current_profile_statement
from catalogue.services.search_query import (
    AnalysedQuery,
    analyse_query,
    matching_condition,
    ranked,
)
from catalogue.services.text_rules import clean_text

SEARCH_MAX_LENGTH = 200


class CourseOrder(StrEnum):
    TITLE = "TITLE"
    NEXT_START = "NEXT_START"
    RELEVANCE = "RELEVANCE"
    UPDATED_AT = "UPDATED_AT"
    ID = "ID"


@dataclass(frozen=True)
class CourseFilter:
    statement_key: str | None = None
    field_key: str | None = None
    theme_key: str | None = None
    kinds: Sequence[CourseKind] = ()
    statuses: Sequence[CourseStatus] = ()
    language: str | None = None
    provider: str | None = None
    has_free_seats: bool | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    ects_min: float | None = None
    ects_max: float | None = None
    search: str | None = None
    updated_since: datetime | None = None


def may_see_course(viewer: Viewer | None, status: CourseStatus) -> bool:
    """Drafts, and the links to them, only for those with catalogue.read_drafts."""
    return status is not CourseStatus.DRAFT or may_see_drafts(viewer)


def may_see_drafts(viewer: Viewer | None) -> bool:
    return viewer is not None and viewer.can(Capability.CATALOGUE_READ_DRAFTS)


def allowed_statuses(
    viewer: Viewer | None, wanted: Sequence[CourseStatus], *, tombstones: bool
) -> list[CourseStatus]:
    """PUBLISHED for everyone, ARCHIVED as tombstones; DRAFT only with catalogue.read_drafts."""
    if wanted:
        if CourseStatus.DRAFT in wanted and not may_see_drafts(viewer):
            raise DomainError(
                ErrorCode.FORBIDDEN,
                f"Kladder (status DRAFT) kræver {requirement(Capability.CATALOGUE_READ_DRAFTS)}.",
                field="filter.status",
            )
        return list(wanted)
    return (
        [CourseStatus.PUBLISHED, CourseStatus.ARCHIVED] if tombstones else [CourseStatus.PUBLISHED]
    )


def _current_profile_with_keys(session: Session, criteria: CourseFilter) -> int:
    """The current profile's id, refusing a filter key that profile lacks; one query for both.

    A key the current profile lacks is a mistake to name, not a filter that matches
    nothing: a typo (``K9.1``) or a key from an old version used to answer an empty
    list, which reads as "no course builds this". All unknown keys are reported at once.
    """
    current = current_profile_statement().with_only_columns(CompetenceProfile.id).scalar_subquery()
    wanted = [
        (key, model, field)
        for key, model, field in (
            (criteria.statement_key, CompetenceStatement, "filter.statementKey"),
            (criteria.field_key, CompetenceField, "filter.fieldKey"),
            (criteria.theme_key, Theme, "filter.themeKey"),
        )
        if key
    ]
    row = session.execute(
        select(
            current,
            *(
                exists().where(model.profile_id == current, model.key == key)
                for key, model, _field in wanted
            ),
        )
    ).one()
    problems = [
        DomainError(
            ErrorCode.NOT_FOUND,
            f"Den gældende kompetenceprofil har ingen nøgle «{key}» ({field.split('.')[1]}).",
            field=field,
        )
        for (key, _model, field), known in zip(wanted, row[1:], strict=True)
        if not known
    ]
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise DomainValidationError(problems)
    return int(row[0]) if row[0] is not None else -1


def _linked_to(statement_condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """Courses linked, directly or through one of their activities, to matching statements."""
    direct = (
        select(CompetenceLink.id)
        .join(CompetenceStatement, CompetenceStatement.id == CompetenceLink.statement_id)
        .where(
            CompetenceLink.course_id == Course.id,
            CompetenceLink.removed_at.is_(None),
            statement_condition,
        )
    )
    via_activity = (
        select(CompetenceLink.id)
        .join(CompetenceStatement, CompetenceStatement.id == CompetenceLink.statement_id)
        .join(Activity, Activity.id == CompetenceLink.activity_id)
        .where(
            Activity.course_id == Course.id,
            CompetenceLink.removed_at.is_(None),
            statement_condition,
        )
    )
    return or_(exists(direct), exists(via_activity))


def _has_free_seat(now: datetime) -> ColumnElement[bool]:
    taken = (
        select(func.count(Enrolment.id))
        .where(Enrolment.course_run_id == CourseRun.id, Enrolment.status.in_(SEAT_HOLDING_STATUSES))
        .scalar_subquery()
    )
    open_run = select(CourseRun.id).where(
        CourseRun.course_id == Course.id,
        CourseRun.starts_at > now,
        CourseRun.cancelled_at.is_(None),
        or_(CourseRun.enrolment_deadline.is_(None), CourseRun.enrolment_deadline > now),
        or_(CourseRun.capacity.is_(None), CourseRun.capacity > taken),
    )
    return exists(open_run)


def _search_text(search: str) -> str:
    """The search as typed, checked: not too long, no control characters (a pasted line break
    or tab is a space)."""
    text = " ".join(search.replace("\t", " ").replace("\r", " ").replace("\n", " ").split())
    if len(text) > SEARCH_MAX_LENGTH:
        raise DomainError(
            ErrorCode.TOO_LONG,
            f"Søgeteksten må højst være {SEARCH_MAX_LENGTH} tegn.",
            field="filter.search",
        )
    cleaned, problem = clean_text(text, label="Søgeteksten", multiline=False)
    if problem is not None:
        raise DomainError(problem.code, problem.message, field="filter.search")
    return cleaned


def course_search_statement(
    session: Session,
    criteria: CourseFilter,
    *,
    viewer: Viewer | None,
    order: CourseOrder = CourseOrder.TITLE,
    query: AnalysedQuery | None = None,
) -> Select[Course]:
    """One SELECT for the filtered, ordered catalogue; pagination is applied on top.

    ``query`` is ``criteria.search`` already analysed (``course_search`` passes it on, so the
    text is analysed once); without it the search is analysed here.
    """
    if query is None:
        query = analysed_search(session, criteria)
    return _statement(session, criteria, viewer=viewer, order=order, query=query)


@dataclass(frozen=True)
class CourseSearch:
    """The catalogue's SELECT, and the analysed free text that explains its hits (or None)."""

    statement: Select[Course]
    query: AnalysedQuery | None


def course_search(
    session: Session,
    criteria: CourseFilter,
    *,
    viewer: Viewer | None,
    order: CourseOrder = CourseOrder.TITLE,
) -> CourseSearch:
    """``course_search_statement`` with the analysed search, for ``search_matches``."""
    query = analysed_search(session, criteria)
    statement = course_search_statement(session, criteria, viewer=viewer, order=order, query=query)
    return CourseSearch(statement, query)


def analysed_search(session: Session, criteria: CourseFilter) -> AnalysedQuery | None:
    """``criteria.search`` checked and analysed; ``None`` without a search (or a blank one)."""
    if criteria.search and (text := _search_text(criteria.search)):
        return analyse_query(session, text)
    return None


def _statement(
    session: Session,
    criteria: CourseFilter,
    *,
    viewer: Viewer | None,
    order: CourseOrder,
    query: AnalysedQuery | None,
) -> Select[Course]:
    now = utcnow()
    statuses = allowed_statuses(
        viewer, criteria.statuses, tombstones=criteria.updated_since is not None
    )
    statement = select(Course).where(Course.status.in_(statuses))
    profile_id = -1  # no profile: no statement matches
    if criteria.statement_key or criteria.field_key or criteria.theme_key:
        profile_id = _current_profile_with_keys(session, criteria)
    in_profile = CompetenceStatement.profile_id == profile_id

    if criteria.statement_key:
        statement = statement.where(
            _linked_to(and_(in_profile, CompetenceStatement.key == criteria.statement_key))
        )
    if criteria.field_key:
        field_ids = select(CompetenceField.id).where(
            CompetenceField.profile_id == profile_id, CompetenceField.key == criteria.field_key
        )
        statement = statement.where(_linked_to(CompetenceStatement.field_id.in_(field_ids)))
    if criteria.theme_key:
        field_ids = (
            select(field_themes.c.field_id)
            .join(Theme, Theme.id == field_themes.c.theme_id)
            .where(Theme.profile_id == profile_id, Theme.key == criteria.theme_key)
        )
        statement = statement.where(_linked_to(CompetenceStatement.field_id.in_(field_ids)))
    if criteria.kinds:
        statement = statement.where(Course.kind.in_(criteria.kinds))
    if criteria.language:
        statement = statement.where(Course.language == criteria.language)
    if criteria.provider:
        statement = statement.where(Course.provider.ilike(f"%{criteria.provider.strip()}%"))
    if criteria.ects_min is not None:
        statement = statement.where(Course.ects >= criteria.ects_min)
    if criteria.ects_max is not None:
        statement = statement.where(Course.ects <= criteria.ects_max)
    if criteria.updated_since is not None:
        statement = statement.where(Course.updated_at >= criteria.updated_since)
    if criteria.has_free_seats is not None:
        free = _has_free_seat(now)
        statement = statement.where(free if criteria.has_free_seats else ~free)
    if criteria.starts_after is not None or criteria.starts_before is not None:
        runs = select(CourseRun.id).where(
            CourseRun.course_id == Course.id, CourseRun.cancelled_at.is_(None)
        )
        if criteria.starts_after is not None:
            runs = runs.where(CourseRun.starts_at >= criteria.starts_after)
        if criteria.starts_before is not None:
            runs = runs.where(CourseRun.starts_at < criteria.starts_before)
        statement = statement.where(exists(runs))

    relevance: ColumnElement[int] = literal(0)
    if query is not None:
        if query.words:  # text with no word in it ("?!") finds nothing, not everything
            statement = statement.where(matching_condition(query))
            if order is CourseOrder.RELEVANCE:
                statement, relevance = ranked(statement, query)
        else:
            statement = statement.where(false())
    return _ordered(statement, order, relevance, now)


def _ordered(
    statement: Select[Course], order: CourseOrder, relevance: ColumnElement[int], now: datetime
) -> Select[Course]:
    if order is CourseOrder.NEXT_START:
        next_start = (
            select(func.min(CourseRun.starts_at))
            .where(
                CourseRun.course_id == Course.id,
                CourseRun.starts_at > now,
                CourseRun.cancelled_at.is_(None),
            )
            .scalar_subquery()
        )
        return statement.order_by(
            case((next_start.is_(None), 1), else_=0), next_start, Course.title, Course.id
        )
    if order is CourseOrder.RELEVANCE:
        return statement.order_by(relevance.desc(), Course.title, Course.id)
    if order is CourseOrder.UPDATED_AT:
        return statement.order_by(Course.updated_at, Course.id)
    if order is CourseOrder.ID:
        return statement.order_by(Course.id)
    return statement.order_by(Course.title, Course.id)
