"""People and the organisation: who may see whom (docs/architecture.md §6)."""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from catalogue.models import OrgUnit, Person
from catalogue.services.capabilities import Capability
from catalogue.services.identity import Viewer

EVERYONE = None

#: Whoever holds one of these sees some personal data (at least their own); the rest none.
PERSONAL_DATA_READERS = (
    Capability.PEOPLE_READ_SELF,
    Capability.PEOPLE_READ_SUBTREE,
    Capability.PEOPLE_READ_ALL,
)


def subordinate_ids(session: Session, chef_id: int) -> set[int]:
    """Everyone below ``chef_id`` in the manager tree (reports, their reports, ...)."""
    tree = select(Person.id).where(Person.manager_id == chef_id).cte("tree", recursive=True)
    tree = tree.union_all(select(Person.id).join(tree, Person.manager_id == tree.c.id))
    return set(session.scalars(select(tree.c.id)))


def visible_person_ids(session: Session, viewer: Viewer | None) -> set[int] | None:
    """The people whose personal data the viewer may see; ``None`` means everyone."""
    if viewer is None:
        return set()
    if viewer.can(Capability.PEOPLE_READ_ALL):
        return EVERYONE
    visible: set[int] = set()
    if viewer.can(Capability.PEOPLE_READ_SELF):
        visible.add(viewer.person_id)
    if viewer.can(Capability.PEOPLE_READ_SUBTREE):
        visible |= subordinate_ids(session, viewer.person_id)
    return visible


def org_unit_subtree_ids(session: Session, org_unit_id: int) -> set[int]:
    tree = select(OrgUnit.id).where(OrgUnit.id == org_unit_id).cte("units", recursive=True)
    tree = tree.union_all(select(OrgUnit.id).join(tree, OrgUnit.parent_id == tree.c.id))
    return set(session.scalars(select(tree.c.id)))


def people_statement(
    session: Session,
    *,
    visible: set[int] | None,
    search: str | None,
    org_unit_id: int | None,
) -> Select[Person]:
    """People the viewer may list, by name then id, optionally searched and by unit subtree."""
    statement = select(Person).where(Person.active.is_(True)).order_by(Person.name, Person.id)
    if visible is not EVERYONE:
        statement = statement.where(Person.id.in_(visible))
    if search and search.strip():
        pattern = f"%{search.strip().lower()}%"
        statement = statement.where(
            or_(
                Person.name.ilike(pattern), Person.email.ilike(pattern), Person.title.ilike(pattern)
            )
        )
    if org_unit_id is not None:
        statement = statement.where(
            Person.org_unit_id.in_(org_unit_subtree_ids(session, org_unit_id))
        )
    return statement
