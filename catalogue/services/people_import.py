"""Importing people and org units from an HR system's export, all or nothing.

A file is rows of: employee number, e-mail, name, title, org unit, manager, roles
(the header names them, in Danish or English, in any order). The org unit is a
path of ``CODE=Name`` segments from the top (``DIR=Direktionen/SKO=Center for
Skole``; a segment may be a bare code of a unit that exists); the manager is an
employee number or an e-mail, of someone in the file or already here; roles are
role names separated by commas (``LEADER, CHEF``).

The whole file is checked before anything is written: each problem names its row
and column, and one problem means nothing is written. Importing the same file
twice changes nothing. People the catalogue has from an earlier import (they have
an employee number) who are missing from the file are leavers: deactivated, their
open places withdrawn (``directory.deactivate_person``).

Rows are read twice, streamed, never held: once to check them and build a small
index (employee number -> e-mail and manager) that the manager and loop checks
need, once to write them. Memory grows with that index only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Person, Role
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.directory import (
    Source,
    create_person,
    deactivate_person,
    reactivate_person,
    update_person,
)
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.managers import set_manager
from catalogue.services.org_units import (
    create_org_unit,
    move_org_unit,
    org_unit_by_key,
    rename_org_unit,
)
from catalogue.services.people_rows import (
    ImportFileError,
    ImportRow,
    Problems,
    UnitSegment,
    read_rows,
)
from catalogue.services.person_fields import PersonFields

LEAVER_REASON = "Ikke længere i HR-systemets fil: fratrådt."


@dataclass
class ImportSummary:
    """What an import did, or in a dry run would do."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    units_created: list[str] = field(default_factory=list)
    units_changed: list[str] = field(default_factory=list)
    unchanged: int = 0

    def lines(self, *, dry_run: bool) -> list[str]:
        verb = "ville blive" if dry_run else "blev"
        out = [
            f"{len(self.created)} personer {verb} oprettet",
            f"{len(self.changed)} personer {verb} ændret",
            f"{len(self.deactivated)} personer {verb} deaktiveret (ikke i filen)",
            f"{len(self.units_created)} enheder {verb} oprettet, "
            f"{len(self.units_changed)} omdøbt eller flyttet",
            f"{self.unchanged} personer uændrede",
        ]
        for label, items in (
            ("opret", self.created),
            ("ændr", self.changed),
            ("deaktiver", self.deactivated),
            ("opret enhed", self.units_created),
            ("ændr enhed", self.units_changed),
        ):
            out.extend(f"  {label}: {item}" for item in items[:200])
        return out


RowSource = Callable[[], Iterator[list[str]]]


@dataclass
class _Index:
    """The little that the whole-file checks need, per employee number."""

    email_by_number: dict[str, str] = field(default_factory=dict)
    number_by_email: dict[str, str] = field(default_factory=dict)
    manager_by_number: dict[str, str] = field(default_factory=dict)
    row_by_number: dict[str, int] = field(default_factory=dict)
    unit_names: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


def _check(session: Session, source: RowSource) -> _Index:
    problems = Problems()
    index = _Index()
    for item in read_rows(source(), problems):
        number, email = item.fields.employee_number or "", item.fields.email
        if number in index.row_by_number:
            problems.add(
                item.row,
                "employee_number",
                f"{number!r} står også i række {index.row_by_number[number]}",
            )
            continue
        if email in index.number_by_email:
            other = index.row_by_number[index.number_by_email[email]]
            problems.add(item.row, "email", f"{email!r} står også i række {other}")
            continue
        index.row_by_number[number] = item.row
        index.email_by_number[number] = email
        index.number_by_email[email] = number
        if item.manager:
            index.manager_by_number[number] = item.manager
        parent: str | None = None
        for segment in item.units:
            name, known_parent = index.unit_names.get(segment.key, (None, None))
            if segment.name and name and name != segment.name:
                problems.add(item.row, "org_unit", f"{segment.key} hedder også {name!r} i filen")
            if segment.key in index.unit_names and known_parent != parent:
                problems.add(
                    item.row, "org_unit", f"{segment.key} ligger et andet sted i en anden række"
                )
            index.unit_names[segment.key] = (segment.name or name, parent)
            parent = segment.key
    for key, (name, _parent) in index.unit_names.items():
        if name is None and org_unit_by_key(session, key) is None:
            problems.add(
                1, "org_unit", f"enheden {key} findes ikke og har intet navn i filen (KODE=Navn)"
            )
    _check_managers(session, index, problems)
    _check_unique_against_stored(session, index, problems)
    problems.raise_if_any()
    return index


