"""Role groups: the identity provider's groups, each granting at most one of our roles.

Which group grants which role is the municipality's mapping of group names to
roles (``CATALOGUE_SCIM_GROUP_ROLES``), looked up when a group is created or
renamed. Membership grants: joining a group that grants HR gives the person the
HR role; leaving it takes the role away unless another of their groups grants
it too. A group that maps to no role is kept and grants nothing, as the provider
may push any group assigned to the application.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalogue.models import Person, Role, RoleGroup, RoleGroupMember
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.validation import Checks

GROUP_NAME_MAX_LENGTH = 256


def role_for(mapping: Mapping[str, Role], display_name: str) -> Role | None:
    """The role a group name grants (the mapping compares names case-insensitively)."""
    wanted = display_name.casefold()
    for name, role in mapping.items():
        if name.casefold() == wanted:
            return role
    return None


def _clean_name(display_name: str) -> str:
    checks = Checks()
    cleaned = checks.text(
        "displayName", display_name, label="Gruppens navn", max_length=GROUP_NAME_MAX_LENGTH
    )
    checks.done()
    return cleaned or ""


def _check_name_free(session: Session, name: str, *, exclude_id: int | None) -> None:
    statement = select(RoleGroup.id).where(RoleGroup.display_name == name)
    if exclude_id is not None:
        statement = statement.where(RoleGroup.id != exclude_id)
    if session.scalar(statement) is not None:
        raise DomainError(
            ErrorCode.DUPLICATE,
            f"Der findes allerede en gruppe med navnet {name[:80]!r}.",
            field="displayName",
        )


def member_ids(session: Session, group_id: int) -> list[int]:
    return list(
        session.scalars(
            select(RoleGroupMember.person_id)
            .where(RoleGroupMember.group_id == group_id)
            .order_by(RoleGroupMember.person_id)
        )
    )


def create_group(
    session: Session,
    *,
    display_name: str,
    external_id: str | None,
    mapping: Mapping[str, Role],
    members: Iterable[int],
    actor_id: int | None,
    source: str,
    now: datetime,
) -> RoleGroup:
    name = _clean_name(display_name)
    _check_name_free(session, name, exclude_id=None)
    role = role_for(mapping, name)
    group = RoleGroup(display_name=name, external_id=external_id, role=role)
    session.add(group)
    session.flush()
    record_change(
        session,
        actor_id=actor_id,
        entity_type="RoleGroup",
        entity_id=group.id,
        action=AuditAction.ROLE_GROUP_CREATED,
        to_state=role,
        details={"source": source, "name": name},
        at=now,
    )
    set_members(session, group=group, person_ids=members, actor_id=actor_id, now=now)
    return group


def update_group(
    session: Session,
    *,
    group: RoleGroup,
    display_name: str,
    external_id: str | None,
    mapping: Mapping[str, Role],
    actor_id: int | None,
    source: str,
    now: datetime,
) -> None:
    """Rename (the role follows the new name) and set the external id."""
    name = _clean_name(display_name)
    if name == group.display_name and external_id == group.external_id:
        return
    _check_name_free(session, name, exclude_id=group.id)
    old_role = group.role
    group.display_name, group.external_id = name, external_id
    group.role = role_for(mapping, name)
    record_change(
        session,
        actor_id=actor_id,
        entity_type="RoleGroup",
        entity_id=group.id,
        action=AuditAction.ROLE_GROUP_UPDATED,
        from_state=old_role,
        to_state=group.role,
        details={"source": source, "name": name},
        at=now,
    )
    if old_role != group.role:
        _recompute_roles(
            session,
            member_ids(session, group.id),
            actor_id=actor_id,
            now=now,
            released=[old_role],
        )


def _known_people(session: Session, person_ids: Iterable[int]) -> set[int]:
    wanted = set(person_ids)
    if not wanted:
        return set()
    found = set(
        session.scalars(
            select(Person.id).where(Person.id.in_(wanted), Person.deprovisioned_at.is_(None))
        )
    )
    missing = wanted - found
    if missing:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            f"Gruppens medlemmer findes ikke i kataloget: {', '.join(map(str, sorted(missing)))}.",
            field="members",
        )
    return found


def set_members(
    session: Session,
    *,
    group: RoleGroup,
    person_ids: Iterable[int],
    actor_id: int | None,
    now: datetime,
) -> None:
    """Exactly these members (unknown people refused before anything changes)."""
    wanted = _known_people(session, person_ids)
    current = set(member_ids(session, group.id))
    change_members(
        session,
        group=group,
        add=wanted - current,
        remove=current - wanted,
        actor_id=actor_id,
        now=now,
    )


def change_members(
    session: Session,
    *,
    group: RoleGroup,
    add: Iterable[int] = (),
    remove: Iterable[int] = (),
    actor_id: int | None,
    now: datetime,
) -> None:
    to_add = _known_people(session, add) - set(member_ids(session, group.id))
    to_remove = set(remove)
    for person_id in sorted(to_add):
        session.add(RoleGroupMember(group_id=group.id, person_id=person_id))
    if to_remove:
        session.execute(
            delete(RoleGroupMember).where(
                RoleGroupMember.group_id == group.id, RoleGroupMember.person_id.in_(to_remove)
            )
        )
    session.flush()
    if group.role is not None:
        _recompute_roles(session, to_add | to_remove, actor_id=actor_id, now=now)


def delete_group(
    session: Session, *, group: RoleGroup, actor_id: int | None, source: str, now: datetime
) -> None:
    members = member_ids(session, group.id)
    record_change(
        session,
        actor_id=actor_id,
        entity_type="RoleGroup",
        entity_id=group.id,
        action=AuditAction.ROLE_GROUP_DELETED,
        from_state=group.role,
        details={"source": source, "name": group.display_name},
        at=now,
    )
    session.delete(group)
    session.flush()
    _recompute_roles(session, members, actor_id=actor_id, now=now, released=[group.role])


def _recompute_roles(
    session: Session,
    person_ids: Iterable[int],
    *,
    actor_id: int | None,
    now: datetime,
    released: Iterable[str | None] = (),
) -> None:
    """Each person's group-granted roles made to match their groups' roles now.

    Only roles some group grants are managed by groups; a role no group maps to
    (given by an HR file or the seed) is left as it is. ``released``: roles a
    group granted until this change (renamed or deleted), taken away too.
    """
    ids = sorted(set(person_ids))
    if not ids:
        return
    managed = {Role(r) for r in session.scalars(select(RoleGroup.role).distinct()) if r}
    managed |= {Role(r) for r in released if r}
    granted: dict[int, set[Role]] = {person_id: set() for person_id in ids}
    for person_id, role in session.execute(
        select(RoleGroupMember.person_id, RoleGroup.role)
        .join(RoleGroup, RoleGroup.id == RoleGroupMember.group_id)
        .where(RoleGroupMember.person_id.in_(ids), RoleGroup.role.is_not(None))
    ):
        if role is not None:
            granted[person_id].add(Role(role))
    for person in session.scalars(select(Person).where(Person.id.in_(ids)).order_by(Person.id)):
        before = person.roles
        after = (before - managed) | granted[person.id]
        if after != before:
            person.set_roles(after)
            record_change(
                session,
                actor_id=actor_id,
                entity_type="Person",
                entity_id=person.id,
                person_id=person.id,
                action=AuditAction.PERSON_ROLES_CHANGED,
                from_state=",".join(sorted(before)) or None,
                to_state=",".join(sorted(after)) or None,
                details={"source": "ROLE_GROUPS"},
                at=now,
            )
