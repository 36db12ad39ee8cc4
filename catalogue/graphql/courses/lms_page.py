"""The ``data`` of ``graphql/operations/LmsCataloguePage.graphql``, built from plain rows.

Per-field execution of that document costs about 15,000 resolver calls a page;
this builds the same response (global ids, enum names, ISO datetimes, floats,
key order of the selection) from the rows of ``services.lms_catalogue_page``
in one pass. It answers exactly the document whose hash is ``DOCUMENT_SHA256``:
edit the document and this module together, or the fast path stays off
(``lms_page_executor``) and a test says so.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from strawberry.relay import to_base64
from strawberry.types.base import get_object_definition

from catalogue.graphql.competence.types import CompetenceLinkType
from catalogue.graphql.core.pagination import PageWindow, count_rows
from catalogue.graphql.courses.types import ActivityType, CourseRunType, CourseType
from catalogue.services.course_search import CourseFilter, course_search_statement
from catalogue.services.identity import Viewer
from catalogue.services.lms_catalogue_page import (
    CourseDetails,
    PlainRow,
    course_details,
    course_rows,
)

OPERATION_NAME = "LmsCataloguePage"
DOCUMENT_SHA256 = "9b85ce43c93733d8daac67f2c9a0d4dc00dbd80e328a0c97fcb6a289f8dc4b50"
#: The document's default for ``$first``.
DEFAULT_FIRST = 100

COURSE = get_object_definition(CourseType, strict=True).name
ACTIVITY = get_object_definition(ActivityType, strict=True).name
RUN = get_object_definition(CourseRunType, strict=True).name
LINK = get_object_definition(CompetenceLinkType, strict=True).name
NONE: list[PlainRow] = []


def catalogue_page(session: Session, viewer: Viewer | None, window: PageWindow) -> dict[str, Any]:
    """What ``courses(first:, after:)`` resolves to with no filter, in the document's shape."""
    statement = course_search_statement(session, CourseFilter(), viewer=viewer)
    keyset = window.keyset(session, statement)
    total = count_rows(session, statement)
    page = course_rows(session, statement, keyset)
    courses = page.rows
    details = course_details(session, courses, viewer)
    info = window.page_info(page)
    return {
        "courses": {
            "totalCount": total,
            "pageInfo": {"hasNextPage": info.has_next_page, "endCursor": info.end_cursor},
            "nodes": [_course(course, details) for course in courses],
        }
    }


def _course(c: PlainRow, details: CourseDetails) -> dict[str, Any]:
    return {
        "id": to_base64(COURSE, c.id),
        "code": c.code,
        "title": c.title,
        "summary": c.summary,
        "kind": c.kind.name,
        "status": c.status.name,
        "provider": c.provider,
        "language": c.language,
        "durationHours": _float(c.duration_hours),
        "ects": _float(c.ects),
        "priceDkk": c.price_dkk,
        "audience": c.audience,
        "lmsCourseId": c.lms_course_id,
        "publishedAt": _datetime(c.published_at),
        "archivedAt": _datetime(c.archived_at),
        "updatedAt": c.updated_at.isoformat(),
        "activities": [_activity(a, details) for a in details.activities.get(c.id, NONE)],
        "runs": [_run(r, details.seats_left[r.id]) for r in details.runs.get(c.id, NONE)],
        "competenceLinks": [_link(link) for link in details.course_links.get(c.id, NONE)],
    }


def _activity(a: PlainRow, details: CourseDetails) -> dict[str, Any]:
    return {
        "id": to_base64(ACTIVITY, a.id),
        "code": a.code,
        "title": a.title,
        "kind": a.kind.name,
        "position": a.position,
        "required": a.required,
        "durationHours": _float(a.duration_hours),
        "lmsModuleId": a.lms_module_id,
        "archivedAt": _datetime(a.archived_at),
        "updatedAt": a.updated_at.isoformat(),
        "competenceLinks": [_link(link) for link in details.activity_links.get(a.id, NONE)],
    }


def _run(r: PlainRow, seats_left: int | None) -> dict[str, Any]:
    return {
        "id": to_base64(RUN, r.id),
        "code": r.code,
        "startsAt": r.starts_at.isoformat(),
        "endsAt": r.ends_at.isoformat(),
        "location": r.location,
        "online": r.online,
        "capacity": r.capacity,
        "seatsLeft": seats_left,
        "enrolmentDeadline": _datetime(r.enrolment_deadline),
        "approvalRequired": r.approval_required,
        "cancelledAt": _datetime(r.cancelled_at),
    }


def _link(link: PlainRow) -> dict[str, Any]:
    return {
        "id": to_base64(LINK, link.id),
        "strength": link.strength.name,
        "rationale": link.rationale,
        "linkedAt": link.linked_at.isoformat(),
        "updatedAt": link.updated_at.isoformat(),
        "statement": {"key": link.statement_key},
    }


def _float(value: float | None) -> float | None:
    """GraphQL's Float serialises every number as a float (``8.0``, never ``8``)."""
    return None if value is None else float(value)


def _datetime(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())
