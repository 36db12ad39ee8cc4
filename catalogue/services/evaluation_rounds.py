"""HR's evaluation rounds: their settings, their states, and who is asked about whom.

A round moves DRAFT → OPEN → CLOSED → RELEASED → ARCHIVED (``TRANSITIONS``), each move
by HR except closing, which the beat also does when ``closes_at`` has passed. Once a
round is open, what is asked (statements, scale) and the anonymity settings
(``peers_named``) are locked, and the thresholds can only be raised: a threshold
lowered after people answered under the promise of a higher one would break it.
Closing erases the answers' ``change_key``s and the invitations' token hashes, so no
stored value is left that can lead from a link to its answers once results exist.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from catalogue.models import (
    CompetenceProfile,
    CompetenceStatement,
    Evaluatee,
    EvaluationAnswerSet,
    EvaluationComment,
    EvaluationInvitation,
    EvaluationRound,
    InvitationStatus,
    Person,
    RespondentGroup,
    RoundStatus,
)
from catalogue.models.evaluation import round_statements
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.capabilities import Capability
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.validation import Checks

S = RoundStatus
G = RespondentGroup

#: The lowest threshold any anonymous group may have: fewer and one answer stands out.
MIN_THRESHOLD = 3
DEFAULT_THRESHOLDS = {"employee_threshold": 5, "peer_threshold": 3}

TRANSITIONS: dict[RoundStatus, frozenset[RoundStatus]] = {
    S.OPEN: frozenset({S.DRAFT}),
    S.CLOSED: frozenset({S.OPEN}),
    S.RELEASED: frozenset({S.CLOSED}),
    S.ARCHIVED: frozenset({S.CLOSED, S.RELEASED}),
}
STATUS_LABELS = {
    S.DRAFT: "en kladde",
    S.OPEN: "åben for svar",
    S.CLOSED: "lukket",
    S.RELEASED: "frigivet",
    S.ARCHIVED: "arkiveret",
}
TARGET_VERBS = {
    S.OPEN: "åbnes",
    S.CLOSED: "lukkes",
    S.RELEASED: "frigives",
    S.ARCHIVED: "arkiveres",
}
AUDIT = {
    S.OPEN: AuditAction.EVALUATION_ROUND_OPENED,
    S.CLOSED: AuditAction.EVALUATION_ROUND_CLOSED,
    S.RELEASED: AuditAction.EVALUATION_ROUND_RELEASED,
    S.ARCHIVED: AuditAction.EVALUATION_ROUND_ARCHIVED,
}
GROUP_LABELS = {
    G.SELF: "selvevaluering",
    G.CHEF: "chef",
    G.PEER: "ledere på samme niveau",
    G.EMPLOYEE: "medarbejdere",
    G.SUBORDINATE_LEADER: "ledere under lederen",
}
#: Groups HR or the leader may add people to; SELF and CHEF come from the org structure.
ADDABLE_GROUPS = frozenset({G.PEER, G.EMPLOYEE, G.SUBORDINATE_LEADER})
THRESHOLD_LABELS = {
    "employee_threshold": "Mindste antal svar fra medarbejdere",
    "peer_threshold": "Mindste antal svar fra ledere på samme niveau",
    "subordinate_leader_threshold": "Mindste antal svar fra ledere under lederen",
}
#: Settings fixed once the round is open (questions and anonymity).
LOCKED_WHEN_OPEN = {
    "statement_keys": "Udsagnene",
    "scale_max": "Skalaen",
    "peers_named": "Om ledere på samme niveau svarer med navn",
}


@dataclass(frozen=True)
class RoundFields:
    """A round's settings as given; ``None`` leaves a setting as it is (or at its default)."""

    name: str | None = None
    opens_on: date | None = None
    closes_at: datetime | None = None
    statement_keys: list[str] | None = None
    reminder_days: list[int] | None = None
    scale_max: int | None = None
    employee_threshold: int | None = None
    peer_threshold: int | None = None
    subordinate_leader_threshold: int | None = None
    peers_named: bool | None = None
    chef_levels: int | None = None
    chef_delay_days: int | None = None


def get_round(session: Session, round_id: int, *, for_update: bool = False) -> EvaluationRound:
    statement = select(EvaluationRound).where(EvaluationRound.id == round_id)
    if for_update:
        statement = statement.with_for_update()
    found = session.scalars(statement).first()
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Evalueringsrunden findes ikke.", field="roundId")
    return found


def _current_profile(session: Session) -> CompetenceProfile:
    profile = session.scalars(
        select(CompetenceProfile).order_by(CompetenceProfile.version.desc()).limit(1)
    ).first()
    if profile is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Der er ingen kompetenceprofil at evaluere på.")
    return profile


