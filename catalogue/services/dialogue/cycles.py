"""HR's dialogue cycles and role profiles: setting up a year's round, opening and closing it.

Opening a cycle invites every active leader who has an active chef (the chef at that
moment). Each dialogue starts from the leader's last agreed adaptation, carried to
this cycle's profile version by statement key; without one, from the role profile
whose name is the first part of the leader's title ("Dagtilbudsleder" of
"Dagtilbudsleder, Dagtilbud Ellehøj"; case and spacing ignored), which the chef may
change before preparation ends (``apply_role_profile``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from catalogue.models import (
    CompetenceStatement,
    CycleStatus,
    Dialogue,
    DialogueAdaptation,
    DialogueCycle,
    DialogueSide,
    DialogueStatus,
    Person,
    PreparationVisibility,
    Role,
    RoleProfile,
)
from catalogue.models.base import utcnow
from catalogue.models.dialogue import DEFAULT_SCALE_LABELS
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.capabilities import Capability
from catalogue.services.dialogue.rules import DialogueAction, apply_transition
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.profiles import profile_by_version
from catalogue.services.validation import Checks

TITLE_MAX_LENGTH = 200
LABEL_MAX_LENGTH = 60
MAX_SCALE_STEPS = 10
MAX_IMPORTANCE = 3

CYCLE_TRANSITIONS: dict[CycleStatus, CycleStatus] = {
    CycleStatus.DRAFT: CycleStatus.OPEN,
    CycleStatus.OPEN: CycleStatus.CLOSED,
    CycleStatus.CLOSED: CycleStatus.ARCHIVED,
}
CYCLE_LABELS = {
    CycleStatus.DRAFT: "en kladde",
    CycleStatus.OPEN: "åben",
    CycleStatus.CLOSED: "lukket",
    CycleStatus.ARCHIVED: "arkiveret",
}


def require_administrator(actor: Viewer) -> None:
    if not actor.can(Capability.DIALOGUE_ADMINISTER):
        raise DomainError(
            ErrorCode.FORBIDDEN, "Ingen adgang: kun HR kan oprette og styre samtalerunder."
        )


def get_cycle(session: Session, cycle_id: int, *, field: str = "cycleId") -> DialogueCycle:
    cycle = session.scalar(
        select(DialogueCycle)
        .where(DialogueCycle.id == cycle_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if cycle is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Samtalerunden findes ikke.", field=field)
    return cycle


def _check_scale(
    checks: Checks, scale_min: int, scale_max: int, labels: Sequence[str]
) -> list[str]:
    steps = scale_max - scale_min + 1
    if scale_min < 0 or scale_max <= scale_min or steps > MAX_SCALE_STEPS:
        checks.fail(
            "scaleMax",
            ErrorCode.INVALID,
            f"Skalaen skal gå fra et tal til et større (mindst 0, højst {MAX_SCALE_STEPS} trin); "
            f"fik {scale_min}–{scale_max}.",
        )
        return list(labels)
    if len(labels) != steps:
        checks.fail(
            "scaleLabels",
            ErrorCode.INVALID,
            f"Skalaen {scale_min}–{scale_max} har {steps} trin og skal have {steps} "
            f"betegnelser (fik {len(labels)}).",
        )
    cleaned = [
        checks.text(f"scaleLabels[{i}]", label, label="Betegnelsen", max_length=LABEL_MAX_LENGTH)
        or ""
        for i, label in enumerate(labels)
    ]
    return cleaned


def _check_dates(
    checks: Checks,
    *,
    opens_on: date,
    preparation_due: date,
    meeting_from: date,
    meeting_until: date,
    closes_on: date,
) -> None:
    order = [
        ("opensOn", opens_on, "åbner"),
        ("preparationDue", preparation_due, "forberedelsesfristen"),
        ("meetingUntil", meeting_until, "sidste samtaledag"),
        ("closesOn", closes_on, "lukker"),
    ]
    for (_, earlier, earlier_label), (field, later, later_label) in pairwise(order):
        if later < earlier:
            checks.fail(
                field,
                ErrorCode.INVALID,
                f"Datoen for {later_label} ({later.isoformat()}) ligger før {earlier_label} "
                f"({earlier.isoformat()}).",
            )
    if not opens_on <= meeting_from <= meeting_until:
        checks.fail(
            "meetingFrom",
            ErrorCode.INVALID,
            "Første samtaledag skal ligge mellem åbningen og sidste samtaledag.",
        )


def create_cycle(
    session: Session,
    *,
    actor: Viewer,
    year: int,
    title: str,
    opens_on: date,
    preparation_due: date,
    meeting_from: date,
    meeting_until: date,
    closes_on: date,
    profile_version: int | None = None,
    visibility: PreparationVisibility = PreparationVisibility.AFTER_BOTH_SUBMITTED,
    hr_may_read_dialogues: bool = False,
    scale_min: int = 1,
    scale_max: int = 5,
    scale_labels: Sequence[str] | None = None,
    now: datetime | None = None,
) -> DialogueCycle:
    """A DRAFT cycle; every problem of the input is reported at once."""
    require_administrator(actor)
    checks = Checks()
    clean_title = checks.text("title", title, label="Titlen", max_length=TITLE_MAX_LENGTH)
    if not 2000 <= year <= 2100:
        checks.fail("year", ErrorCode.INVALID, f"Året skal være mellem 2000 og 2100 (fik {year}).")
    _check_dates(
        checks,
        opens_on=opens_on,
        preparation_due=preparation_due,
        meeting_from=meeting_from,
        meeting_until=meeting_until,
        closes_on=closes_on,
    )
    labels = _check_scale(
        checks,
        scale_min,
        scale_max,
        list(scale_labels) if scale_labels is not None else list(DEFAULT_SCALE_LABELS),
    )
    profile = profile_by_version(session, profile_version)
    if profile is None:
        checks.fail(
            "profileVersion",
            ErrorCode.NOT_FOUND,
            f"Kompetenceprofilen i version {profile_version} findes ikke.",
        )
    checks.done()
    assert profile is not None
    cycle = DialogueCycle(
        year=year,
        title=clean_title or "",
        profile_id=profile.id,
        opens_on=opens_on,
        preparation_due=preparation_due,
        meeting_from=meeting_from,
        meeting_until=meeting_until,
        closes_on=closes_on,
        visibility=visibility,
        hr_may_read_dialogues=hr_may_read_dialogues,
        scale_min=scale_min,
        scale_max=scale_max,
        scale_labels=labels,
        created_by_id=actor.person_id,
    )
    session.add(cycle)
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="DialogueCycle",
        entity_id=cycle.id,
        action=AuditAction.DIALOGUE_CYCLE_CREATED,
        to_state=CycleStatus.DRAFT.value,
        details={"year": year, "profile_version": profile.version},
        at=now or utcnow(),
    )
    return cycle


def _move_cycle(
    session: Session, cycle: DialogueCycle, target: CycleStatus, *, actor: Viewer, now: datetime
) -> None:
    if CYCLE_TRANSITIONS.get(cycle.status) is not target:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Samtalerunden kan ikke blive {CYCLE_LABELS[target]}, fordi den er "
            f"{CYCLE_LABELS[cycle.status]}.",
            field="cycleId",
        )
    action = {
        CycleStatus.OPEN: AuditAction.DIALOGUE_CYCLE_OPENED,
        CycleStatus.CLOSED: AuditAction.DIALOGUE_CYCLE_CLOSED,
        CycleStatus.ARCHIVED: AuditAction.DIALOGUE_CYCLE_ARCHIVED,
    }[target]
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="DialogueCycle",
        entity_id=cycle.id,
        action=action,
        from_state=cycle.status.value,
        to_state=target.value,
        at=now,
    )
    cycle.status = target


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _previous_dialogue(session: Session, cycle: DialogueCycle, leader_id: int) -> Dialogue | None:
    """The leader's latest dialogue of an earlier year that reached an agreement."""
    earlier = aliased(DialogueCycle)
    return session.scalar(
        select(Dialogue)
        .join(earlier, earlier.id == Dialogue.cycle_id)
        .where(
            Dialogue.leader_id == leader_id,
            earlier.year < cycle.year,
            Dialogue.agreed_at.is_not(None),
        )
        .order_by(earlier.year.desc(), Dialogue.id.desc())
        .limit(1)
    )


