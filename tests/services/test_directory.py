"""The people directory: joining, moving, managers with history, leavers, role groups."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import AuditLogEntry, EnrolmentStatus, ManagerPeriod, OrgUnit, Person, Role
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction
from catalogue.services.directory import (
    Source,
    create_person,
    deactivate_person,
    reactivate_person,
    update_person,
)
from catalogue.services.errors import DomainError, DomainValidationError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.managers import manager_at, set_manager
from catalogue.services.org_units import create_org_unit, move_org_unit, rename_org_unit
from catalogue.services.people import visible_person_ids
from catalogue.services.person_fields import PersonFields
from catalogue.services.role_groups import change_members, create_group, delete_group
from catalogue.services.tokens import AuthenticationError, mint_token, viewer_from_token
from catalogue.settings import Settings
from tests.enrolment.factories import make_run, stored_enrolment

SCIM = Source.SCIM


def fields(name: str = "Ida Dam", **overrides: object) -> PersonFields:
    tag = uuid.uuid4().hex[:8]
    values: dict[str, object] = {"email": f"ida.{tag}@ltk.example", "name": f"{name} {tag}"}
    values.update(overrides)
    return PersonFields(**values)  # type: ignore[arg-type]


def person(session: Session, name: str = "Ida Dam", **overrides: object) -> Person:
    return create_person(
        session, fields=fields(name, **overrides), actor_id=None, source=SCIM, now=utcnow()
    )


def people_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Person)) or 0


def test_a_new_person_is_stored_in_lower_case_and_audited(session: Session) -> None:
    created = person(session, email="Ida.Dam.NEW@LTK.example", employee_number="1001")
    assert created.email == "ida.dam.new@ltk.example"
    assert created.active
    assert created.roles == frozenset()
    actions = session.scalars(
        select(AuditLogEntry.action).where(AuditLogEntry.person_id == created.id)
    ).all()
    assert actions == [AuditAction.PERSON_CREATED.value]


def test_a_duplicate_email_in_other_case_is_refused_and_nothing_is_written(
    session: Session,
) -> None:
    first = person(session)
    before = people_count(session)
    with pytest.raises(DomainError) as caught:
        person(session, email=first.email.upper())
    assert caught.value.code is ErrorCode.DUPLICATE
    assert caught.value.field == "email"
    assert "e-mailadressen" in caught.value.message
    assert people_count(session) == before


def test_a_duplicate_employee_number_names_its_field(session: Session) -> None:
    person(session, employee_number="E-77")
    with pytest.raises(DomainError) as caught:
        person(session, employee_number="E-77")
    assert (caught.value.code, caught.value.field) == (ErrorCode.DUPLICATE, "employeeNumber")


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"name": "Ida\x00Dam"}, "name", ErrorCode.INVALID),
        ({"name": "x" * 100_000}, "name", ErrorCode.TOO_LONG),
        ({"name": "   "}, "name", ErrorCode.REQUIRED),
        ({"email": "ikke-en-adresse"}, "email", ErrorCode.INVALID),
        ({"email": "a@b.dk\x1b[31m"}, "email", ErrorCode.INVALID),
        ({"employee_number": "1\u202e2"}, "employeeNumber", ErrorCode.INVALID),
    ],
)
def test_bad_fields_are_refused_with_the_field_named(
    session: Session, overrides: dict[str, object], field: str, code: ErrorCode
) -> None:
    before = people_count(session)
    with pytest.raises(DomainError) as caught:
        create_person(
            session,
            fields=PersonFields(
                **{"email": "ok.person@ltk.example", "name": "Ok Person", **overrides}  # type: ignore[arg-type]
            ),
            actor_id=None,
            source=SCIM,
            now=utcnow(),
        )
    errors = (
        caught.value.errors if isinstance(caught.value, DomainValidationError) else [caught.value]
    )
    assert [(e.field, e.code) for e in errors] == [(field, code)]
    assert people_count(session) == before


def test_an_unknown_org_unit_is_refused(session: Session) -> None:
    with pytest.raises(DomainError) as caught:
        person(session, org_unit_id=10_000_000)
    assert (caught.value.code, caught.value.field) == (ErrorCode.NOT_FOUND, "orgUnit")


def test_updating_stores_only_what_changed(session: Session) -> None:
    created = person(session, title="Leder")
    same = PersonFields(email=created.email, name=created.name, title="Leder")
    assert (
        update_person(
            session, person=created, fields=same, actor_id=None, source=SCIM, now=utcnow()
        )
        == []
    )
    changed = update_person(
        session,
        person=created,
        fields=PersonFields(email=created.email, name=created.name, title="Områdeleder"),
        actor_id=None,
        source=SCIM,
        now=utcnow(),
    )
    assert changed == ["title"]
    assert created.title == "Områdeleder"


def test_a_manager_loop_is_refused_with_the_chain_named(session: Session) -> None:
    a, b, c = person(session, "Anna"), person(session, "Bent"), person(session, "Carl")
    now = utcnow()
    set_manager(session, person=b, manager_id=a.id, actor_id=None, source="SCIM", now=now)
    set_manager(session, person=c, manager_id=b.id, actor_id=None, source="SCIM", now=now)
    with pytest.raises(DomainError) as caught:
        set_manager(session, person=a, manager_id=c.id, actor_id=None, source="SCIM", now=now)
    assert caught.value.code is ErrorCode.CYCLE
    assert "løkke" in caught.value.message
    assert a.name in caught.value.message
    assert a.manager_id is None
    with pytest.raises(DomainError) as own:
        set_manager(session, person=a, manager_id=a.id, actor_id=None, source="SCIM", now=now)
    assert own.value.code is ErrorCode.CYCLE
    # Two people: A manages B, so B cannot manage A.
    with pytest.raises(DomainError):
        set_manager(session, person=a, manager_id=b.id, actor_id=None, source="SCIM", now=now)


def test_a_new_manager_keeps_the_history_and_the_new_chef_sees_the_person(
    session: Session,
) -> None:
    old_chef, new_chef, leader = person(session, "Gammel"), person(session, "Ny"), person(session)
    for chef in (old_chef, new_chef):
        chef.set_roles({Role.CHEF})
    start = utcnow() - timedelta(days=100)
    set_manager(
        session, person=leader, manager_id=old_chef.id, actor_id=None, source="SCIM", now=start
    )
    moved = utcnow()
    assert set_manager(
        session, person=leader, manager_id=new_chef.id, actor_id=None, source="SCIM", now=moved
    )
    assert manager_at(session, leader.id, start + timedelta(days=1)) == old_chef.id
    assert manager_at(session, leader.id, moved + timedelta(seconds=1)) == new_chef.id
    periods = session.scalars(
        select(ManagerPeriod).where(ManagerPeriod.person_id == leader.id).order_by(ManagerPeriod.id)
    ).all()
    assert [(p.manager_id, p.valid_to is None) for p in periods] == [
        (old_chef.id, False),
        (new_chef.id, True),
    ]

    def sees(chef: Person) -> bool:
        seen = visible_person_ids(
            session, Viewer(person_id=chef.id, email=chef.email, roles=frozenset({Role.CHEF}))
        )
        return seen is not None and leader.id in seen

    assert sees(new_chef)
    assert not sees(old_chef)
    assert not set_manager(
        session, person=leader, manager_id=new_chef.id, actor_id=None, source="SCIM", now=utcnow()
    )


def test_org_units_are_created_renamed_and_never_moved_below_themselves(session: Session) -> None:
    now = utcnow()
    top = create_org_unit(
        session, key="t-top", name="Top", parent_id=None, actor_id=None, source="HR_FILE", now=now
    )
    child = create_org_unit(
        session,
        key="T-CHILD",
        name="Barn",
        parent_id=top.id,
        actor_id=None,
        source="HR_FILE",
        now=now,
    )
    assert top.key == "T-TOP"
    with pytest.raises(DomainError) as duplicate:
        create_org_unit(
            session,
            key="t-top",
            name="Igen",
            parent_id=None,
            actor_id=None,
            source="HR_FILE",
            now=now,
        )
    assert duplicate.value.code is ErrorCode.DUPLICATE
    with pytest.raises(DomainError) as loop:
        move_org_unit(
            session, unit=top, parent_id=child.id, actor_id=None, source="HR_FILE", now=now
        )
    assert loop.value.code is ErrorCode.CYCLE
    with pytest.raises(DomainError) as itself:
        move_org_unit(session, unit=top, parent_id=top.id, actor_id=None, source="HR_FILE", now=now)
    assert itself.value.code is ErrorCode.CYCLE
    assert top.parent_id is None
    assert rename_org_unit(
        session, unit=child, name="Børn og unge", actor_id=None, source="HR_FILE", now=now
    )
    assert move_org_unit(
        session, unit=child, parent_id=None, actor_id=None, source="HR_FILE", now=now
    )
    with pytest.raises(DomainError) as unknown:
        move_org_unit(
            session, unit=child, parent_id=10_000_000, actor_id=None, source="HR_FILE", now=now
        )
    assert unknown.value.code is ErrorCode.NOT_FOUND
    assert session.get(OrgUnit, child.id) is child
    assert child.name == "Børn og unge"


def test_a_leaver_gives_up_open_places_and_the_waiting_list_moves_up(session: Session) -> None:
    leaver, waiting = person(session, "Går"), person(session, "Venter")
    full = make_run(session, capacity=1)
    place = stored_enrolment(session, full, leaver, EnrolmentStatus.ENROLLED)
    queued = stored_enrolment(session, full, waiting, EnrolmentStatus.WAITLISTED)
    past = make_run(session, starts_in=timedelta(days=-30))
    finished = stored_enrolment(session, past, leaver, EnrolmentStatus.IN_PROGRESS)

    withdrawn = deactivate_person(
        session,
        person=leaver,
        reason="Fratrådt 1. marts.",
        actor_id=None,
        source=SCIM,
        now=utcnow(),
    )
    assert withdrawn == [place.id]
    assert place.status is EnrolmentStatus.WITHDRAWN
    session.refresh(queued)
    assert queued.status is EnrolmentStatus.ENROLLED
    assert finished.status is EnrolmentStatus.IN_PROGRESS
    assert not leaver.active
    assert leaver.deactivated_at is not None
    entry = session.scalars(
        select(AuditLogEntry).where(
            AuditLogEntry.person_id == leaver.id,
            AuditLogEntry.action == AuditAction.PERSON_DEACTIVATED.value,
        )
    ).one()
    assert entry.reason == "Fratrådt 1. marts."
    assert entry.details["withdrawn_enrolments"] == [place.id]
    withdrawal = session.scalars(
        select(AuditLogEntry).where(
            AuditLogEntry.entity_type == "Enrolment",
            AuditLogEntry.entity_id == place.id,
            AuditLogEntry.action == AuditAction.ENROLMENT_WITHDRAWN.value,
        )
    ).one()
    assert withdrawal.reason == "Fratrådt 1. marts."
    # The same deactivation again changes nothing.
    assert (
        deactivate_person(
            session, person=leaver, reason="igen", actor_id=None, source=SCIM, now=utcnow()
        )
        == []
    )


def test_a_deactivated_persons_token_is_refused_and_works_again_after_reactivation(
    session: Session, settings: Settings
) -> None:
    leaver = person(session)
    leaver.set_roles({Role.LEADER})
    token = mint_token(settings, person=leaver, roles={Role.LEADER}, expires_in=timedelta(hours=1))
    assert viewer_from_token(session, settings, token).person_id == leaver.id
    deactivate_person(
        session, person=leaver, reason="Fratrådt.", actor_id=None, source=SCIM, now=utcnow()
    )
    with pytest.raises(AuthenticationError):
        viewer_from_token(session, settings, token)
    assert reactivate_person(session, person=leaver, actor_id=None, source=SCIM, now=utcnow())
    assert viewer_from_token(session, settings, token).person_id == leaver.id


def test_role_groups_grant_roles_while_the_person_is_a_member(session: Session) -> None:
    member = person(session)
    now = utcnow()
    mapping = {"LTK HR": Role.HR, "LTK HR Nord": Role.HR}
    hr = create_group(
        session,
        display_name="ltk hr",
        external_id=None,
        mapping=mapping,
        members=[member.id],
        actor_id=None,
        source="SCIM",
        now=now,
    )
    nord = create_group(
        session,
        display_name="LTK HR Nord",
        external_id=None,
        mapping=mapping,
        members=[member.id],
        actor_id=None,
        source="SCIM",
        now=now,
    )
    other = create_group(
        session,
        display_name="Alle ansatte",
        external_id=None,
        mapping=mapping,
        members=[member.id],
        actor_id=None,
        source="SCIM",
        now=now,
    )
    assert hr.role == Role.HR
    assert other.role is None
    assert member.roles == frozenset({Role.HR})
    change_members(session, group=hr, remove=[member.id], actor_id=None, now=now)
    assert member.roles == frozenset({Role.HR})  # LTK HR Nord still grants it
    delete_group(session, group=nord, actor_id=None, source="SCIM", now=now)
    session.flush()
    session.expire(member)
    assert member.roles == frozenset()
    with pytest.raises(DomainError) as unknown:
        change_members(session, group=other, add=[10_000_000], actor_id=None, now=now)
    assert (unknown.value.code, unknown.value.field) == (ErrorCode.NOT_FOUND, "members")


def test_a_leaver_is_logged_out_of_the_web_app_at_once(session: Session) -> None:
    from catalogue.models import LoginSession
    from catalogue.services.login_sessions import DEV_METHOD, start_session

    leaver = person(session, "Ulla Ud")
    now = utcnow()
    start_session(session, person=leaver, roles=frozenset(), method=DEV_METHOD, now=now)
    session.flush()

    deactivate_person(
        session, person=leaver, reason="Fratrådt", actor_id=None, source=SCIM, now=now
    )

    rows = session.scalars(select(LoginSession).where(LoginSession.person_id == leaver.id)).all()
    assert rows
    assert all(row.ended_at == now for row in rows)
