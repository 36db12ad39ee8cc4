"""Course pull: the LMS's courses and activities mapped onto the catalogue.

Rules:

- A course is the catalogue course with the same LMS course id, else the one
  whose code equals the LMS course's own code; that match stores the LMS id
  on the course. An LMS course with no counterpart is imported as a DRAFT
  (the LMS's code, or ``LMS-<id>``) for HR to curate and publish.
- The catalogue owns titles, summaries, status and competence links: a mapped
  course is never rewritten from the LMS. The LMS owns its ids: they are the
  only thing stored on a mapped course.
- Activities: an LMS activity that tracks completion maps to the catalogue
  activity with its LMS id, else to a not-yet-linked activity of the same
  course with the same title (ignoring case), else becomes a new activity at
  the end of the course. New activities are required in an imported draft and
  optional in a curated course, where HR decides what counts.
- A linked activity whose LMS activity is gone from the LMS is reported as a
  warning, not changed: it may be a mistake in the LMS, and HR decides.
- Nothing is written when nothing changed, so a second pull touches no row and
  no ``updated_at``.
"""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from catalogue.models import Activity, Course, CourseKind, CourseStatus
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.lms_sync.context import SyncContext
from catalogue.services.lms_sync.port import LmsActivityRecord, LmsCourseRecord
from catalogue.services.lms_sync.runs import Change

CODE_MAX = 64
TITLE_MAX = 300
_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6])>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v]+")


def pull_courses(ctx: SyncContext) -> None:
    listing = ctx.gateway.list_courses()
    for warning in listing.warnings:
        ctx.tally.warn(warning.item or "kursus", warning.item_id, warning.code, warning.message)
    for lms_course in listing:
        with ctx.item("kursus", lms_course.id) as result:
            result.add(*_apply_course(ctx, lms_course))


def _apply_course(ctx: SyncContext, lms_course: LmsCourseRecord) -> tuple[Change, str]:
    session = ctx.session
    lms_id = str(lms_course.id)
    change = Change.UNCHANGED
    course = session.scalar(select(Course).where(Course.lms_course_id == lms_id))
    lms_code = (lms_course.code or "").strip()
    if course is None and lms_code:
        course = session.scalar(select(Course).where(Course.code == lms_code))
        if course is not None:
            if course.lms_course_id is not None:
                raise DomainError(
                    ErrorCode.CONFLICT,
                    f"Kurset {course.code} er allerede koblet til LMS-kursus "
                    f"{course.lms_course_id}; LMS-kursus {lms_id} har samme kode.",
                )
            course.lms_course_id = lms_id
            change = Change.UPDATED
    if course is None:
        course = _import_draft(ctx, lms_course, lms_code)
        change = Change.CREATED
    linked, added = _apply_activities(ctx, course, lms_course.id, imported=change is Change.CREATED)
    if change is Change.CREATED:
        note = f"ny kladde {course.code} «{course.title}» med {added} aktivitet(er)"
    else:
        parts = [f"koblet til LMS-kursus {lms_id}"] if change is Change.UPDATED else []
        parts += [f"{linked} aktivitet(er) koblet"] if linked else []
        parts += [f"{added} ny(e) aktivitet(er)"] if added else []
        note = f"{course.code}: {', '.join(parts)}"
        if change is Change.UNCHANGED and parts:
            change = Change.UPDATED
    return change, note


def _import_draft(ctx: SyncContext, lms_course: LmsCourseRecord, lms_code: str) -> Course:
    code = lms_code if lms_code and len(lms_code) <= CODE_MAX else f"LMS-{lms_course.id}"
    if ctx.session.scalar(select(Course.id).where(Course.code == code)) is not None:
        raise DomainError(
            ErrorCode.DUPLICATE,
            f"LMS-kursus {lms_course.id} kan ikke importeres: koden {code} er allerede i brug.",
        )
    title = (lms_course.title.strip() or lms_course.short_title.strip())[:TITLE_MAX]
    course = Course(
        code=code,
        title=title or code,
        summary=plain_text(lms_course.summary),
        kind=CourseKind.E_LEARNING,
        status=CourseStatus.DRAFT,
        lms_course_id=str(lms_course.id),
    )
    ctx.session.add(course)
    ctx.session.flush()
    return course


def _apply_activities(
    ctx: SyncContext, course: Course, lms_course_id: int, *, imported: bool
) -> tuple[int, int]:
    """Link and add activities; returns how many were linked and how many added."""
    lms_activities = ctx.gateway.course_activities(lms_course_id)
    activities = list(course.activities)
    by_module = {a.lms_module_id: a for a in activities if a.lms_module_id}
    unlinked = {
        _title_key(a.title): a
        for a in activities
        if a.lms_module_id is None and a.archived_at is None
    }
    position = max((a.position for a in activities), default=0)
    linked = added = 0
    for lms_activity in lms_activities:
        if str(lms_activity.id) in by_module or not lms_activity.completion_tracked:
            continue
        match = unlinked.pop(_title_key(lms_activity.title), None)
        if match is not None:
            match.lms_module_id = str(lms_activity.id)
            linked += 1
        else:
            position += 1
            _new_activity(ctx, course, lms_activity, position, required=imported)
            added += 1
    present = {str(lms_activity.id) for lms_activity in lms_activities}
    for module_id, activity in by_module.items():
        if module_id not in present and activity.archived_at is None:
            ctx.tally.warn(
                "aktivitet",
                activity.code,
                "lmsmodulemissing",
                f"Aktiviteten {activity.code} er koblet til LMS-modul {module_id}, "
                "som ikke længere er med i LMS-kursets indhold: modulet er slettet, eller "
                "servicebrugeren må ikke længere se det. "
                + ctx.gateway.unlisted_activities_advice([]),
            )
    if linked or added:
        ctx.session.flush()
    return linked, added


def _new_activity(
    ctx: SyncContext,
    course: Course,
    lms_activity: LmsActivityRecord,
    position: int,
    *,
    required: bool,
) -> Activity:
    suffix = f"-M{lms_activity.id}"
    activity = Activity(
        course=course,
        code=course.code[: CODE_MAX - len(suffix)] + suffix,
        title=(lms_activity.title.strip() or f"Aktivitet {lms_activity.id}")[:TITLE_MAX],
        kind=lms_activity.kind,
        position=position,
        required=required,
        lms_module_id=str(lms_activity.id),
    )
    ctx.session.add(activity)
    return activity


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def plain_text(summary: str) -> str:
    """The port's summaries and descriptions are HTML; the catalogue's are plain text."""
    text = _BLOCK_END.sub("\n", summary)
    text = html.unescape(_TAG.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