def starting_importances(
    session: Session,
    cycle: DialogueCycle,
    *,
    previous: Dialogue | None,
    role_profile: RoleProfile | None,
) -> dict[int, tuple[int, str]]:
    """statement id -> (importance, rationale) for the START side of a new dialogue."""
    statements = {
        s.key: s.id
        for s in session.scalars(
            select(CompetenceStatement).where(CompetenceStatement.profile_id == cycle.profile_id)
        )
    }
    if previous is not None:
        rows = session.execute(
            select(
                CompetenceStatement.key, DialogueAdaptation.importance, DialogueAdaptation.rationale
            )
            .join(CompetenceStatement, CompetenceStatement.id == DialogueAdaptation.statement_id)
            .where(
                DialogueAdaptation.dialogue_id == previous.id,
                DialogueAdaptation.side == DialogueSide.AGREED,
            )
        ).all()
        carried = {statements[k]: (i, r) for k, i, r in rows if k in statements}
        if carried:
            return carried
    if role_profile is not None:
        note = f"Fra rolleprofilen {role_profile.name}."
        return {
            statements[key]: (importance, note)
            for key, importance in role_profile.importances.items()
            if key in statements
        }
    return {}


def write_start(session: Session, dialogue: Dialogue, start: Mapping[int, tuple[int, str]]) -> None:
    session.query(DialogueAdaptation).filter(
        DialogueAdaptation.dialogue_id == dialogue.id,
        DialogueAdaptation.side == DialogueSide.START,
    ).delete(synchronize_session=False)
    session.add_all(
        DialogueAdaptation(
            dialogue_id=dialogue.id,
            statement_id=statement_id,
            side=DialogueSide.START,
            importance=importance,
            rationale=rationale,
        )
        for statement_id, (importance, rationale) in start.items()
    )


