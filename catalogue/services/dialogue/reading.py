"""Which dialogues a viewer may list: the same rule as ``access.standing``, as SQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import aliased

from catalogue.models import Dialogue, DialogueCycle, Person, RoleProfile
from catalogue.services.capabilities import Capability
from catalogue.services.identity import Viewer


def dialogues_statement(viewer: Viewer, *, cycle_id: int | None = None) -> Select[Dialogue]:
    """The viewer's dialogues (as leader, chef, chef's chef or, where allowed, HR), newest first."""
    chef = aliased(Person)
    cycle = aliased(DialogueCycle)
    conditions: list[ColumnElement[bool]] = [false()]
    if viewer.can(Capability.DIALOGUE_TAKE_PART):
        conditions += [Dialogue.leader_id == viewer.person_id, Dialogue.chef_id == viewer.person_id]
    if viewer.can(Capability.DIALOGUE_OVERSEE):
        conditions.append(chef.manager_id == viewer.person_id)
    if viewer.can(Capability.DIALOGUE_READ_SINGLE):
        conditions.append(cycle.hr_may_read_dialogues.is_(True))
    statement = (
        select(Dialogue)
        .join(chef, chef.id == Dialogue.chef_id)
        .join(cycle, cycle.id == Dialogue.cycle_id)
        .where(or_(*conditions))
    )
    if cycle_id is not None:
        statement = statement.where(Dialogue.cycle_id == cycle_id)
    return statement.order_by(cycle.year.desc(), Dialogue.id.desc())


def cycles_statement() -> Select[DialogueCycle]:
    return select(DialogueCycle).order_by(DialogueCycle.year.desc(), DialogueCycle.id.desc())


def latest_dialogues_of(leader_ids: Sequence[int]) -> Select[Dialogue]:
    """The leaders' dialogues, newest cycle first."""
    return (
        select(Dialogue)
        .join(DialogueCycle, DialogueCycle.id == Dialogue.cycle_id)
        .where(Dialogue.leader_id.in_(leader_ids))
        .order_by(DialogueCycle.year.desc(), Dialogue.id.desc())
    )


def role_profiles_statement() -> Select[RoleProfile]:
    return select(RoleProfile).order_by(RoleProfile.name, RoleProfile.id)
