"""People and the organisation tree they belong to."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, String, event, false, or_
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
