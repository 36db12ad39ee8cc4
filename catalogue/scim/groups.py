"""SCIM Groups over the role-group service: a group's members hold the role its name maps to.

``CATALOGUE_SCIM_GROUP_ROLES`` maps group names to roles; a group with another
name is stored and grants nothing. Members are people by their SCIM id; an id
that is no person here is refused (400) before anything changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scim2_models import Context, Group, GroupMember, Meta, PatchOp
from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from catalogue.models import RoleGroup, RoleGroupMember
from catalogue.scim.errors import ScimError
from catalogue.scim.filters import Field, Related, Target, where
from catalogue.scim.requests import drop_empty_foreign_schemas, normalise_patch, validate
from catalogue.services.directory import Source
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.role_groups import create_group, delete_group, set_members, update_group
from catalogue.settings import Settings


def _has_member(value: Any) -> Any:
    text = str(value)
    person_id = int(text) if text.isdigit() and len(text) < 18 else -1
    return exists().where(
        RoleGroupMember.group_id == RoleGroup.id, RoleGroupMember.person_id == person_id
    )


GROUP_FIELDS: dict[str, Target] = {
    "id": Field(RoleGroup.id, "id"),
    "displayName": Field(RoleGroup.display_name),
    "externalId": Field(RoleGroup.external_id, "exact"),
    "members": Related(_has_member),
    "members.value": Related(_has_member),
    "meta.created": Field(RoleGroup.created_at, "datetime"),
    "meta.lastModified": Field(RoleGroup.updated_at, "datetime"),
}


def groups_statement(filter_text: str | None) -> Select[RoleGroup]:
    return select(RoleGroup).where(where(filter_text, GROUP_FIELDS)).order_by(RoleGroup.id)


def get_group(session: Session, group_id: str) -> RoleGroup:
    group = (
        session.get(RoleGroup, int(group_id)) if group_id.isdigit() and len(group_id) < 18 else None
    )
    if group is None:
        raise ScimError(404, f"Gruppen {group_id[:80]!r} findes ikke.")
    return group


def to_resource(session: Session, group: RoleGroup, base_url: str) -> Group:
    return to_resources(session, [group], base_url)[0]


def to_resources(session: Session, stored: list[RoleGroup], base_url: str) -> list[Group]:
    """The groups as SCIM Groups; their members read in one query for the whole page."""
    members: dict[int, list[int]] = {g.id: [] for g in stored}
    for group_id, person_id in session.execute(
        select(RoleGroupMember.group_id, RoleGroupMember.person_id)
        .where(RoleGroupMember.group_id.in_(list(members)))
        .order_by(RoleGroupMember.person_id)
    ):
        members[group_id].append(person_id)
    return [
        Group(
            id=str(group.id),
            external_id=group.external_id,
            display_name=group.display_name,
            members=[
                GroupMember(value=str(pid), ref=f"{base_url}/Users/{pid}")
                for pid in members[group.id]
            ]
            or None,
            meta=Meta(
                resource_type="Group",
                created=group.created_at,
                last_modified=group.updated_at,
                location=f"{base_url}/Groups/{group.id}",
            ),
        )
        for group in stored
    ]


def _member_ids(group: Group) -> list[int]:
    ids = []
    for member in group.members or []:
        value = member.value or ""
        if not (value.isdigit() and len(value) < 18):
            raise DomainError(
                ErrorCode.NOT_FOUND,
                f"Medlemmet {value[:80]!r} findes ikke som bruger her.",
                field="members",
            )
        ids.append(int(value))
    return ids


def create(session: Session, settings: Settings, body: dict[str, Any], now: datetime) -> RoleGroup:
    group = validate(Group, drop_empty_foreign_schemas(body), Context.RESOURCE_CREATION_REQUEST)
    return create_group(
        session,
        display_name=group.display_name or "",
        external_id=group.external_id,
        mapping=settings.scim_group_roles,
        members=_member_ids(group),
        actor_id=None,
        source=Source.SCIM.value,
        now=now,
    )


def _store(
    session: Session, settings: Settings, stored: RoleGroup, group: Group, now: datetime
) -> None:
    update_group(
        session,
        group=stored,
        display_name=group.display_name or "",
        external_id=group.external_id,
        mapping=settings.scim_group_roles,
        actor_id=None,
        source=Source.SCIM.value,
        now=now,
    )
    set_members(session, group=stored, person_ids=_member_ids(group), actor_id=None, now=now)


def replace(
    session: Session, settings: Settings, stored: RoleGroup, body: dict[str, Any], now: datetime
) -> None:
    _store(
        session,
        settings,
        stored,
        validate(Group, drop_empty_foreign_schemas(body), Context.RESOURCE_REPLACEMENT_REQUEST),
        now,
    )


def patch(
    session: Session,
    settings: Settings,
    stored: RoleGroup,
    body: dict[str, Any],
    base_url: str,
    now: datetime,
) -> None:
    operations = validate(
        PatchOp[Group], normalise_patch(body, base_url), Context.RESOURCE_PATCH_REQUEST
    )
    group = to_resource(session, stored, base_url)
    try:
        operations.patch(group)
    except ValueError as exc:
        raise ScimError(
            400, f"PATCH kan ikke udføres: {exc}", getattr(exc, "scim_type", None) or "invalidValue"
        ) from exc
    _store(session, settings, stored, group, now)


def delete(session: Session, stored: RoleGroup, now: datetime) -> None:
    delete_group(session, group=stored, actor_id=None, source=Source.SCIM.value, now=now)