def _statements(
    session: Session, checks: Checks, profile_id: int, keys: list[str] | None
) -> list[CompetenceStatement]:
    all_statements = list(
        session.scalars(
            select(CompetenceStatement).where(CompetenceStatement.profile_id == profile_id)
        )
    )
    if keys is None:
        return all_statements
    by_key = {s.key: s for s in all_statements}
    unknown = [key for key in keys if key not in by_key]
    if unknown:
        checks.fail(
            "statementKeys",
            ErrorCode.NOT_FOUND,
            f"Profilen har ikke udsagnene {', '.join(sorted(set(unknown))[:10])}.",
        )
    if not keys:
        checks.fail("statementKeys", ErrorCode.REQUIRED, "Vælg mindst ét udsagn.")
    if len(set(keys)) != len(keys):
        checks.fail("statementKeys", ErrorCode.DUPLICATE, "Et udsagn er valgt to gange.")
    return [by_key[key] for key in dict.fromkeys(keys) if key in by_key]


def _camel(name: str) -> str:
    """The GraphQL input field of a setting: ``peer_threshold`` -> ``peerThreshold``."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _check_values(checks: Checks, given: RoundFields, round_: EvaluationRound | None) -> None:
    if given.name is not None:
        checks.text("name", given.name, label="Navnet", max_length=200)
    if given.scale_max is not None and not 3 <= given.scale_max <= 10:
        checks.fail("scaleMax", ErrorCode.INVALID, "Skalaen skal gå fra 1 til mellem 3 og 10.")
    for name, label in THRESHOLD_LABELS.items():
        value = getattr(given, name)
        if value is None:
            continue
        camel = _camel(name)
        if not MIN_THRESHOLD <= value <= 1000:
            checks.fail(camel, ErrorCode.INVALID, f"{label} skal være mellem 3 og 1000.")
        elif round_ is not None and round_.status is not S.DRAFT and value < getattr(round_, name):
            checks.fail(
                camel,
                ErrorCode.SETTING_LOCKED,
                f"{label} kan kun hæves, når runden er åbnet (er {getattr(round_, name)}).",
            )
    if given.chef_levels is not None and not 0 <= given.chef_levels <= 3:
        checks.fail("chefLevels", ErrorCode.INVALID, "Antal chefniveauer skal være 0 til 3.")
    if given.chef_delay_days is not None and not 0 <= given.chef_delay_days <= 365:
        checks.fail("chefDelayDays", ErrorCode.INVALID, "Chefens ventetid skal være 0-365 dage.")
    if given.reminder_days is not None and (
        len(given.reminder_days) > 10 or any(not 1 <= d <= 60 for d in given.reminder_days)
    ):
        checks.fail(
            "reminderDays",
            ErrorCode.INVALID,
            "Påmindelser sendes 1-60 dage før lukning, højst 10 forskellige dage.",
        )
    checks.aware("closesAt", given.closes_at, label="Lukketidspunktet")


def _check_dates(checks: Checks, opens_on: date, closes_at: datetime) -> None:
    if closes_at.tzinfo is not None and closes_at.date() < opens_on:
        checks.fail("closesAt", ErrorCode.INVALID, "Runden skal lukke efter den åbner.")


def create_round(
    session: Session, *, actor: Viewer, given: RoundFields, now: datetime
) -> EvaluationRound:
    """A new DRAFT round on the current profile; all 39 statements unless others are named."""
    checks = Checks()
    for required, label in (
        ("name", "Navnet"),
        ("opens_on", "Åbningsdatoen"),
        ("closes_at", "Lukketidspunktet"),
    ):
        if getattr(given, required) is None:
            checks.fail(required, ErrorCode.REQUIRED, f"{label} skal udfyldes.")
    _check_values(checks, given, None)
    profile = _current_profile(session)
    statements = _statements(session, checks, profile.id, given.statement_keys)
    if given.opens_on is not None and given.closes_at is not None:
        _check_dates(checks, given.opens_on, given.closes_at)
    checks.done()
    assert given.name is not None
    assert given.opens_on is not None
    assert given.closes_at is not None
    round_ = EvaluationRound(
        name=given.name.strip(),
        profile_id=profile.id,
        status=S.DRAFT,
        opens_on=given.opens_on,
        closes_at=given.closes_at,
        reminder_days=sorted(set(given.reminder_days or [])),
        scale_max=given.scale_max or 5,
        employee_threshold=given.employee_threshold or DEFAULT_THRESHOLDS["employee_threshold"],
        peer_threshold=given.peer_threshold or DEFAULT_THRESHOLDS["peer_threshold"],
        subordinate_leader_threshold=given.subordinate_leader_threshold or MIN_THRESHOLD,
        peers_named=bool(given.peers_named),
        chef_levels=1 if given.chef_levels is None else given.chef_levels,
        chef_delay_days=7 if given.chef_delay_days is None else given.chef_delay_days,
        created_by_id=actor.person_id,
    )
    session.add(round_)
    session.flush()
    _set_statements(session, round_.id, statements)
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="EvaluationRound",
        entity_id=round_.id,
        action=AuditAction.EVALUATION_ROUND_CREATED,
        to_state=S.DRAFT.value,
        at=now,
    )
    return round_


def _set_statements(session: Session, round_id: int, statements: list[CompetenceStatement]) -> None:
    session.execute(round_statements.delete().where(round_statements.c.round_id == round_id))
    if statements:
        session.execute(
            round_statements.insert(),
            [{"round_id": round_id, "statement_id": s.id} for s in statements],
        )


def update_round(
    session: Session, *, actor: Viewer, round_id: int, given: RoundFields, now: datetime
) -> EvaluationRound:
    """Change a round's settings, as far as its state allows."""
    round_ = get_round(session, round_id, for_update=True)
    checks = Checks()
    if round_.status in (S.CLOSED, S.RELEASED, S.ARCHIVED):
        raise DomainError(
            ErrorCode.SETTING_LOCKED,
            f"Runden er {STATUS_LABELS[round_.status]}; dens indstillinger kan ikke ændres.",
        )
    if round_.status is S.OPEN:
        for name, label in LOCKED_WHEN_OPEN.items():
            if getattr(given, name) is not None:
                checks.fail(
                    _camel(name),
                    ErrorCode.SETTING_LOCKED,
                    f"{label} kan ikke ændres, når runden er åben.",
                )
    _check_values(checks, given, round_)
    statements = (
        _statements(session, checks, round_.profile_id, given.statement_keys)
        if given.statement_keys is not None
        else None
    )
    _check_dates(checks, given.opens_on or round_.opens_on, given.closes_at or round_.closes_at)
    if round_.status is S.OPEN and given.closes_at is not None and given.closes_at <= now:
        checks.fail("closesAt", ErrorCode.INVALID, "En åben runde kan ikke lukke i fortiden.")
    checks.done()
    for item in fields(given):
        value = getattr(given, item.name)
        if value is None or item.name == "statement_keys":
            continue
        if item.name == "reminder_days":
            value = sorted(set(value))
        if item.name == "name":
            value = value.strip()
        setattr(round_, item.name, value)
    if statements is not None:
        _set_statements(session, round_.id, statements)
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="EvaluationRound",
        entity_id=round_.id,
        action=AuditAction.EVALUATION_ROUND_UPDATED,
        at=now,
    )
    return round_


