"""Dialogue reminders by e-mail, in Danish, each sent once.

What is due, worked out from the dialogues as they stand (so a missed beat tick
catches up and nothing is queued ahead):

- ``invitation``: the cycle is open and the leader has not been told yet;
- ``meeting``: the chef set (or moved) the meeting: to the leader, with an iCalendar
  file (one per meeting time, so a moved meeting sends a new invitation with the
  same UID, which updates the calendar entry);
- ``preparation_due_7`` / ``preparation_due_1``: the preparation is due within 7
  days / within 1 day and that side has not submitted (to each such side);
- ``summary_unconfirmed``: the meeting was held 3 or more days ago and a side has
  not confirmed the summary;
- ``follow_up_due``: agreed, and half the time from agreement to the cycle's close
  has passed: to the chef;
- ``action_overdue``: an open action past its due date: to its owner.

Each reminder is claimed by a ``DialogueReminderSent`` row (unique per dialogue,
kind and subject) in the same transaction as the send: the row is inserted, the
mail sent, then committed. A failed send rolls the claim back, so the next run
tries again; a second worker at the same moment waits on the unique key and skips.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalogue.models import (
    ActionStatus,
    CycleStatus,
    DevelopmentAction,
    Dialogue,
    DialogueCycle,
    DialogueFocus,
    DialogueReminderSent,
    DialogueStatus,
    Person,
)
from catalogue.models.base import utcnow
from catalogue.services.calendar import PRODID, UID_DOMAIN
from catalogue.services.danish_dates import LOCAL_TZ, danish_date
from catalogue.services.mail import Attachment, send_mail
from catalogue.settings import Settings

S = DialogueStatus
MEETING_MINUTES = 90
SUMMARY_GRACE = timedelta(days=3)
OPEN_ACTIONS = (ActionStatus.PLANNED, ActionStatus.BOOKED, ActionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Reminder:
    dialogue_id: int
    kind: str
    subject_key: str
    to: str
    subject: str
    text: str
    attachments: tuple[Attachment, ...] = field(default=())


def meeting_calendar(dialogue: Dialogue, leader: Person, chef: Person) -> bytes:
    """The meeting as an iCalendar request; the UID is the dialogue's, so a move updates it."""
    assert dialogue.meeting_at is not None
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"dialogue-{dialogue.id}@{UID_DOMAIN}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", dialogue.meeting_at)
    event.add("dtend", dialogue.meeting_at + timedelta(minutes=MEETING_MINUTES))
    event.add("summary", f"Udviklingssamtale (LUS): {leader.name} og {chef.name}")
    event.add("location", dialogue.meeting_place)
    organizer = vCalAddress(f"mailto:{chef.email}")
    organizer.params["cn"] = chef.name
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{leader.email}")
    attendee.params["cn"] = leader.name
    event.add("attendee", attendee)
    event.add("status", "CONFIRMED")
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def _greeting(person: Person) -> str:
    return f"Kære {person.name}\n\n"


SIGNATURE = "\n\nVenlig hilsen\nHR, Læring og Udvikling\nLyngby-Taarbæk Kommune\n"


