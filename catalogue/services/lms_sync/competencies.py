"""Competence profile push: the current profile as an LMS competency framework, linked to courses.

The catalogue owns the profile and the competence links; this step makes the
LMS show them (in Moodle: a competency framework, and each course's
"Competencies" page). Rules:

- One framework per profile version, found by its code
  ``LTK-LEDER-V<version>``; its name is the profile's title, its description
  the profile's introduction. A new profile version gets a new framework; the
  frameworks of older versions are left as they are (ratings in the LMS may
  refer to them).
- In it, one competency per kompetencefelt (code ``K1``..., name the field's
  name, description its text) with the field's "Vi skal" statements as
  children (code ``K1.1``..., the statement's text verbatim as the
  description). The name is the statement text too, as far as the LMS's
  limits allow (the gateway's ``competency_name``: Moodle keeps 100
  characters); the description always holds the whole text. Descriptions are
  sent as HTML and compared after the LMS's formatting, names as the LMS
  keeps them, so Danish letters and typographic quotes arrive intact and an
  unchanged text is never sent again.
- A competency whose name or description differs from the catalogue's is
  updated: the texts are the catalogue's. One the catalogue does not know
  (added in the LMS) is left alone. One found under another parent than its
  field is reported, not moved.
- The framework is kept visible: the LMS refuses to link a course to a
  competency of a hidden framework.
- Courses: every catalogue course with an LMS course id. A published one is
  linked to the statements its PRIMARY links name, on the course itself or on
  one of its (not archived) activities: in the LMS a course competency is what
  the course builds, and completing the course may count as evidence for it,
  which is too strong for SUPPORTING links. They stay in the catalogue, with
  their rationale, for HR and the LMS's GraphQL pull. Links to statements of
  older profile versions are not pushed.
- The catalogue owns these links: a competency of this framework that a
  course should not have (its link removed, or the course no longer
  published) is removed from the LMS course. Competencies of other frameworks
  on the course (a teacher's own) are left alone.
- Idempotent: everything is read first and only differences are written, so a
  second run with nothing changed makes no write call. A dry run makes no
  write call at all and counts what it would do. A failing framework stops the
  step (nothing can hang on it); a failing competency or course fails only
  itself, and links to a competency that failed are skipped with a warning.

Counts: the framework and each competency are created, updated or unchanged;
a course is updated when competencies were linked or unlinked, else unchanged.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from catalogue.models import (
    Activity,
    CompetenceField,
    CompetenceLink,
    CompetenceProfile,
    CompetenceStatement,
    Course,
    CourseStatus,
    LinkStrength,
)
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.lms_sync.context import ItemResult, SyncContext
from catalogue.services.lms_sync.courses import plain_text
from catalogue.services.lms_sync.port import (
    LmsCompetencyFrameworkRecord,
    LmsCompetencyRecord,
    LmsGateway,
)
from catalogue.services.lms_sync.runs import Change
from catalogue.services.profiles import current_profile

FRAMEWORK_CODE_PREFIX = "LTK-LEDER-V"
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def framework_code(profile: CompetenceProfile) -> str:
    return f"{FRAMEWORK_CODE_PREFIX}{profile.version}"


@dataclass(frozen=True)
class Wanted:
    """A competency as the catalogue wants it in the LMS."""

    key: str
    name: str
    text: str
    parent_key: str | None = None

    @property
    def description(self) -> str:
        return to_html(self.text)


def push_competencies(ctx: SyncContext) -> None:
    profile = current_profile(ctx.session)
    if profile is None:
        ctx.tally.warn(
            "kompetenceprofil",
            None,
            "noprofile",
            "Der er ingen offentliggjort kompetenceprofil, så der er intet at sende til LMS'et.",
        )
        return
    ctx.gateway.check_competencies()
    code = framework_code(profile)
    framework: LmsCompetencyFrameworkRecord | None = None
    created = False
    with ctx.item("kompetenceramme", code) as result:
        framework, created = _ensure_framework(ctx, profile, code, result)
    if result.failed:
        return  # nothing can be created in, or linked to, a framework that is not there
    framework_id = framework.id if framework is not None else None
    known: dict[str, LmsCompetencyRecord] = {}
    if framework_id is not None and not created:
        known = {c.code: c for c in ctx.gateway.competencies(framework_id) if c.code}
    ids = _ensure_competencies(ctx, framework_id, known, _wanted(profile))
    _link_courses(ctx, profile, framework_id, ids)


# -- the framework --------------------------------------------------------------------------


def _ensure_framework(
    ctx: SyncContext, profile: CompetenceProfile, code: str, result: ItemResult
) -> tuple[LmsCompetencyFrameworkRecord | None, bool]:
    """The framework of ``profile`` (None in a dry run that would create it), and if it is new."""
    name = profile.title
    description = to_html(profile.intro)
    found = ctx.gateway.find_competency_framework(code)
    if found is None:
        shown = ctx.gateway.competency_name(name)
        result.add(Change.CREATED, f"kompetenceramme {code} «{shown}» oprettet")
        if ctx.dry_run:
            return None, True
        created = ctx.gateway.create_competency_framework(
            code=code, name=name, description=description
        )
        return created, True
    if (
        same_name(ctx.gateway, found.name, name)
        and same_text(found.description, profile.intro)
        and found.visible
    ):
        result.add(Change.UNCHANGED)
        return found, False
    result.add(Change.UPDATED, f"kompetenceramme {code}: tekst eller synlighed rettet")
    if not ctx.dry_run:
        ctx.gateway.update_competency_framework(
            found.id, name=name, description=description, visible=True
        )
    return found, False


# -- the competencies -----------------------------------------------------------------------


def _wanted(profile: CompetenceProfile) -> list[Wanted]:
    """Fields, each followed by its statements, in document order."""
    wanted: list[Wanted] = []
    for field in sorted(profile.fields, key=lambda f: f.position):
        wanted.append(Wanted(field.key, field.name, field.description))
        for statement in sorted(field.statements, key=lambda s: s.position):
            wanted.append(Wanted(statement.key, statement.text, statement.text, field.key))
    return wanted


def _ensure_competencies(
    ctx: SyncContext,
    framework_id: int | None,
    known: dict[str, LmsCompetencyRecord],
    wanted: Sequence[Wanted],
) -> dict[str, int | None]:
    """LMS ids by key; None for one a dry run would create, absent for one that failed."""
    ids: dict[str, int | None] = {}
    for competency in wanted:
        with ctx.item("kompetence", competency.key) as result:
            ids[competency.key] = _ensure_competency(
                ctx, framework_id, known.get(competency.key), competency, ids, result
            )
    return ids


def _ensure_competency(
    ctx: SyncContext,
    framework_id: int | None,
    found: LmsCompetencyRecord | None,
    wanted: Wanted,
    ids: dict[str, int | None],
    result: ItemResult,
) -> int | None:
    parent_id: int | None = None
    if wanted.parent_key is not None:
        if wanted.parent_key not in ids:
            raise DomainError(
                ErrorCode.CONFLICT,
                f"{wanted.key} kan ikke oprettes, fordi kompetencefeltet {wanted.parent_key} "
                "mangler i LMS'et (se fejlen for det).",
            )
        parent_id = ids[wanted.parent_key]
    if found is None:
        shown = ctx.gateway.competency_name(wanted.name)
        result.add(Change.CREATED, f"{wanted.key} «{shown}» oprettet")
        if ctx.dry_run or framework_id is None:
            return None
        created = ctx.gateway.create_competency(
            framework_id=framework_id,
            code=wanted.key,
            name=wanted.name,
            description=wanted.description,
            parent_id=parent_id,
        )
        return created.id
    parent_known = wanted.parent_key is None or parent_id is not None
    if parent_known and found.parent_id != parent_id:
        place = f"under {wanted.parent_key}" if wanted.parent_key else "øverst i rammen"
        ctx.tally.warn(
            "kompetence",
            wanted.key,
            "competencymoved",
            f"{wanted.key} ligger et andet sted i LMS'et end {place}; flyt den tilbage i "
            "LMS'et (synkroniseringen flytter ikke kompetencer).",
        )
    if same_name(ctx.gateway, found.name, wanted.name) and same_text(
        found.description, wanted.text
    ):
        result.add(Change.UNCHANGED)
        return found.id
    result.add(Change.UPDATED, f"{wanted.key}: tekst rettet")
    if not ctx.dry_run:
        ctx.gateway.update_competency(found.id, name=wanted.name, description=wanted.description)
    return found.id


# -- the courses ----------------------------------------------------------------------------


def _link_courses(
    ctx: SyncContext,
    profile: CompetenceProfile,
    framework_id: int | None,
    ids: dict[str, int | None],
) -> None:
    primary = _primary_keys_by_course(ctx, profile)
    courses = ctx.session.scalars(
        select(Course).where(Course.lms_course_id.is_not(None)).order_by(Course.code)
    ).all()
    for course in courses:
        with ctx.item("kursus", course.code) as result:
            keys = primary.get(course.id, []) if course.status is CourseStatus.PUBLISHED else []
            result.add(*_link_course(ctx, course, keys, framework_id, ids))


def _link_course(
    ctx: SyncContext,
    course: Course,
    keys: Sequence[str],
    framework_id: int | None,
    ids: dict[str, int | None],
) -> tuple[Change, str | None]:
    lms_id = _lms_course_id(course)
    wanted: dict[int | str, str] = {}  # LMS id (or the key, for one a dry run would create)
    for key in keys:
        if key not in ids:
            ctx.tally.warn(
                "kursus",
                course.code,
                "competencymissing",
                f"{course.code} kobles ikke til {key}, fordi {key} mangler i LMS'et.",
            )
            continue
        competency_id = ids[key]
        wanted[competency_id if competency_id is not None else key] = key
    linked = {
        c.id: c.code
        for c in ctx.gateway.course_competencies(lms_id)
        if framework_id is not None and c.framework_id == framework_id
    }
    to_add = [(target, key) for target, key in wanted.items() if target not in linked]
    to_remove = [(target, key) for target, key in linked.items() if target not in wanted]
    if not ctx.dry_run:
        for target, _key in to_add:
            if isinstance(target, int):  # a key stands in only in a dry run
                ctx.gateway.add_course_competency(course_id=lms_id, competency_id=target)
        for target, _key in to_remove:
            if isinstance(target, int):
                ctx.gateway.remove_course_competency(course_id=lms_id, competency_id=target)
    if not to_add and not to_remove:
        return Change.UNCHANGED, None
    parts = []
    if to_add:
        parts.append(f"koblet til {', '.join(key for _target, key in to_add)}")
    if to_remove:
        parts.append(f"koblet fra {', '.join(key for _target, key in to_remove)}")
    return Change.UPDATED, f"{course.code} (LMS-kursus {lms_id}): {'; '.join(parts)}"


def _primary_keys_by_course(ctx: SyncContext, profile: CompetenceProfile) -> dict[int, list[str]]:
    """Statement keys of the profile's PRIMARY links, per course, in document order."""
    course_id = func.coalesce(CompetenceLink.course_id, Activity.course_id)
    rows = ctx.session.execute(
        select(course_id, CompetenceStatement.key)
        .select_from(CompetenceLink)
        .join(CompetenceStatement, CompetenceStatement.id == CompetenceLink.statement_id)
        .join(CompetenceField, CompetenceField.id == CompetenceStatement.field_id)
        .outerjoin(Activity, Activity.id == CompetenceLink.activity_id)
        .where(
            CompetenceStatement.profile_id == profile.id,
            CompetenceLink.strength == LinkStrength.PRIMARY,
            CompetenceLink.removed_at.is_(None),
            Activity.archived_at.is_(None),
        )
        .order_by(course_id, CompetenceField.position, CompetenceStatement.position)
    ).all()
    keys: dict[int, list[str]] = {}
    for linked_course_id, key in rows:
        course_keys = keys.setdefault(linked_course_id, [])
        if key not in course_keys:
            course_keys.append(key)
    return keys


def _lms_course_id(course: Course) -> int:
    value = (course.lms_course_id or "").strip()
    if not value.isdigit():
        raise DomainError(
            ErrorCode.INVALID,
            f"Kurset {course.code} har LMS-kursus-id {course.lms_course_id!r}, som ikke er et tal.",
        )
    return int(value)


# -- texts ----------------------------------------------------------------------------------


def to_html(text: str) -> str:
    """Plain text as HTML: escaped, a paragraph per blank-line-separated block."""
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text.strip()) if p.strip()]
    escaped = [html.escape(p, quote=False).replace("\n", "<br>") for p in paragraphs]
    if len(escaped) <= 1:
        return escaped[0] if escaped else ""
    return "".join(f"<p>{p}</p>" for p in escaped)


def same_name(gateway: LmsGateway, lms_name: str, name: str) -> bool:
    """Whether the LMS keeps ``name`` as ``lms_name`` already, whitespace aside."""
    return " ".join(lms_name.split()) == " ".join(gateway.competency_name(name).split())


def same_text(lms_html: str, text: str) -> bool:
    """The LMS's HTML and the catalogue's text say the same, whitespace aside."""
    return " ".join(plain_text(lms_html).split()) == " ".join(text.split())