def move_round(
    session: Session, *, actor: Viewer | None, round_id: int, to: RoundStatus, now: datetime
) -> EvaluationRound:
    """Open, close, release or archive a round (``actor`` None: the beat closing it)."""
    round_ = get_round(session, round_id, for_update=True)
    if round_.status not in TRANSITIONS[to]:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Runden kan ikke {TARGET_VERBS[to]}, fordi den er {STATUS_LABELS[round_.status]}.",
        )
    if to is S.OPEN:
        count = session.scalar(
            select(func.count()).select_from(Evaluatee).where(Evaluatee.round_id == round_.id)
        )
        if not count:
            raise DomainError(
                ErrorCode.INVALID, "Tilføj mindst én leder, før runden åbnes.", field="roundId"
            )
        if round_.closes_at <= now:
            raise DomainError(
                ErrorCode.INVALID, "Lukketidspunktet er passeret; ret det først.", field="closesAt"
            )
    if to is S.CLOSED:
        _forget_links(session, round_.id)
    if to is S.RELEASED:
        round_.released_at = now
    previous = round_.status
    round_.status = to
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id if actor else None,
        entity_type="EvaluationRound",
        entity_id=round_.id,
        action=AUDIT[to],
        from_state=previous.value,
        to_state=to.value,
        at=now,
    )
    return round_


