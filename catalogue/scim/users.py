"""SCIM Users over the directory service: a Person read as a User, a User written as a Person.

- ``id`` is the person's id; ``userName`` their login name at the provider; the
  e-mail (how tokens find the person) is the primary address in ``emails``, else
  the work one, else the first.
- ``displayName`` is the person's name (else ``name.formatted``, else given and
  family name); the name parts and e-mail types are kept only to answer with them.
- The enterprise extension's ``employeeNumber``, ``department`` and ``manager``
  (a person's id) map to the same fields of the person; a department that names
  an org unit (by code or by name) places the person there.
- ``active: false`` is a leaver (``deactivate_person``: tokens refused, open
  places withdrawn); DELETE deprovisions; a POST for a deprovisioned person's
  userName or e-mail brings the same person back, history and all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scim2_models import (
    Context,
    Email,
    EnterpriseUser,
    GroupMembership,
    Manager,
    Meta,
    Name,
    PatchOp,
)
from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from catalogue.models import Person, RoleGroup, RoleGroupMember
from catalogue.scim.discovery import ScimUser
from catalogue.scim.errors import ScimError
from catalogue.scim.filters import Constant, Field, Related, Target, where
from catalogue.scim.requests import normalise_patch, normalise_resource, validate
from catalogue.services.directory import (
    Source,
    create_person,
    deactivate_person,
    deprovision_person,
    find_person,
    reactivate_person,
    update_person,
)
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.managers import set_manager
from catalogue.services.org_units import org_unit_for_department
from catalogue.services.person_fields import EMAIL_PATTERN, PersonFields
from catalogue.settings import Settings

ENTERPRISE = EnterpriseUser.to_schema().id
LEAVER_REASON = "Deaktiveret af identitetsudbyderen (SCIM): fratrådt."

USER_FIELDS: dict[str, Target] = {
    "id": Field(Person.id, "id"),
    "userName": Field(Person.user_name),
    "externalId": Field(Person.external_id, "exact"),
    "displayName": Field(Person.name),
    "title": Field(Person.title),
    "active": Field(Person.active, "boolean"),
    "emails": Field(Person.email),
    "emails.value": Field(Person.email),
    "emails.type": Constant("work"),
    "emails.primary": Constant(True),
    "employeeNumber": Field(Person.employee_number, "exact"),
    "department": Field(Person.department),
    "manager": Field(Person.manager_id, "id"),
    "manager.value": Field(Person.manager_id, "id"),
    "groups": Related(lambda v: _in_group(v)),
    "groups.value": Related(lambda v: _in_group(v)),
    "meta.created": Field(Person.created_at, "datetime"),
    "meta.lastModified": Field(Person.updated_at, "datetime"),
}


def _in_group(value: Any) -> Any:
    text = str(value)
    group_id = int(text) if text.isdigit() and len(text) < 18 else -1
    return exists().where(
        RoleGroupMember.person_id == Person.id, RoleGroupMember.group_id == group_id
    )


@dataclass(frozen=True)
class UserInput:
    """What a User body says, in the directory service's terms."""

    fields: PersonFields
    manager_id: int | None
    active: bool | None


def users_statement(filter_text: str | None) -> Select[Person]:
    """Provisioned people (not deprovisioned) matching the filter, in id order."""
    return (
        select(Person)
        .where(Person.deprovisioned_at.is_(None), where(filter_text, USER_FIELDS))
        .order_by(Person.id)
    )


def get_person(session: Session, user_id: str) -> Person:
    person = session.get(Person, int(user_id)) if user_id.isdigit() and len(user_id) < 18 else None
    if person is None or person.deprovisioned_at is not None:
        raise ScimError(404, f"Brugeren {user_id[:80]!r} findes ikke.")
    return person


def to_resource(session: Session, person: Person, base_url: str) -> ScimUser:
    return to_resources(session, [person], base_url)[0]


def to_resources(session: Session, people: list[Person], base_url: str) -> list[ScimUser]:
    """The people as SCIM Users; their groups read in one query for the whole page."""
    groups: dict[int, list[tuple[int, str]]] = {p.id: [] for p in people}
    for person_id, group_id, name in session.execute(
        select(RoleGroupMember.person_id, RoleGroup.id, RoleGroup.display_name)
        .join(RoleGroup, RoleGroup.id == RoleGroupMember.group_id)
        .where(RoleGroupMember.person_id.in_(list(groups)))
        .order_by(RoleGroup.id)
    ):
        groups[person_id].append((group_id, name))
    return [_user(person, groups[person.id], base_url) for person in people]


def _user(person: Person, groups: list[tuple[int, str]], base_url: str) -> ScimUser:
    stored = person.provisioned_attributes or {}
    emails = [Email.model_validate(e) for e in stored.get("emails") or []]
    if not any(e.value and e.value.lower() == person.email for e in emails):
        emails = [Email(value=person.email, type="work", primary=True)]
    user = ScimUser(
        id=str(person.id),
        external_id=person.external_id,
        user_name=person.user_name or person.email,
        display_name=person.name,
        name=Name.model_validate(stored["name"]) if stored.get("name") else None,
        title=person.title or None,
        active=person.active,
        emails=emails,
        groups=[
            GroupMembership(value=str(gid), display=name, ref=f"{base_url}/Groups/{gid}")
            for gid, name in groups
        ]
        or None,
        meta=Meta(
            resource_type="User",
            created=person.created_at,
            last_modified=person.updated_at,
            location=f"{base_url}/Users/{person.id}",
        ),
    )
    manager = person.manager_id
    extension = EnterpriseUser(
        employee_number=person.employee_number,
        department=person.department or None,
        manager=(
            Manager(value=str(manager), ref=f"{base_url}/Users/{manager}")
            if manager is not None
            else None
        ),
    )
    if extension.model_dump(exclude_none=True, exclude={"schemas"}):
        user[EnterpriseUser] = extension
    return user


