"""The people directory: people join, change, move and leave as their sources say.

One service for every provisioning source (SCIM, the HR-file import, an
administrator), so a person created by SCIM and changed by an HR file meets the
same rules: fields checked by ``person_fields``, e-mail, login name and employee
number unique (DUPLICATE naming the field), managers with history and without
loops (``managers``), org units that exist. Every change is audited with its
source; the actor is the person who did it, or none for a provisioning client.

Leaving is deactivation: the person's tokens are refused from then on (the token
lookup accepts active people only) and their open places are withdrawn
(``leavers``), seats going to the waiting list. A person is never deleted here:
a provisioning client's DELETE marks them deprovisioned, so history, audit and
other people's records stay whole (erasing personal data is GDPR's own service).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalogue.models import OrgUnit, Person
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.errors import DomainError, DomainValidationError, ErrorCode
from catalogue.services.leavers import withdraw_open_enrolments
from catalogue.services.login_sessions import end_sessions_of
from catalogue.services.managers import set_manager
from catalogue.services.person_fields import PersonFields, check_person_fields


class Source(StrEnum):
    """Where a directory change came from; written to the audit entry's details."""

    SCIM = "SCIM"
    HR_FILE = "HR_FILE"
    ADMIN = "ADMIN"


#: The fields a change compares and stores, in the order the audit entry lists them.
STORED_FIELDS = (
    "email",
    "name",
    "title",
    "user_name",
    "external_id",
    "employee_number",
    "department",
    "org_unit_id",
    "provisioned_attributes",
)
UNIQUE_FIELDS = (
    ("email", "email", "e-mailadressen"),
    ("user_name", "userName", "brugernavnet"),
    ("employee_number", "employeeNumber", "medarbejdernummeret"),
)


def _check_unique(session: Session, fields: PersonFields, *, exclude_id: int | None) -> None:
    problems: list[DomainError] = []
    for attribute, field, label in UNIQUE_FIELDS:
        value = getattr(fields, attribute)
        if value is None:
            continue
        column = getattr(Person, attribute)
        statement = select(Person.id).where(column == value)
        if exclude_id is not None:
            statement = statement.where(Person.id != exclude_id)
        if session.scalar(statement.limit(1)) is not None:
            problems.append(
                DomainError(
                    ErrorCode.DUPLICATE,
                    f"En anden person har allerede {label} {value[:80]!r}.",
                    field=field,
                )
            )
    if fields.org_unit_id is not None and session.get(OrgUnit, fields.org_unit_id) is None:
        problems.append(
            DomainError(ErrorCode.NOT_FOUND, "Organisationsenheden findes ikke.", field="orgUnit")
        )
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise DomainValidationError(problems)


def _flush_unique(session: Session) -> None:
    """Flush; a unique index that a concurrent writer filled first is DUPLICATE, not a fault."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise DomainError(
            ErrorCode.DUPLICATE,
            "En anden person har netop fået samme e-mailadresse, brugernavn eller "
            "medarbejdernummer; prøv igen.",
        ) from exc


def find_person(
    session: Session,
    *,
    email: str | None = None,
    user_name: str | None = None,
    employee_number: str | None = None,
) -> Person | None:
    """The person one of the source's keys names (any of them), or None."""
    conditions = []
    if email:
        conditions.append(Person.email == email.strip().lower())
    if user_name:
        conditions.append(Person.user_name == user_name.strip().lower())
    if employee_number:
        conditions.append(Person.employee_number == employee_number.strip())
    if not conditions:
        return None
    return session.scalars(select(Person).where(or_(*conditions)).order_by(Person.id)).first()