def _forget_links(session: Session, round_id: int) -> None:
    """Erase every value derived from a token: from now on no link leads to any answer.

    The answer sets are rewritten in the order of their random ids, so on PostgreSQL
    their new row versions do not keep the order in which they were answered.
    """
    evaluatees = select(Evaluatee.id).where(Evaluatee.round_id == round_id)
    for model in (EvaluationAnswerSet, EvaluationComment):
        ids = session.scalars(
            select(model.id).where(model.evaluatee_id.in_(evaluatees)).order_by(model.id)
        ).all()
        for chunk in range(0, len(ids), 500):
            session.execute(
                update(model)
                .where(model.id.in_(ids[chunk : chunk + 500]))
                .values(change_key=None)
                .execution_options(synchronize_session=False)
            )
    session.execute(
        update(EvaluationInvitation)
        .where(EvaluationInvitation.evaluatee_id.in_(evaluatees))
        .values(token_hash=None)
        .execution_options(synchronize_session=False)
    )


def close_due_rounds(session: Session, *, now: datetime) -> list[int]:
    """Close every open round whose closing time has passed (the beat's job)."""
    due = session.scalars(
        select(EvaluationRound.id).where(
            EvaluationRound.status == S.OPEN, EvaluationRound.closes_at <= now
        )
    ).all()
    for round_id in due:
        move_round(session, actor=None, round_id=round_id, to=S.CLOSED, now=now)
    return list(due)


# --- who is asked -------------------------------------------------------------------


def normalise_email(checks: Checks, value: str, *, field: str = "email") -> str:
    email = value.strip().lower()
    if (
        not 3 < len(email) <= 320
        or email.count("@") != 1
        or any(c.isspace() or not c.isprintable() for c in email)
        or email.startswith("@")
        or email.endswith("@")
    ):
        checks.fail(field, ErrorCode.INVALID, "E-mailadressen er ikke gyldig (fx navn@ltk.dk).")
    return email


def _invitation(
    session: Session,
    evaluatee: Evaluatee,
    *,
    group: RespondentGroup,
    email: str,
    person_id: int | None,
    status: InvitationStatus = InvitationStatus.ACTIVE,
    proposed_by_id: int | None = None,
) -> EvaluationInvitation:
    invitation = EvaluationInvitation(
        evaluatee_id=evaluatee.id,
        group=group,
        email=email.strip().lower(),
        person_id=person_id,
        status=status,
        proposed_by_id=proposed_by_id,
    )
    session.add(invitation)
    return invitation


def get_evaluatee(session: Session, evaluatee_id: int) -> Evaluatee:
    found = session.get(Evaluatee, evaluatee_id)
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Lederen er ikke med i runden.", field="evaluateeId")
    return found


def _round_accepts_people(round_: EvaluationRound) -> None:
    if round_.status not in (S.DRAFT, S.OPEN):
        raise DomainError(
            ErrorCode.ROUND_NOT_OPEN,
            f"Runden er {STATUS_LABELS[round_.status]}; der kan ikke tilføjes flere.",
        )


def add_evaluatee(
    session: Session, *, actor: Viewer, round_id: int, person_id: int, now: datetime
) -> Evaluatee:
    """Put a leader in the round, with the invitations the org structure gives.

    The leader answers as SELF and the leader's chef as CHEF; the people reporting to the
    leader are asked as EMPLOYEE, or as SUBORDINATE_LEADER when they lead others. Peers
    are added later: proposed by the leader, approved by the chef.
    """
    round_ = get_round(session, round_id, for_update=True)
    _round_accepts_people(round_)
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise DomainError(ErrorCode.NOT_FOUND, "Personen findes ikke.", field="personId")
    if session.scalar(
        select(Evaluatee.id).where(Evaluatee.round_id == round_id, Evaluatee.person_id == person_id)
    ):
        raise DomainError(
            ErrorCode.DUPLICATE, f"{person.name} er allerede med i runden.", field="personId"
        )
    evaluatee = Evaluatee(round_id=round_id, person_id=person_id)
    session.add(evaluatee)
    session.flush()
    _invitation(session, evaluatee, group=G.SELF, email=person.email, person_id=person.id)
    if person.manager_id is not None:
        chef = session.get(Person, person.manager_id)
        if chef is not None and chef.active:
            _invitation(session, evaluatee, group=G.CHEF, email=chef.email, person_id=chef.id)
    reports = session.scalars(
        select(Person)
        .where(Person.manager_id == person.id, Person.active.is_(True))
        .order_by(Person.id)
    )
    for report in reports:
        leads = session.scalar(select(func.count()).where(Person.manager_id == report.id))
        group = G.SUBORDINATE_LEADER if leads else G.EMPLOYEE
        _invitation(session, evaluatee, group=group, email=report.email, person_id=report.id)
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="EvaluationRound",
        entity_id=round_id,
        action=AuditAction.EVALUATEE_ADDED,
        person_id=person_id,
        at=now,
    )
    return evaluatee