def open_cycle(
    session: Session, *, actor: Viewer, cycle_id: int, now: datetime | None = None
) -> DialogueCycle:
    """DRAFT → OPEN, with a dialogue for every active leader who has an active chef."""
    require_administrator(actor)
    now = now or utcnow()
    cycle = get_cycle(session, cycle_id)
    _move_cycle(session, cycle, CycleStatus.OPEN, actor=actor, now=now)
    chef = aliased(Person)
    leaders = session.execute(
        select(Person, chef.id)
        .join(chef, chef.id == Person.manager_id)
        .where(
            Person.active.is_(True),
            Person.holds_any([Role.LEADER]),
            chef.active.is_(True),
        )
        .order_by(Person.id)
    ).all()
    role_profiles = {_normal(p.name): p for p in session.scalars(select(RoleProfile))}
    for leader, chef_id in leaders:
        previous = _previous_dialogue(session, cycle, leader.id)
        role_profile = role_profiles.get(_normal(leader.title.split(",")[0]))
        dialogue = Dialogue(
            cycle_id=cycle.id,
            leader_id=leader.id,
            chef_id=chef_id,
            status=DialogueStatus.INVITED,
            previous_dialogue_id=previous.id if previous else None,
            role_profile_id=role_profile.id if role_profile else None,
        )
        session.add(dialogue)
        session.flush()
        write_start(
            session,
            dialogue,
            starting_importances(session, cycle, previous=previous, role_profile=role_profile),
        )
        record_change(
            session,
            actor_id=actor.person_id,
            entity_type="Dialogue",
            entity_id=dialogue.id,
            action=AuditAction.DIALOGUE_INVITED,
            to_state=DialogueStatus.INVITED.value,
            person_id=leader.id,
            details={"cycle_id": cycle.id, "chef_id": chef_id},
            at=now,
        )
    session.flush()
    return cycle


def close_cycle(
    session: Session, *, actor: Viewer, cycle_id: int, now: datetime | None = None
) -> DialogueCycle:
    """OPEN → CLOSED: every dialogue not yet closed is closed with it."""
    require_administrator(actor)
    now = now or utcnow()
    cycle = get_cycle(session, cycle_id)
    _move_cycle(session, cycle, CycleStatus.CLOSED, actor=actor, now=now)
    open_dialogues = session.scalars(
        select(Dialogue)
        .where(Dialogue.cycle_id == cycle.id, Dialogue.status != DialogueStatus.CLOSED)
        .order_by(Dialogue.id)
        .with_for_update()
    )
    for dialogue in open_dialogues:
        apply_transition(
            session,
            dialogue,
            DialogueAction.CLOSE,
            actor_id=actor.person_id,
            now=now,
            reason="Samtalerunden er lukket.",
        )
    session.flush()
    return cycle


def archive_cycle(
    session: Session, *, actor: Viewer, cycle_id: int, now: datetime | None = None
) -> DialogueCycle:
    require_administrator(actor)
    cycle = get_cycle(session, cycle_id)
    _move_cycle(session, cycle, CycleStatus.ARCHIVED, actor=actor, now=now or utcnow())
    session.flush()
    return cycle


def save_role_profile(
    session: Session,
    *,
    actor: Viewer,
    key: str,
    name: str,
    importances: Mapping[str, int],
    now: datetime | None = None,
) -> RoleProfile:
    """Create or replace a role profile: statement keys of the current profile -> 0–3."""
    require_administrator(actor)
    checks = Checks()
    clean_key = key.strip().lower()
    if not clean_key or len(clean_key) > 64 or not clean_key.replace("-", "").isalnum():
        checks.fail(
            "key", ErrorCode.INVALID, "Nøglen må kun indeholde bogstaver, tal og bindestreg."
        )
    clean_name = checks.text("name", name, label="Navnet", max_length=TITLE_MAX_LENGTH)
    profile = profile_by_version(session, None)
    known = (
        set(
            session.scalars(
                select(CompetenceStatement.key).where(CompetenceStatement.profile_id == profile.id)
            )
        )
        if profile
        else set()
    )
    for statement_key, importance in importances.items():
        if statement_key not in known:
            checks.fail(
                "importances",
                ErrorCode.NOT_FOUND,
                f"Udsagnet {statement_key} findes ikke i den gældende kompetenceprofil.",
            )
        if not 0 <= importance <= MAX_IMPORTANCE:
            checks.fail(
                "importances",
                ErrorCode.INVALID,
                f"Vigtigheden for {statement_key} skal være 0–{MAX_IMPORTANCE} (fik {importance}).",
            )
    checks.done()
    role_profile = session.scalar(select(RoleProfile).where(RoleProfile.key == clean_key))
    if role_profile is None:
        role_profile = RoleProfile(key=clean_key)
        session.add(role_profile)
    role_profile.name = clean_name or ""
    role_profile.importances = dict(sorted(importances.items()))
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="RoleProfile",
        entity_id=role_profile.id,
        action=AuditAction.ROLE_PROFILE_SAVED,
        details={"key": clean_key, "statements": len(importances)},
        at=now or utcnow(),
    )
    return role_profile
