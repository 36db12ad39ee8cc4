"""People and the organisation tree they belong to."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, String, false, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.base import Base, Timestamped


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