def due_reminders(session: Session, settings: Settings, *, now: datetime) -> Iterator[Reminder]:
    """Every reminder due now (sent or not; ``send_due_reminders`` skips the sent ones)."""
    today = now.astimezone(LOCAL_TZ).date()
    link = f"{settings.public_url.rstrip('/')}/"
    rows = session.execute(
        select(Dialogue, DialogueCycle)
        .join(DialogueCycle, DialogueCycle.id == Dialogue.cycle_id)
        .where(DialogueCycle.status == CycleStatus.OPEN, Dialogue.status != S.CLOSED)
        .order_by(Dialogue.id)
    ).all()
    people = {
        p.id: p
        for p in session.scalars(
            select(Person).where(
                Person.id.in_({d.leader_id for d, _ in rows} | {d.chef_id for d, _ in rows})
            )
        )
    }
    for dialogue, cycle in rows:
        leader, chef = people[dialogue.leader_id], people[dialogue.chef_id]
        yield Reminder(
            dialogue.id,
            "invitation",
            "",
            leader.email,
            f"Invitation til udviklingssamtale (LUS) {cycle.year}",
            _greeting(leader)
            + f"Du er inviteret til årets udviklingssamtale med {chef.name}. Forbered dig på "
            f"kompetenceprofilens udsagn senest {danish_date_of(cycle.preparation_due)}.\n"
            f"Samtalerne holdes {danish_date_of(cycle.meeting_from)} – "
            f"{danish_date_of(cycle.meeting_until)}.\n\n{link}" + SIGNATURE,
        )
        if dialogue.meeting_at is not None and dialogue.status in (S.INVITED, S.PREPARING, S.READY):
            yield Reminder(
                dialogue.id,
                "meeting",
                dialogue.meeting_at.isoformat(),
                leader.email,
                f"Udviklingssamtale {danish_date(dialogue.meeting_at)}",
                _greeting(leader) + f"{chef.name} har sat jeres udviklingssamtale til "
                f"{danish_date(dialogue.meeting_at)} kl. "
                f"{dialogue.meeting_at.astimezone(LOCAL_TZ):%H.%M}, {dialogue.meeting_place}. "
                "Kalenderinvitationen er vedhæftet." + SIGNATURE,
                (
                    Attachment(
                        "lus.ics",
                        "text/calendar; method=REQUEST",
                        meeting_calendar(dialogue, leader, chef),
                    ),
                ),
            )
        if dialogue.status in (S.INVITED, S.PREPARING):
            days_left = (cycle.preparation_due - today).days
            kind = (
                "preparation_due_1"
                if 0 <= days_left <= 1
                else "preparation_due_7"
                if 1 < days_left <= 7
                else None
            )
            if kind is not None:
                for side, person, submitted in (
                    ("LEADER", leader, dialogue.leader_submitted_at),
                    ("CHEF", chef, dialogue.chef_submitted_at),
                ):
                    if submitted is None:
                        yield Reminder(
                            dialogue.id,
                            kind,
                            side,
                            person.email,
                            "Påmindelse: forberedelsen til udviklingssamtalen",
                            _greeting(person)
                            + "Husk at indsende din forberedelse til udviklingssamtalen "
                            f"({leader.name}) senest {danish_date_of(cycle.preparation_due)}."
                            + SIGNATURE,
                        )
        if (
            dialogue.status in (S.HELD, S.REOPENED)
            and dialogue.held_at is not None
            and now - dialogue.held_at >= SUMMARY_GRACE
        ):
            for side, person, confirmed in (
                ("LEADER", leader, dialogue.leader_confirmed_at),
                ("CHEF", chef, dialogue.chef_confirmed_at),
            ):
                if confirmed is None:
                    yield Reminder(
                        dialogue.id,
                        "summary_unconfirmed",
                        side,
                        person.email,
                        "Referatet af udviklingssamtalen venter på din bekræftelse",
                        _greeting(person)
                        + "Referatet af udviklingssamtalen er ikke bekræftet af dig endnu."
                        + SIGNATURE,
                    )
        if dialogue.status is S.AGREED and dialogue.agreed_at is not None:
            agreed_day = dialogue.agreed_at.astimezone(LOCAL_TZ).date()
            midway = agreed_day + (cycle.closes_on - agreed_day) / 2
            if today >= midway:
                yield Reminder(
                    dialogue.id,
                    "follow_up_due",
                    "",
                    chef.email,
                    f"Tid til opfølgning: udviklingssamtalen med {leader.name}",
                    _greeting(chef)
                    + f"Det er tid til midtvejsopfølgningen på aftalen med {leader.name}."
                    + SIGNATURE,
                )
    yield from _overdue_actions(session, today)


def _overdue_actions(session: Session, today: date) -> Iterator[Reminder]:
    rows = session.execute(
        select(DevelopmentAction, DialogueFocus.dialogue_id, Person)
        .join(DialogueFocus, DialogueFocus.id == DevelopmentAction.focus_id)
        .join(Dialogue, Dialogue.id == DialogueFocus.dialogue_id)
        .join(DialogueCycle, DialogueCycle.id == Dialogue.cycle_id)
        .join(Person, Person.id == DevelopmentAction.owner_id)
        .where(
            DialogueCycle.status == CycleStatus.OPEN,
            Dialogue.status.in_((S.AGREED, S.FOLLOWED_UP)),
            DevelopmentAction.status.in_(OPEN_ACTIONS),
            DevelopmentAction.due_on < today,
        )
        .order_by(DevelopmentAction.id)
    ).all()
    for action, dialogue_id, owner in rows:
        assert action.due_on is not None
        yield Reminder(
            dialogue_id,
            "action_overdue",
            str(action.id),
            owner.email,
            "En udviklingshandling er over tid",
            _greeting(owner) + f"Handlingen »{action.description}« skulle være gennemført "
            f"{danish_date_of(action.due_on)}. Opdatér dens status, eller aftal en ny dato."
            + SIGNATURE,
        )


def danish_date_of(day: date) -> str:
    return danish_date(datetime(day.year, day.month, day.day, 12, tzinfo=LOCAL_TZ))


def send_due_reminders(
    session: Session, settings: Settings, *, now: datetime | None = None
) -> list[Reminder]:
    """Send every due reminder not sent before, committing each; returns those sent.

    A mail that fails raises (``MailError``) with its claim undone; the reminders
    already sent stay sent.
    """
    now = now or utcnow()
    sent: list[Reminder] = []
    for reminder in list(due_reminders(session, settings, now=now)):
        claimed = session.scalar(
            select(DialogueReminderSent.id).where(
                DialogueReminderSent.dialogue_id == reminder.dialogue_id,
                DialogueReminderSent.kind == reminder.kind,
                DialogueReminderSent.subject_key == reminder.subject_key,
            )
        )
        if claimed is not None:
            continue
        try:
            # The claim and the send share a savepoint: a failed send undoes only the claim.
            with session.begin_nested():
                session.add(
                    DialogueReminderSent(
                        dialogue_id=reminder.dialogue_id,
                        kind=reminder.kind,
                        subject_key=reminder.subject_key,
                        recipient=reminder.to,
                        sent_at=now,
                    )
                )
                session.flush()
                send_mail(
                    settings,
                    to=reminder.to,
                    subject=reminder.subject,
                    text=reminder.text,
                    attachments=reminder.attachments,
                )
        except IntegrityError:  # another worker claimed it first
            continue
        session.commit()
        sent.append(reminder)
    return sent
