"""People and the organisation tree they belong to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    event,
    false,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.base import Base, Timestamped, utcnow


class Role(StrEnum):
    """A role a person holds, stored as the flag column ``role_flag(role)`` on Person.

    What a role may do is its entry in catalogue.services.capabilities; a new role is
    a member here, its flag column below, that entry and a migration adding the column.
    """

    LEADER = "LEADER"
    CHEF = "CHEF"
    HR = "HR"
    LMS = "LMS"
    ADMIN = "ADMIN"


def role_flag(role: Role) -> str:
    """The boolean column of Person that says whether a person holds ``role``."""
    return f"is_{role.value.lower()}"


class OrgUnit(Timestamped, Base):
    """A unit of the municipality (centre, område, institution); a tree by ``parent_id``."""

    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])


class Person(Timestamped, Base):
    """A leader, chef, HR person, administrator or service account; roles are flags."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("manager_id IS NULL OR manager_id <> id", name="not_own_manager"),
        CheckConstraint("length(email) > 3", name="email_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    lms_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    is_leader: Mapped[bool] = mapped_column(default=False)
    is_chef: Mapped[bool] = mapped_column(default=False)
    is_hr: Mapped[bool] = mapped_column(default=False)
    is_lms: Mapped[bool] = mapped_column(default=False)
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    #: When ``active`` last became false: the leaver's retention period counts from here.
    deactivated_at: Mapped[datetime | None] = mapped_column(index=True)
    #: When the person's data was erased (GDPR); the row stays, anonymised, for the figures.
    erased_at: Mapped[datetime | None]
    #: The HR system's number for the person; unique, the key an HR file matches on.
    employee_number: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: The login name the provisioning client (SCIM ``userName``) knows; lower case.
    user_name: Mapped[str | None] = mapped_column(String(320), unique=True)
    #: The provisioning client's own id for the person (SCIM ``externalId``).
    external_id: Mapped[str | None] = mapped_column(String(200), index=True)
    #: The department as the identity provider names it (may or may not be an org unit).
    department: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: Removed by the provisioning client (SCIM DELETE): inactive and no longer listed there.
    deprovisioned_at: Mapped[datetime | None] = mapped_column(default=None)
    #: Attributes a provisioning client sent that the catalogue keeps only to answer with
    #: them (SCIM name parts, e-mail types); never a rule's input.
    provisioned_attributes: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict, server_default="{}"
    )

    org_unit: Mapped[OrgUnit | None] = relationship()
    manager: Mapped[Person | None] = relationship(remote_side=[id])

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(role for role in Role if getattr(self, role_flag(role)))

    def set_roles(self, roles: frozenset[Role] | set[Role]) -> None:
        for role in Role:
            setattr(self, role_flag(role), role in roles)

    @classmethod
    def holds_any(cls, roles: Iterable[Role]) -> ColumnElement[bool]:
        """SQL: the person holds at least one of ``roles`` (false for none)."""
        return or_(false(), *(getattr(cls, role_flag(role)).is_(True) for role in roles))


@event.listens_for(Person.active, "set")
def _stamp_deactivation(target: Person, value: bool, oldvalue: object, _initiator: object) -> None:
    """Every way of deactivating a person (SCIM, the HR file, erasure) starts the retention clock.

    Kept on the model so no writer can forget it; reactivating stops the clock.
    """
    if value is False and oldvalue is not False and target.deactivated_at is None:
        target.deactivated_at = utcnow()
    elif value is True:
        target.deactivated_at = None


class ManagerPeriod(Base):
    """Who managed a person from when to when; the open period is the current manager.

    ``Person.manager_id`` stays the current manager (what visibility follows); this
    history answers who was the chef at a given time, so an approval or a dialogue
    of the past stays with the chef of that time.
    """

    __tablename__ = "manager_period"
    __table_args__ = (
        Index("ix_manager_period_person_from", "person_id", "valid_from"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime | None] = mapped_column(default=None)


class RoleGroup(Timestamped, Base):
    """A group the identity provider provisions (SCIM Group); it may grant one role.

    Membership is what grants: a person holds a role a group grants while a member.
    A group whose name maps to no role is kept (the provider may send any group)
    and grants nothing.
    """

    __tablename__ = "role_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(256), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(200), index=True)
    role: Mapped[str | None] = mapped_column(String(20))


class RoleGroupMember(Base):
    __tablename__ = "role_group_member"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("role_group.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )
