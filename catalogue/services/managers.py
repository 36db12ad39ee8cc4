"""Who manages whom, with history: a change closes one period and opens the next.

``Person.manager_id`` is the current manager, the one visibility and approval
follow (``services/people.py``); ``ManagerPeriod`` rows say who it was from when
to when, so "who was this leader's chef on 1 March" has an answer after a move,
and the new chef's view starts at the change. A change that would make the
manager tree a loop (A manages B manages A) is refused with the chain named.

Manager changes are serialised on PostgreSQL by one transaction-level advisory
lock: two concurrent changes (A under B, B under A) each see no loop on their
own, so the second must see the first's result. SQLite serialises writers anyway.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, text, update
from sqlalchemy.orm import Session

from catalogue.models import ManagerPeriod, Person
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.dialogue.reassign import reassign_open_dialogues
from catalogue.services.errors import DomainError, ErrorCode

#: The advisory lock key of manager-tree changes (any constant shared by all writers).
MANAGER_TREE_LOCK = 7_140_601


def lock_manager_tree(session: Session) -> None:
    """Hold the manager-tree lock until the transaction ends (PostgreSQL; no-op on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MANAGER_TREE_LOCK})


def managers_above(session: Session, person_id: int) -> list[int]:
    """The chain of managers above ``person_id``, nearest first (stops at a repeat)."""
    chain: list[int] = []
    current = session.scalar(select(Person.manager_id).where(Person.id == person_id))
    while current is not None and current not in chain and current != person_id:
        chain.append(current)
        current = session.scalar(select(Person.manager_id).where(Person.id == current))
    return chain


def _describe(session: Session, ids: list[int]) -> str:
    names = dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all())
    return " → ".join(names.get(i, str(i)) for i in ids)


def set_manager(
    session: Session,
    *,
    person: Person,
    manager_id: int | None,
    actor_id: int | None,
    source: str,
    now: datetime,
    field: str = "manager",
) -> bool:
    """Make ``manager_id`` the person's manager from ``now``; False when it already is."""
    if person.manager_id == manager_id:
        return False
    lock_manager_tree(session)
    if manager_id is not None:
        if manager_id == person.id:
            raise DomainError(
                ErrorCode.CYCLE, f"{person.name} kan ikke være sin egen leder.", field=field
            )
        manager = session.get(Person, manager_id)
        if manager is None or manager.deprovisioned_at is not None:
            raise DomainError(ErrorCode.NOT_FOUND, "Lederen findes ikke i kataloget.", field=field)
        chain = managers_above(session, manager_id)
        if person.id in chain:
            loop = [person.id, manager_id, *chain[: chain.index(person.id) + 1]]
            raise DomainError(
                ErrorCode.CYCLE,
                f"{manager.name} kan ikke blive leder for {person.name}: lederkæden ville "
                f"blive en løkke ({_describe(session, loop)}).",
                field=field,
            )
    old = person.manager_id
    session.execute(
        update(ManagerPeriod)
        .where(ManagerPeriod.person_id == person.id, ManagerPeriod.valid_to.is_(None))
        .values(valid_to=now)
    )
    if manager_id is not None:
        session.add(ManagerPeriod(person_id=person.id, manager_id=manager_id, valid_from=now))
    person.manager_id = manager_id
    # The person's open dialogues (LUS) go to the new chef; closed ones stay with the old.
    reassign_open_dialogues(session, person.id, manager_id, actor_id, now=now)
    record_change(
        session,
        actor_id=actor_id,
        entity_type="Person",
        entity_id=person.id,
        person_id=person.id,
        action=AuditAction.PERSON_MANAGER_CHANGED,
        from_state=None if old is None else str(old),
        to_state=None if manager_id is None else str(manager_id),
        details={"source": source},
        at=now,
    )
    return True


def manager_at(session: Session, person_id: int, at: datetime) -> int | None:
    """Who managed ``person_id`` at ``at`` (None: nobody, or before the history begins)."""
    return session.scalar(
        select(ManagerPeriod.manager_id)
        .where(
            ManagerPeriod.person_id == person_id,
            ManagerPeriod.valid_from <= at,
            or_(ManagerPeriod.valid_to.is_(None), ManagerPeriod.valid_to > at),
        )
        .order_by(ManagerPeriod.valid_from.desc())
        .limit(1)
    )


def managed_since(session: Session, *, manager_id: int, person_id: int) -> datetime | None:
    """Since when ``manager_id`` has managed ``person_id`` without a break (None: not now)."""
    return session.scalar(
        select(ManagerPeriod.valid_from).where(
            and_(
                ManagerPeriod.person_id == person_id,
                ManagerPeriod.manager_id == manager_id,
                ManagerPeriod.valid_to.is_(None),
            )
        )
    )