def _resolve(session: Session, index: _Index, key: str) -> str | None:
    """The employee number a manager key names (in the file first), or ``#id`` of a stored one."""
    if key in index.email_by_number:
        return key
    if key.lower() in index.number_by_email:
        return index.number_by_email[key.lower()]
    stored = session.scalar(
        select(Person.id).where(
            (Person.employee_number == key) | (Person.email == key.lower()),
            Person.active.is_(True),
        )
    )
    return f"#{stored}" if stored is not None else None


def _check_managers(session: Session, index: _Index, problems: Problems) -> None:
    resolved: dict[str, str] = {}
    for number, key in index.manager_by_number.items():
        target = _resolve(session, index, key)
        if target is None:
            problems.add(index.row_by_number[number], "manager", f"lederen {key!r} findes ikke")
        elif target == number:
            problems.add(index.row_by_number[number], "manager", "en person kan ikke lede sig selv")
        else:
            resolved[number] = target
    reported: set[str] = set()
    for start in resolved:
        seen = [start]
        current = resolved.get(start)
        while current is not None and not current.startswith("#"):
            if current in seen:
                loop = seen[seen.index(current) :]
                if not reported.intersection(loop):
                    chain = " → ".join([*loop, current])
                    problems.add(
                        index.row_by_number[current],
                        "manager",
                        f"lederkæden er en løkke ({chain})",
                    )
                reported.update(loop)
                break
            seen.append(current)
            current = resolved.get(current)
    index.manager_by_number = resolved


def _check_unique_against_stored(session: Session, index: _Index, problems: Problems) -> None:
    """An e-mail in the file that a stored person with another employee number holds."""
    emails = list(index.number_by_email)
    for start in range(0, len(emails), 1000):
        chunk = emails[start : start + 1000]
        for email, number in session.execute(
            select(Person.email, Person.employee_number).where(Person.email.in_(chunk))
        ):
            wanted = index.number_by_email[email]
            if number is not None and number != wanted:
                problems.add(
                    index.row_by_number[wanted],
                    "email",
                    f"{email!r} tilhører allerede medarbejdernummer {number}",
                )


def import_people(
    session: Session, source: RowSource, *, now: datetime, dry_run: bool = False
) -> ImportSummary:
    """Check the whole file, then write it in the caller's transaction (not for a dry run).

    A dry run writes too, inside a savepoint it rolls back, so it reports exactly
    what the import would do, rules included.
    """
    index = _check(session, source)
    if not dry_run:
        return _write(session, source, index, now)
    savepoint = session.begin_nested()
    try:
        return _write(session, source, index, now)
    finally:
        savepoint.rollback()


def _write(session: Session, source: RowSource, index: _Index, now: datetime) -> ImportSummary:
    summary = ImportSummary()
    by_number: dict[str, int] = {}
    for item in read_rows(source()):
        unit_id = _place_units(session, item.units, summary, now)
        by_number[item.fields.employee_number or ""] = _store(session, item, unit_id, summary, now)
    session.flush()
    # Managers the file removes go first, so a swap of places meets no stale link.
    for number, person_id in by_number.items():
        if number not in index.manager_by_number:
            person = session.get(Person, person_id)
            assert person is not None
            if person.manager_id is not None and set_manager(
                session, person=person, manager_id=None, actor_id=None, source="HR_FILE", now=now
            ):
                summary.changed.append(person.email)
    wanted = [
        (number, int(target[1:]) if target.startswith("#") else by_number[target])
        for number, target in index.manager_by_number.items()
    ]
    # A change may only look like a loop until a later row's change is made (two people
    # swapping places), so refused ones are tried again once the others are in.
    for attempt in range(2):
        deferred = []
        for number, manager_id in wanted:
            person = session.get(Person, by_number[number])
            assert person is not None
            try:
                if set_manager(
                    session,
                    person=person,
                    manager_id=manager_id,
                    actor_id=None,
                    source="HR_FILE",
                    now=now,
                ):
                    summary.changed.append(person.email)
            except DomainError as exc:
                if exc.code is not ErrorCode.CYCLE or attempt == 1:
                    row = index.row_by_number[number]
                    raise ImportFileError(
                        [DomainError(exc.code, f"række {row}, kolonne 'leder': {exc.message}")]
                    ) from exc
                deferred.append((number, manager_id))
        wanted = deferred
    leavers = session.scalars(
        select(Person)
        .where(
            Person.employee_number.is_not(None),
            Person.active.is_(True),
            Person.employee_number.not_in(list(by_number)) if by_number else Person.id.is_not(None),
        )
        .order_by(Person.id)
    ).all()
    for leaver in leavers:
        deactivate_person(
            session,
            person=leaver,
            reason=LEAVER_REASON,
            actor_id=None,
            source=Source.HR_FILE,
            now=now,
        )
        summary.deactivated.append(leaver.email)
    summary.changed = sorted(set(summary.changed) - set(summary.created))
    summary.unchanged = len(by_number) - len(summary.created) - len(summary.changed)
    return summary