def read_user(session: Session, settings: Settings, user: ScimUser) -> UserInput:
    """The directory's fields from a User; problems as DomainErrors naming the SCIM field."""
    if not user.user_name:
        raise DomainError(ErrorCode.REQUIRED, "userName skal udfyldes.", field="userName")
    emails = list(user.emails or [])
    chosen = (
        next((e for e in emails if e.primary and e.value), None)
        or next((e for e in emails if (e.type or "").lower() == "work" and e.value), None)
        or next((e for e in emails if e.value), None)
    )
    email = chosen.value if chosen else None
    if email is None and EMAIL_PATTERN.match(user.user_name):
        email = user.user_name
    if email is None:
        raise DomainError(
            ErrorCode.REQUIRED,
            "Brugeren skal have en e-mailadresse i emails (den, personen logger ind med).",
            field="emails",
        )
    name = user.name
    given = " ".join(p for p in (name.given_name, name.family_name) if p) if name else ""
    display = user.display_name or (name.formatted if name else None) or given or user.user_name
    extension = user[EnterpriseUser]
    department = (extension.department if extension else None) or ""
    unit = org_unit_for_department(session, department)
    if department and unit is None and settings.scim_require_known_department:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            f"Afdelingen {department[:80]!r} findes ikke som organisationsenhed (kode eller navn); "
            "opret den først, fx med HR-importen.",
            field="department",
        )
    manager_value = extension.manager.value if extension and extension.manager else None
    manager_id = None
    if manager_value:
        found = (
            session.get(Person, int(manager_value))
            if manager_value.isdigit() and len(manager_value) < 18
            else None
        )
        if found is None or found.deprovisioned_at is not None:
            raise DomainError(
                ErrorCode.NOT_FOUND,
                f"Lederen {manager_value[:80]!r} (manager.value) findes ikke som bruger her.",
                field="manager",
            )
        manager_id = found.id
    kept: dict[str, Any] = {"emails": [e.model_dump() for e in emails]}
    if name is not None and name.model_dump():
        kept["name"] = name.model_dump()
    return UserInput(
        fields=PersonFields(
            email=email,
            name=display,
            title=user.title or "",
            user_name=user.user_name,
            external_id=user.external_id,
            employee_number=extension.employee_number if extension else None,
            department=department,
            org_unit_id=unit.id if unit else None,
            provisioned_attributes=kept,
        ),
        manager_id=manager_id,
        active=user.active,
    )


def create(
    session: Session, settings: Settings, body: dict[str, Any], base_url: str, now: datetime
) -> Person:
    user = validate(ScimUser, normalise_resource(body, base_url), Context.RESOURCE_CREATION_REQUEST)
    given = read_user(session, settings, user)
    returning = find_person(session, user_name=given.fields.user_name, email=given.fields.email)
    if returning is not None and returning.deprovisioned_at is not None:
        reactivate_person(session, person=returning, actor_id=None, source=Source.SCIM, now=now)
        _apply(session, returning, given, now)
        return returning
    person = create_person(
        session,
        fields=given.fields,
        manager_id=given.manager_id,
        active=given.active is not False,
        actor_id=None,
        source=Source.SCIM,
        now=now,
    )
    return person


def _apply(session: Session, person: Person, given: UserInput, now: datetime) -> None:
    update_person(
        session, person=person, fields=given.fields, actor_id=None, source=Source.SCIM, now=now
    )
    set_manager(
        session,
        person=person,
        manager_id=given.manager_id,
        actor_id=None,
        source=Source.SCIM.value,
        now=now,
    )
    if given.active is False:
        deactivate_person(
            session, person=person, reason=LEAVER_REASON, actor_id=None, source=Source.SCIM, now=now
        )
    elif given.active is True:
        reactivate_person(session, person=person, actor_id=None, source=Source.SCIM, now=now)


def replace(
    session: Session,
    settings: Settings,
    person: Person,
    body: dict[str, Any],
    base_url: str,
    now: datetime,
) -> None:
    user = validate(
        ScimUser, normalise_resource(body, base_url), Context.RESOURCE_REPLACEMENT_REQUEST
    )
    _apply(session, person, read_user(session, settings, user), now)


def patch(
    session: Session,
    settings: Settings,
    person: Person,
    body: dict[str, Any],
    base_url: str,
    now: datetime,
) -> None:
    """Apply the PatchOp to the person as a User (scim2-models' PATCH rules), then store it."""
    operations = validate(
        PatchOp[ScimUser], normalise_patch(body, base_url), Context.RESOURCE_PATCH_REQUEST
    )
    user = to_resource(session, person, base_url)
    try:
        operations.patch(user)
    except ValueError as exc:
        raise ScimError(
            400, f"PATCH kan ikke udføres: {exc}", getattr(exc, "scim_type", None) or "invalidValue"
        ) from exc
    _apply(session, person, read_user(session, settings, user), now)


def delete(session: Session, person: Person, now: datetime) -> None:
    deprovision_person(session, person=person, actor_id=None, source=Source.SCIM, now=now)