def _check_new_respondent(
    session: Session, checks: Checks, evaluatee: Evaluatee, email: str, group: RespondentGroup
) -> None:
    if group not in ADDABLE_GROUPS:
        checks.fail(
            "group",
            ErrorCode.INVALID,
            "Selvevaluering og chef kommer fra organisationen og kan ikke tilføjes.",
        )
    if email == evaluatee.person.email.lower():
        checks.fail(
            "email",
            ErrorCode.INVALID,
            "Lederen kan ikke svare om sig selv i en anden gruppe; lederens egne svar er "
            "selvevalueringen.",
        )
    elif session.scalar(
        select(EvaluationInvitation.id).where(
            EvaluationInvitation.evaluatee_id == evaluatee.id,
            EvaluationInvitation.email == email,
        )
    ):
        checks.fail(
            "email",
            ErrorCode.DUPLICATE,
            "Personen er allerede bedt om at svare om denne leder (én person, ét sæt svar).",
        )


def add_respondent(
    session: Session,
    *,
    actor: Viewer,
    evaluatee_id: int,
    group: RespondentGroup,
    email: str,
    now: datetime,
) -> EvaluationInvitation:
    """HR asks someone more (an employee without a login, a peer) about a leader."""
    evaluatee = get_evaluatee(session, evaluatee_id)
    get_round(session, evaluatee.round_id, for_update=True)
    _round_accepts_people(evaluatee.round)
    checks = Checks()
    email = normalise_email(checks, email)
    if not checks.errors:
        _check_new_respondent(session, checks, evaluatee, email, group)
    checks.done()
    person_id = session.scalar(select(Person.id).where(func.lower(Person.email) == email))
    invitation = _invitation(session, evaluatee, group=group, email=email, person_id=person_id)
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="EvaluationRound",
        entity_id=evaluatee.round_id,
        action=AuditAction.EVALUATION_RESPONDENT_ADDED,
        person_id=evaluatee.person_id,
        details={"group": group.value},
        at=now,
    )
    return invitation


def propose_peer(
    session: Session, *, actor: Viewer, evaluatee_id: int, peer_person_id: int, now: datetime
) -> EvaluationInvitation:
    """The leader proposes a peer leader; the chef approves before the peer is asked."""
    evaluatee = get_evaluatee(session, evaluatee_id)
    if evaluatee.person_id != actor.person_id:
        raise DomainError(
            ErrorCode.FORBIDDEN, "Kun lederen selv kan foreslå ledere på samme niveau."
        )
    get_round(session, evaluatee.round_id, for_update=True)
    _round_accepts_people(evaluatee.round)
    peer = session.get(Person, peer_person_id)
    if peer is None or not peer.active:
        raise DomainError(ErrorCode.NOT_FOUND, "Personen findes ikke.", field="personId")
    checks = Checks()
    email = peer.email.strip().lower()
    _check_new_respondent(session, checks, evaluatee, email, G.PEER)
    checks.done()
    invitation = _invitation(
        session,
        evaluatee,
        group=G.PEER,
        email=email,
        person_id=peer.id,
        status=InvitationStatus.PROPOSED,
        proposed_by_id=actor.person_id,
    )
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="EvaluationRound",
        entity_id=evaluatee.round_id,
        action=AuditAction.EVALUATION_PEER_PROPOSED,
        person_id=evaluatee.person_id,
        at=now,
    )
    return invitation


def decide_peer(
    session: Session, *, actor: Viewer, invitation_id: int, approve: bool, now: datetime
) -> EvaluationInvitation:
    """The leader's chef (or HR) approves or rejects a proposed peer."""
    invitation = session.get(EvaluationInvitation, invitation_id)
    if invitation is None or invitation.group is not G.PEER:
        raise DomainError(ErrorCode.NOT_FOUND, "Forslaget findes ikke.", field="invitationId")
    evaluatee = invitation.evaluatee
    is_chef = evaluatee.person.manager_id == actor.person_id
    if not (is_chef or actor.can(Capability.EVALUATION_MANAGE)):
        raise DomainError(ErrorCode.NOT_FOUND, "Forslaget findes ikke.", field="invitationId")
    if invitation.status is not InvitationStatus.PROPOSED:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, "Forslaget er allerede afgjort.", field="invitationId"
        )
    _round_accepts_people(evaluatee.round)
    invitation.status = InvitationStatus.ACTIVE if approve else InvitationStatus.REJECTED
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="EvaluationRound",
        entity_id=evaluatee.round_id,
        action=(
            AuditAction.EVALUATION_PEER_APPROVED
            if approve
            else AuditAction.EVALUATION_PEER_REJECTED
        ),
        person_id=evaluatee.person_id,
        at=now,
    )
    return invitation
