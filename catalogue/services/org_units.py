"""The organisation tree: creating, renaming and moving units, never into a loop.

A unit has a key (the HR system's code, upper case) and a name; moving a unit
below itself or one of its own descendants is refused with the path named.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import OrgUnit
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.people import org_unit_subtree_ids
from catalogue.services.validation import CODE_PATTERN, Checks

ORG_UNIT_NAME_MAX_LENGTH = 200


def org_unit_by_key(session: Session, key: str) -> OrgUnit | None:
    return session.scalar(select(OrgUnit).where(OrgUnit.key == key.strip().upper()))


def _clean_key(checks: Checks, key: str) -> str:
    cleaned = key.strip().upper()
    if not CODE_PATTERN.match(cleaned):
        checks.fail(
            "key",
            ErrorCode.INVALID,
            f"Enhedens kode {cleaned[:80]!r} må kun indeholde A-Z, 0-9, punktum og bindestreg "
            "(højst 64 tegn).",
        )
    return cleaned


def _parent(session: Session, parent_id: int | None) -> OrgUnit | None:
    if parent_id is None:
        return None
    parent = session.get(OrgUnit, parent_id)
    if parent is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Den overordnede enhed findes ikke.", field="parent")
    return parent


def create_org_unit(
    session: Session,
    *,
    key: str,
    name: str,
    parent_id: int | None,
    actor_id: int | None,
    source: str,
    now: datetime,
) -> OrgUnit:
    checks = Checks()
    cleaned_key = _clean_key(checks, key)
    cleaned_name = checks.text("name", name, label="Enhedens navn", max_length=200)
    checks.done()
    if org_unit_by_key(session, cleaned_key) is not None:
        raise DomainError(
            ErrorCode.DUPLICATE,
            f"Der findes allerede en enhed med koden {cleaned_key}.",
            field="key",
        )
    parent = _parent(session, parent_id)
    unit = OrgUnit(
        key=cleaned_key, name=cleaned_name or "", parent_id=parent.id if parent else None
    )
    session.add(unit)
    session.flush()
    record_change(
        session,
        actor_id=actor_id,
        entity_type="OrgUnit",
        entity_id=unit.id,
        action=AuditAction.ORG_UNIT_CREATED,
        to_state=unit.key,
        details={"source": source, "name": unit.name, "parent_id": unit.parent_id},
        at=now,
    )
    return unit


def rename_org_unit(
    session: Session, *, unit: OrgUnit, name: str, actor_id: int | None, source: str, now: datetime
) -> bool:
    checks = Checks()
    cleaned = checks.text("name", name, label="Enhedens navn", max_length=ORG_UNIT_NAME_MAX_LENGTH)
    checks.done()
    if cleaned == unit.name:
        return False
    old, unit.name = unit.name, cleaned or ""
    record_change(
        session,
        actor_id=actor_id,
        entity_type="OrgUnit",
        entity_id=unit.id,
        action=AuditAction.ORG_UNIT_RENAMED,
        details={"source": source, "from": old, "to": unit.name},
        at=now,
    )
    return True


def move_org_unit(
    session: Session,
    *,
    unit: OrgUnit,
    parent_id: int | None,
    actor_id: int | None,
    source: str,
    now: datetime,
) -> bool:
    """Put ``unit`` under ``parent_id`` (None: top level); refused below its own subtree."""
    if unit.parent_id == parent_id:
        return False
    parent = _parent(session, parent_id)
    if parent is not None and parent.id in org_unit_subtree_ids(session, unit.id):
        raise DomainError(
            ErrorCode.CYCLE,
            f"Enheden {unit.name} kan ikke flyttes ind under {parent.name}, som ligger under "
            "den selv: træet ville blive en løkke.",
            field="parent",
        )
    old, unit.parent_id = unit.parent_id, parent_id
    record_change(
        session,
        actor_id=actor_id,
        entity_type="OrgUnit",
        entity_id=unit.id,
        action=AuditAction.ORG_UNIT_MOVED,
        from_state=None if old is None else str(old),
        to_state=None if parent_id is None else str(parent_id),
        details={"source": source},
        at=now,
    )
    return True


def org_unit_for_department(session: Session, department: str) -> OrgUnit | None:
    """The unit a provider's department names: by code, else by a name only one unit has."""
    text = department.strip()
    if not text:
        return None
    by_key = org_unit_by_key(session, text)
    if by_key is not None:
        return by_key
    named = session.scalars(
        select(OrgUnit).where(func.lower(OrgUnit.name) == text.lower()).limit(2)
    ).all()
    return named[0] if len(named) == 1 else None
