"""HR links statements to the courses and activities that build them, with a rationale.

One link per statement and target. Removing a link keeps the row with
``removed_at`` set and the reason REMOVED (a tombstone for the LMS); linking
again revives it. HR links only statements of the current profile version; links
of older versions are tombstones a new version superseded
(``services/link_versions.py``) and cannot be edited.

Every change is audited (LINK_CREATED, LINK_UPDATED, LINK_RESTORED, LINK_REMOVED)
with ``from_state``/``to_state`` the strength and ``details`` naming the statement,
the target and ``changes``: each changed part as ``{"from": old, "to": new}``
(``strength``, ``rationale``, ``removed_at``), so the log says what HR changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Activity, CompetenceLink, Course, LinkRemovalReason, LinkStrength
from catalogue.models.base import utcnow
from catalogue.models.competence_link import RATIONALE_MAX_LENGTH
from catalogue.services.activity_admin import get_activity
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.course_admin import get_course, touch
from catalogue.services.edit_conflicts import refuse_stale_edit, stamp_changed
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.profiles import current_profile, statements_by_key
from catalogue.services.validation import Checks


@dataclass(frozen=True)
class LinkSpec:
    """One wanted link of a course: to the course itself, or to one of its activities."""

    statement_key: str
    strength: LinkStrength
    rationale: str
    activity_id: int | None = None


def get_link(session: Session, link_id: int) -> CompetenceLink:
    """A live link; a tombstone of an older profile version says where its successor is."""
    link = session.get(CompetenceLink, link_id)
    if link is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Linket findes ikke.", field="id")
    if link.removed_at is None:
        return link
    version = link.statement.profile_version
    if link.removal_reason is LinkRemovalReason.SUPERSEDED and link.superseded_by is not None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            f"Linket hører til version {version} af kompetenceprofilen og er afløst af linket "
            f"i version {link.superseded_by.statement.profile_version}; ret det i stedet.",
            field="id",
        )
    if link.removal_reason is LinkRemovalReason.STATEMENT_WITHDRAWN:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            f"Linket hører til version {version} af kompetenceprofilen; udsagnet "
            f"{link.statement.key} findes ikke i den gældende version.",
            field="id",
        )
    raise DomainError(ErrorCode.NOT_FOUND, "Linket findes ikke.", field="id")


def _rationale(checks: Checks, field: str, value: str | None) -> str | None:
    return checks.text(
        field, value, label="Begrundelsen", max_length=RATIONALE_MAX_LENGTH, multiline=True
    )


def _statement_id(session: Session, key: str, *, field: str) -> int:
    profile = current_profile(session)
    statement = statements_by_key(session, profile.id).get(key.strip()) if profile else None
    if statement is None:
        raise DomainError(
            ErrorCode.NOT_FOUND, f"Udsagnet {key!r} findes ikke i den gældende profil.", field=field
        )
    return statement.id


def _course_of(session: Session, course_id: int | None, activity_id: int | None) -> Course:
    if (course_id is None) == (activity_id is None):
        raise DomainError(
            ErrorCode.INVALID,
            "Angiv enten et kursus eller en aktivitet, ikke begge.",
            field="target",
        )
    if activity_id is not None:
        return get_activity(session, activity_id, field="activityId").course
    assert course_id is not None
    return get_course(session, course_id, field="courseId")


def _existing(
    session: Session, statement_id: int, course_id: int | None, activity_id: int | None
) -> CompetenceLink | None:
    return session.scalar(
        select(CompetenceLink).where(
            CompetenceLink.statement_id == statement_id,
            CompetenceLink.course_id.is_(None)
            if course_id is None
            else CompetenceLink.course_id == course_id,
            CompetenceLink.activity_id.is_(None)
            if activity_id is None
            else CompetenceLink.activity_id == activity_id,
        )
    )


def _save(
    session: Session,
    *,
    actor: Viewer,
    statement_id: int,
    course_id: int | None,
    activity_id: int | None,
    strength: LinkStrength,
    rationale: str,
    course_of_link: int,
) -> tuple[CompetenceLink, bool]:
    """Create, revive or update one link; returns the link and whether anything changed."""
    link = _existing(session, statement_id, course_id, activity_id)
    changes: dict[str, Any] = {}
    if link is None:
        link = CompetenceLink(
            statement_id=statement_id,
            course_id=course_id,
            activity_id=activity_id,
            strength=strength,
            rationale=rationale,
            linked_by_id=actor.person_id,
            linked_at=utcnow(),
        )
        session.add(link)
        session.flush()
        action = AuditAction.LINK_CREATED
        from_state = None
        changes = {"rationale": {"from": None, "to": rationale}}
    elif link.removed_at is not None:
        changes = _changes(link, strength, rationale)
        changes["removed_at"] = {"from": link.removed_at.isoformat(), "to": None}
        action, from_state = AuditAction.LINK_RESTORED, link.strength.value
        stamp_changed(link)
        link.removed_at = None  # and with it the reason (CompetenceLink._reason_follows_removal)
        link.strength, link.rationale = strength, rationale
        link.linked_by_id, link.linked_at = actor.person_id, utcnow()
    elif link.strength != strength or link.rationale != rationale:
        changes = _changes(link, strength, rationale)
        action, from_state = AuditAction.LINK_UPDATED, link.strength.value
        stamp_changed(link)
        link.strength, link.rationale = strength, rationale
    else:
        return link, False
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="CompetenceLink",
        entity_id=link.id,
        course_id=course_of_link,
        action=action,
        from_state=from_state,
        to_state=strength.value,
        details=_link_details(link) | {"changes": changes},
    )
    return link, True


def _changes(link: CompetenceLink, strength: LinkStrength, rationale: str) -> dict[str, Any]:
    """What an edit changes, each as ``{"from": old, "to": new}``; unchanged parts left out."""
    changes: dict[str, Any] = {}
    if link.strength != strength:
        changes["strength"] = {"from": link.strength.value, "to": strength.value}
    if link.rationale != rationale:
        changes["rationale"] = {"from": link.rationale, "to": rationale}
    return changes


def _link_details(link: CompetenceLink) -> dict[str, Any]:
    """What every link entry names, so the log reads without looking the link up."""
    return {
        "statement_key": link.statement.key,
        "course_id": link.course_id,
        "activity_id": link.activity_id,
    }


def _record_removal(
    session: Session, *, actor: Viewer, link: CompetenceLink, course_id: int
) -> None:
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="CompetenceLink",
        entity_id=link.id,
        course_id=course_id,
        action=AuditAction.LINK_REMOVED,
        from_state=link.strength.value,
        details=_link_details(link)
        | {"changes": {"removed_at": {"from": None, "to": _iso(link.removed_at)}}},
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def create_link(
    session: Session,
    *,
    actor: Viewer,
    statement_key: str,
    course_id: int | None,
    activity_id: int | None,
    strength: LinkStrength,
    rationale: str | None,
) -> CompetenceLink:
    checks = Checks()
    cleaned = _rationale(checks, "rationale", rationale)
    statement_id: int | None = None
    course: Course | None = None
    try:
        statement_id = _statement_id(session, statement_key, field="statementKey")
    except DomainError as error:
        checks.capture(error)
    try:
        course = _course_of(session, course_id, activity_id)
    except DomainError as error:
        checks.capture(error)
    if statement_id is not None and course is not None:
        existing = _existing(session, statement_id, course_id, activity_id)
        if existing is not None and existing.removed_at is None:
            checks.fail(
                "statementKey",
                ErrorCode.DUPLICATE,
                f"Udsagnet {statement_key} er allerede linket hertil; "
                "ret det eksisterende link i stedet.",
            )
    checks.done()
    assert cleaned is not None
    assert statement_id is not None
    assert course is not None
    link, _ = _save(
        session,
        actor=actor,
        statement_id=statement_id,
        course_id=course_id,
        activity_id=activity_id,
        strength=strength,
        rationale=cleaned,
        course_of_link=course.id,
    )
    touch(course)
    return link


def update_link(
    session: Session,
    *,
    actor: Viewer,
    link_id: int,
    strength: LinkStrength | None,
    rationale: str | None,
    expected_updated_at: datetime | None = None,
) -> CompetenceLink:
    link = get_link(session, link_id)
    refuse_stale_edit(link, expected_updated_at, what="Koblingen")
    checks = Checks()
    cleaned = (
        _rationale(checks, "rationale", rationale) if rationale is not None else link.rationale
    )
    checks.done()
    assert cleaned is not None
    course = _course_of(session, link.course_id, link.activity_id)
    _, changed = _save(
        session,
        actor=actor,
        statement_id=link.statement_id,
        course_id=link.course_id,
        activity_id=link.activity_id,
        strength=strength or link.strength,
        rationale=cleaned,
        course_of_link=course.id,
    )
    if changed:
        touch(course)
    return link


def remove_link(session: Session, *, actor: Viewer, link_id: int) -> CompetenceLink:
    link = get_link(session, link_id)
    link.remove(LinkRemovalReason.REMOVED, utcnow())
    course = _course_of(session, link.course_id, link.activity_id)
    touch(course)
    _record_removal(session, actor=actor, link=link, course_id=course.id)
    return link


def set_course_links(
    session: Session, *, actor: Viewer, course_id: int, links: Sequence[LinkSpec]
) -> list[CompetenceLink]:
    """Make the course's links exactly ``links``: add, update and remove in one transaction."""
    course = get_course(session, course_id, field="courseId")
    activity_ids = {
        a.id for a in session.scalars(select(Activity).where(Activity.course_id == course.id))
    }
    checks = Checks()
    wanted: dict[tuple[int, int | None], LinkSpec] = {}
    rationales: dict[tuple[int, int | None], str] = {}
    for index, spec in enumerate(links):
        where = f"links[{index}]"
        rationale = _rationale(checks, f"{where}.rationale", spec.rationale)
        if spec.activity_id is not None and spec.activity_id not in activity_ids:
            checks.fail(
                f"{where}.activityId", ErrorCode.NOT_FOUND, "Aktiviteten hører ikke til kurset."
            )
        try:
            statement_id = _statement_id(session, spec.statement_key, field=f"{where}.statementKey")
        except DomainError as error:
            checks.errors.append(error)
            continue
        key = (statement_id, spec.activity_id)
        if key in wanted:
            checks.fail(
                f"{where}.statementKey",
                ErrorCode.DUPLICATE,
                f"Udsagnet {spec.statement_key} står to gange for samme mål.",
            )
        wanted[key] = spec
        rationales[key] = rationale or ""
    checks.done()

    current = session.scalars(
        select(CompetenceLink).where(
            CompetenceLink.removed_at.is_(None),
            (CompetenceLink.course_id == course.id) | CompetenceLink.activity_id.in_(activity_ids),
        )
    ).all()
    changed = False
    now = utcnow()
    for link in current:
        if (link.statement_id, link.activity_id) not in wanted:
            link.remove(LinkRemovalReason.REMOVED, now)
            changed = True
            _record_removal(session, actor=actor, link=link, course_id=course.id)
    result = []
    for (statement_id, activity_id), spec in wanted.items():
        link, link_changed = _save(
            session,
            actor=actor,
            statement_id=statement_id,
            course_id=None if activity_id is not None else course.id,
            activity_id=activity_id,
            strength=spec.strength,
            rationale=rationales[(statement_id, activity_id)],
            course_of_link=course.id,
        )
        changed = changed or link_changed
        result.append(link)
    if changed:
        touch(course)
    return result