def _place_units(
    session: Session, units: tuple[UnitSegment, ...], summary: ImportSummary, now: datetime
) -> int | None:
    """The path's units created, renamed and moved as the file says; the last one's id.

    The first segment's own parent is not the file's to say (a path may start below
    the top), so only the units after it are moved.
    """
    parent_id: int | None = None
    for position, segment in enumerate(units):
        unit = org_unit_by_key(session, segment.key)
        if unit is None:
            unit = create_org_unit(
                session,
                key=segment.key,
                name=segment.name or segment.key,
                parent_id=parent_id,
                actor_id=None,
                source=Source.HR_FILE.value,
                now=now,
            )
            summary.units_created.append(segment.key)
        else:
            changed = False
            if segment.name:
                changed |= rename_org_unit(
                    session, unit=unit, name=segment.name, actor_id=None, source="HR_FILE", now=now
                )
            if position > 0:
                changed |= move_org_unit(
                    session,
                    unit=unit,
                    parent_id=parent_id,
                    actor_id=None,
                    source="HR_FILE",
                    now=now,
                )
            if changed and segment.key not in summary.units_changed:
                summary.units_changed.append(segment.key)
        parent_id = unit.id
    return parent_id


def _store(
    session: Session, item: ImportRow, unit_id: int | None, summary: ImportSummary, now: datetime
) -> int:
    stored = session.scalar(
        select(Person).where(Person.employee_number == item.fields.employee_number)
    ) or session.scalar(select(Person).where(Person.email == item.fields.email))
    if stored is None:
        person = create_person(
            session,
            fields=_fields(item, unit_id, None),
            actor_id=None,
            source=Source.HR_FILE,
            now=now,
        )
        _set_roles(session, person, item.roles, now)
        summary.created.append(person.email)
        return person.id
    changed = update_person(
        session,
        person=stored,
        fields=_fields(item, unit_id, stored),
        actor_id=None,
        source=Source.HR_FILE,
        now=now,
    )
    if _set_roles(session, stored, item.roles, now):
        changed.append("roles")
    if reactivate_person(session, person=stored, actor_id=None, source=Source.HR_FILE, now=now):
        changed.append("active")
    if changed:
        summary.changed.append(stored.email)
    return stored.id


def _set_roles(
    session: Session, person: Person, roles: frozenset[Role] | None, now: datetime
) -> bool:
    if roles is None or person.roles == roles:
        return False
    before = person.roles
    person.set_roles(roles)
    record_change(
        session,
        actor_id=None,
        entity_type="Person",
        entity_id=person.id,
        person_id=person.id,
        action=AuditAction.PERSON_ROLES_CHANGED,
        from_state=",".join(sorted(before)) or None,
        to_state=",".join(sorted(roles)) or None,
        details={"source": Source.HR_FILE.value},
        at=now,
    )
    return True


def _fields(item: ImportRow, unit_id: int | None, stored: Person | None) -> PersonFields:
    """The file's fields; what the file does not hold (SCIM's) is kept as stored."""
    return PersonFields(
        email=item.fields.email,
        name=item.fields.name,
        title=item.fields.title,
        employee_number=item.fields.employee_number,
        org_unit_id=unit_id,
        user_name=stored.user_name if stored else None,
        external_id=stored.external_id if stored else None,
        department=stored.department if stored else "",
        provisioned_attributes=stored.provisioned_attributes if stored else {},
    )
