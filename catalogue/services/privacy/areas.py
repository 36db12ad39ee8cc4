"""The areas of personal data: what each holds on a person, its export and its erasure.

Like a Moodle plugin's privacy provider, each area exports the person's data in
its own words and erases it so that the figures others rely on stay: an erased
leader's enrolment still takes its seat in the run's history and counts in the
course's completions, but holds no motivation, focus or result, and the audit
entries about them keep what happened and when, not the reasons written about
them. Records other people own (an approval a chef made, a link HR made) stay as
they are; they point at the anonymised person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    ActivityCompletion,
    AuditLogEntry,
    CompetenceLink,
    CompetenceStatement,
    Course,
    CourseRun,
    Enrolment,
    OrgUnit,
    Person,
    SyncRun,
)
from catalogue.models.enrolment import enrolment_focus
from catalogue.models.search import SearchSynonym

ERASED_NAME = "Slettet person"


def erased_email(person_id: int) -> str:
    """Unique, never deliverable (RFC 2606's ``.invalid``), and says nothing of the person."""
    return f"slettet-{person_id}@slettet.invalid"


def _at(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class PersonalDataArea:
    """One kind of data held on a person; ``columns`` are the person references it covers.

    ``description`` says in Danish what is held and why, as a Moodle provider's metadata
    does; the export carries it so the person can read what each part is.
    """

    name: str
    description: str
    columns: tuple[str, ...]
    export: Callable[[Session, int], Any]
    erase: Callable[[Session, int], int]


#: Where the catalogue sends personal data (Moodle's "external location link"): erasing here
#: does not erase there, so the export says so.
EXTERNAL_LOCATIONS = {
    "lms": (
        "LMS'et (fx Moodle) får personens e-mailadresse til at finde brugeren og personens "
        "tilmeldinger og afmeldinger; LMS'et sletter selv sine egne data."
    ),
}


def _export_person(session: Session, person_id: int) -> dict[str, Any]:
    person = session.get(Person, person_id)
    assert person is not None
    unit = session.get(OrgUnit, person.org_unit_id) if person.org_unit_id else None
    manager = session.get(Person, person.manager_id) if person.manager_id else None
    return {
        "id": person.id,
        "name": person.name,
        "email": person.email,
        "title": person.title,
        "lmsUserId": person.lms_user_id,
        "roles": sorted(person.roles),
        "active": person.active,
        "orgUnit": {"key": unit.key, "name": unit.name} if unit else None,
        "manager": {"id": manager.id, "name": manager.name} if manager else None,
        "createdAt": _at(person.created_at),
        "updatedAt": _at(person.updated_at),
        "deactivatedAt": _at(person.deactivated_at),
        "erasedAt": _at(person.erased_at),
    }


def _erase_person(session: Session, person_id: int) -> int:
    person = session.get(Person, person_id)
    assert person is not None
    person.name = ERASED_NAME
    person.email = erased_email(person_id)
    person.title = ""
    person.lms_user_id = None
    person.org_unit_id = None
    person.manager_id = None
    person.set_roles(set())
    person.active = False
    return 1


def _export_enrolments(session: Session, person_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Enrolment, CourseRun.code, Course.title)
        .join(CourseRun, CourseRun.id == Enrolment.course_run_id)
        .join(Course, Course.id == CourseRun.course_id)
        .where(Enrolment.person_id == person_id)
        .order_by(Enrolment.id)
    ).all()
    focus: dict[int, list[str]] = {}
    for enrolment_id, key in session.execute(
        select(enrolment_focus.c.enrolment_id, CompetenceStatement.key)
        .join(CompetenceStatement, CompetenceStatement.id == enrolment_focus.c.statement_id)
        .join(Enrolment, Enrolment.id == enrolment_focus.c.enrolment_id)
        .where(Enrolment.person_id == person_id)
        .order_by(CompetenceStatement.key)
    ):
        focus.setdefault(enrolment_id, []).append(key)
    return [
        {
            "id": enrolment.id,
            "courseRun": run_code,
            "course": course_title,
            "status": enrolment.status.value,
            "source": enrolment.source.value,
            "motivation": enrolment.motivation,
            "focusStatements": focus.get(enrolment.id, []),
            "waitlistPosition": enrolment.waitlist_position,
            "requestedAt": _at(enrolment.requested_at),
            "completedAt": _at(enrolment.completed_at),
            "result": enrolment.result,
        }
        for enrolment, run_code, course_title in rows
    ]


def _erase_enrolments(session: Session, person_id: int) -> int:
    mine = select(Enrolment.id).where(Enrolment.person_id == person_id).scalar_subquery()
    session.execute(delete(enrolment_focus).where(enrolment_focus.c.enrolment_id.in_(mine)))
    result = session.execute(
        update(Enrolment)
        .where(Enrolment.person_id == person_id)
        .values(motivation="", result=None)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _export_completions(session: Session, person_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(ActivityCompletion, Activity.title)
        .join(Activity, Activity.id == ActivityCompletion.activity_id)
        .where(ActivityCompletion.person_id == person_id)
        .order_by(ActivityCompletion.id)
    ).all()
    return [
        {
            "id": completion.id,
            "activity": title,
            "enrolmentId": completion.enrolment_id,
            "completedAt": _at(completion.completed_at),
            "result": completion.result,
            "evidenceUrl": completion.evidence_url,
            "source": completion.source.value,
        }
        for completion, title in rows
    ]


def _erase_completions(session: Session, person_id: int) -> int:
    result = session.execute(
        update(ActivityCompletion)
        .where(ActivityCompletion.person_id == person_id)
        .values(result=None, evidence_url=None)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _audit_entry(entry: AuditLogEntry, *, with_details: bool) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "at": _at(entry.at),
        "action": entry.action,
        "entityType": entry.entity_type,
        "entityId": entry.entity_id,
        "fromState": entry.from_state,
        "toState": entry.to_state,
        "reason": entry.reason,
    }
    if with_details:
        shown["actorId"] = entry.actor_id
        shown["details"] = entry.details
    else:
        shown["personId"] = entry.person_id
    return shown


def _export_audit_about(session: Session, person_id: int) -> list[dict[str, Any]]:
    entries = session.scalars(
        select(AuditLogEntry)
        .where(AuditLogEntry.person_id == person_id)
        .order_by(AuditLogEntry.at, AuditLogEntry.id)
    )
    return [_audit_entry(entry, with_details=True) for entry in entries]


def _erase_audit_about(session: Session, person_id: int) -> int:
    """What happened stays (action, states, time, who did it); what was written about them goes."""
    result = session.execute(
        update(AuditLogEntry)
        .where(AuditLogEntry.person_id == person_id)
        .values(reason=None, details={})
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _export_audit_by(session: Session, person_id: int) -> list[dict[str, Any]]:
    """What they did; others' details are left out, as they are the others' data."""
    entries = session.scalars(
        select(AuditLogEntry)
        .where(AuditLogEntry.actor_id == person_id)
        .order_by(AuditLogEntry.at, AuditLogEntry.id)
    )
    return [_audit_entry(entry, with_details=False) for entry in entries]


def _keep(_session: Session, _person_id: int) -> int:
    """Others' records: they stay, pointing at the anonymised person."""
    return 0


def _export_links(session: Session, person_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(CompetenceLink, CompetenceStatement.key)
        .join(CompetenceStatement, CompetenceStatement.id == CompetenceLink.statement_id)
        .where(CompetenceLink.linked_by_id == person_id)
        .order_by(CompetenceLink.id)
    ).all()
    return [
        {
            "id": link.id,
            "statement": key,
            "courseId": link.course_id,
            "activityId": link.activity_id,
            "rationale": link.rationale,
            "linkedAt": _at(link.linked_at),
        }
        for link, key in rows
    ]


def _export_sync_runs(session: Session, person_id: int) -> list[dict[str, Any]]:
    runs = session.scalars(
        select(SyncRun).where(SyncRun.requested_by_id == person_id).order_by(SyncRun.id)
    )
    return [
        {"id": run.id, "kind": run.kind.value, "startedAt": _at(run.started_at)} for run in runs
    ]


def _export_synonyms(session: Session, person_id: int) -> list[dict[str, Any]]:
    synonyms = session.scalars(
        select(SearchSynonym)
        .where(SearchSynonym.created_by_id == person_id)
        .order_by(SearchSynonym.id)
    )
    return [
        {"id": s.id, "first": s.first, "second": s.second, "createdAt": _at(s.created_at)}
        for s in synonyms
    ]


AREAS: tuple[PersonalDataArea, ...] = (
    PersonalDataArea(
        "person",
        "Navn, e-mail, titel, enhed, leder, roller og LMS-bruger-id: hvem personen er i kataloget.",
        ("person.id", "person.manager_id"),
        _export_person,
        _erase_person,
    ),
    PersonalDataArea(
        "enrolments",
        "Tilmeldinger til hold med begrundelse, fokusudsagn, status og resultat.",
        ("enrolment.person_id",),
        _export_enrolments,
        _erase_enrolments,
    ),
    PersonalDataArea(
        "activityCompletions",
        "Gennemførte aktiviteter med tidspunkt, resultat og dokumentation.",
        ("activity_completion.person_id",),
        _export_completions,
        _erase_completions,
    ),
    PersonalDataArea(
        "auditEntriesAboutPerson",
        "Revisionsloggens poster om personens data: hvad der skete, hvornår og af hvem.",
        ("audit_log_entry.person_id",),
        _export_audit_about,
        _erase_audit_about,
    ),
    PersonalDataArea(
        "auditEntriesByPerson",
        "Hvad personen selv har gjort (fx godkendt en tilmelding), uden de andres oplysninger.",
        ("audit_log_entry.actor_id",),
        _export_audit_by,
        _keep,
    ),
    PersonalDataArea(
        "competenceLinksMade",
        "Koblinger mellem kompetenceudsagn og kurser, som personen har lavet (HR).",
        ("competence_link.linked_by_id",),
        _export_links,
        _keep,
    ),
    PersonalDataArea(
        "syncRunsRequested",
        "Synkroniseringer med LMS'et, som personen har bestilt.",
        ("sync_run.requested_by_id",),
        _export_sync_runs,
        _keep,
    ),
    PersonalDataArea(
        "searchSynonymsMade",
        "Synonymer til søgningen, som personen har tilføjet (HR).",
        ("search_synonym.created_by_id",),
        _export_synonyms,
        _keep,
    ),
)