def create_person(
    session: Session,
    *,
    fields: PersonFields,
    manager_id: int | None = None,
    active: bool = True,
    actor_id: int | None,
    source: Source,
    now: datetime,
) -> Person:
    """A new person, with no roles (role groups grant them) and the manager given."""
    fields = check_person_fields(fields)
    _check_unique(session, fields, exclude_id=None)
    person = Person(
        **{name: getattr(fields, name) for name in STORED_FIELDS},
        active=active,
        deactivated_at=None if active else now,
    )
    session.add(person)
    _flush_unique(session)
    record_change(
        session,
        actor_id=actor_id,
        entity_type="Person",
        entity_id=person.id,
        person_id=person.id,
        action=AuditAction.PERSON_CREATED,
        details={"source": source.value},
        at=now,
    )
    if manager_id is not None:
        set_manager(
            session,
            person=person,
            manager_id=manager_id,
            actor_id=actor_id,
            source=source.value,
            now=now,
        )
    return person


def update_person(
    session: Session,
    *,
    person: Person,
    fields: PersonFields,
    actor_id: int | None,
    source: Source,
    now: datetime,
) -> list[str]:
    """Store what changed; the names of the changed fields (none: nothing written)."""
    fields = check_person_fields(fields)
    changed = [name for name in STORED_FIELDS if getattr(person, name) != getattr(fields, name)]
    if not changed:
        return []
    _check_unique(session, fields, exclude_id=person.id)
    for name in changed:
        setattr(person, name, getattr(fields, name))
    _flush_unique(session)
    record_change(
        session,
        actor_id=actor_id,
        entity_type="Person",
        entity_id=person.id,
        person_id=person.id,
        action=AuditAction.PERSON_UPDATED,
        details={"source": source.value, "fields": changed},
        at=now,
    )
    return changed


def deactivate_person(
    session: Session,
    *,
    person: Person,
    reason: str,
    actor_id: int | None,
    source: Source,
    now: datetime,
) -> list[int]:
    """Deactivate a leaver and withdraw their open places; the withdrawn enrolments' ids."""
    if not person.active:
        return []
    person.active = False
    person.deactivated_at = now
    # A leaver's web logins end now, not at their next request.
    end_sessions_of(session, person.id, now=now)
    withdrawn = withdraw_open_enrolments(
        session, person_id=person.id, actor_id=actor_id, now=now, reason=reason
    )
    record_change(
        session,
        actor_id=actor_id,
        entity_type="Person",
        entity_id=person.id,
        person_id=person.id,
        action=AuditAction.PERSON_DEACTIVATED,
        from_state="ACTIVE",
        to_state="INACTIVE",
        reason=reason,
        details={"source": source.value, "withdrawn_enrolments": withdrawn},
        at=now,
    )
    return withdrawn


def reactivate_person(
    session: Session, *, person: Person, actor_id: int | None, source: Source, now: datetime
) -> bool:
    """Active again (a returning employee); withdrawn places stay withdrawn."""
    if person.active and person.deprovisioned_at is None:
        return False
    person.active = True
    person.deactivated_at = None
    person.deprovisioned_at = None
    record_change(
        session,
        actor_id=actor_id,
        entity_type="Person",
        entity_id=person.id,
        person_id=person.id,
        action=AuditAction.PERSON_REACTIVATED,
        from_state="INACTIVE",
        to_state="ACTIVE",
        details={"source": source.value},
        at=now,
    )
    return True


def deprovision_person(
    session: Session, *, person: Person, actor_id: int | None, source: Source, now: datetime
) -> None:
    """The provisioning client removed the person: deactivated, and no longer its resource."""
    deactivate_person(
        session,
        person=person,
        reason=f"Fjernet af {source.value}-klienten (fratrådt).",
        actor_id=actor_id,
        source=source,
        now=now,
    )
    if person.deprovisioned_at is None:
        person.deprovisioned_at = now
        record_change(
            session,
            actor_id=actor_id,
            entity_type="Person",
            entity_id=person.id,
            person_id=person.id,
            action=AuditAction.PERSON_DEPROVISIONED,
            details={"source": source.value},
            at=now,
        )
