"""Dialogue reminders reach a real SMTP server (aiosmtpd on loopback), each exactly once."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes
from email.message import Message
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from icalendar import Calendar
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    ActionKind,
    Dialogue,
    DialogueCycle,
    DialogueReminderSent,
    DialogueStatus,
)
from catalogue.models.base import utcnow
from catalogue.services.dialogue import agreement
from catalogue.services.dialogue.agreement import ActionInput, FocusInput
from catalogue.services.dialogue.reminders import send_due_reminders
from catalogue.services.mail import MailError
from catalogue.settings import Settings
from tests.dialogue.factories import dialogue_of, statement
from tests.enrolment.factories import Org, viewer


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.messages.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=default))
        )
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [message for recipients, message in self.messages if address in recipients]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _mail_settings(settings: Settings, port: int) -> Settings:
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})


def _body(message: Message) -> str:
    part = message.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
    text: str = part.get_content()
    return text


def test_invitations_preparation_reminders_and_the_meeting_with_a_calendar_file_once(
    session: Session, settings: Settings, org: Org, cycle: DialogueCycle, inbox: tuple[Inbox, int]
) -> None:
    received, port = inbox
    mail = _mail_settings(settings, port)
    dialogue = dialogue_of(session, cycle, org.leader)
    meeting = datetime.combine(cycle.meeting_from + timedelta(days=8), time(13), tzinfo=UTC)
    agreement.schedule_meeting(
        session,
        actor=viewer(org.chef),
        dialogue_id=dialogue.id,
        meeting_at=meeting,
        place="Rådhuset",
    )
    ours = set(session.scalars(select(Dialogue.id).where(Dialogue.cycle_id == cycle.id)))
    sent = [r for r in send_due_reminders(session, mail) if r.dialogue_id in ours]
    assert {r.kind for r in sent} == {"invitation", "meeting", "preparation_due_7"}

    to_leader = received.to(org.leader.email)
    subjects = sorted(r.subject for r in sent if r.to == org.leader.email)
    assert subjects == [
        f"Invitation til udviklingssamtale (LUS) {cycle.year}",
        "Påmindelse: forberedelsen til udviklingssamtalen",
        subjects[2],
    ]
    assert subjects[2].startswith("Udviklingssamtale ")
    invitation = next(m for m in to_leader if str(m["Subject"]) == subjects[2])
    assert "Kalenderinvitationen er vedhæftet." in _body(invitation)
    [ics] = [part for part in invitation.walk() if part.get_content_type() == "text/calendar"]
    event = Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")[0]
    assert event["uid"] == f"dialogue-{dialogue.id}@kompetencekatalog.ltk"
    assert event.decoded("dtstart") == meeting
    assert str(event["location"]) == "Rådhuset"
    assert received.to(org.chef.email)  # the chef's preparation reminder

    before = len(received.messages)
    assert send_due_reminders(session, mail) == []  # the same run again sends nothing
    assert len(received.messages) == before

    moved = meeting + timedelta(days=1)
    agreement.schedule_meeting(
        session, actor=viewer(org.chef), dialogue_id=dialogue.id, meeting_at=moved, place="Rådhuset"
    )
    again = send_due_reminders(session, mail)
    assert [(r.kind, r.to) for r in again] == [("meeting", org.leader.email)]


def test_a_mail_server_that_cannot_be_reached_leaves_the_reminder_to_be_sent_later(
    session: Session, settings: Settings, org: Org, cycle: DialogueCycle, inbox: tuple[Inbox, int]
) -> None:
    received, port = inbox
    with pytest.raises(MailError):
        send_due_reminders(session, _mail_settings(settings, _free_port()))
    claimed = session.scalar(select(func.count()).select_from(DialogueReminderSent))
    assert claimed == 0
    assert send_due_reminders(session, _mail_settings(settings, port))
    assert received.to(org.leader.email)


def test_summary_follow_up_and_overdue_actions_are_reminded(
    session: Session, settings: Settings, org: Org, cycle: DialogueCycle, inbox: tuple[Inbox, int]
) -> None:
    received, port = inbox
    dialogue = dialogue_of(session, cycle, org.leader)
    dialogue.status = DialogueStatus.HELD
    dialogue.held_at = utcnow() - timedelta(days=4)
    dialogue.leader_confirmed_at = utcnow()
    session.flush()
    sent = send_due_reminders(session, _mail_settings(settings, port), now=utcnow())
    unconfirmed = [
        (r.kind, r.to)
        for r in sent
        if r.kind == "summary_unconfirmed" and r.dialogue_id == dialogue.id
    ]
    assert unconfirmed == [("summary_unconfirmed", org.chef.email)]
    agreement.set_agreement(
        session,
        actor=viewer(org.chef),
        dialogue_id=dialogue.id,
        summary="Referat.",
        focuses=[
            FocusInput(
                statement(session, "K1.5").id,
                "Mål.",
                "Tegn.",
                [
                    ActionInput(
                        ActionKind.READING, "Læs bogen", due_on=date.today() - timedelta(days=1)
                    )
                ],
            )
        ],
    )
    dialogue.status = DialogueStatus.AGREED
    dialogue.agreed_at = utcnow() - timedelta(days=250)  # past half-way to the cycle's close
    session.flush()
    later = [(r.kind, r.to) for r in send_due_reminders(session, _mail_settings(settings, port))]
    assert ("follow_up_due", org.chef.email) in later
    assert ("action_overdue", org.leader.email) in later
    overdue = next(m for m in received.to(org.leader.email) if "over tid" in str(m["Subject"]))
    assert "»Læs bogen«" in _body(overdue)
