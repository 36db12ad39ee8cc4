"""Sending e-mail through the municipality's SMTP server (settings ``CATALOGUE_SMTP_*``).

One small function over the standard library (``email.message.EmailMessage`` and
``smtplib``), so every sender (evaluation invitations and reminders, dialogue
reminders) builds and sends a message the same way. Whether a message was already
sent is the caller's record (e.g. ``evaluation_invitation_sent``): this function only
sends. A failure raises ``MailError`` or ``OSError``; the calling task retries it.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from catalogue.settings import Settings

#: Seconds one SMTP conversation may take before it is given up (and retried by the task).
SMTP_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


class MailError(Exception):
    """The e-mail could not be sent as configured (no server, a header that is not allowed)."""


def _message(settings: Settings, *, to: str, subject: str, text: str) -> EmailMessage:
    if any(c in value for value in (to, subject) for c in "\r\n"):
        raise MailError("Modtager og emne må ikke indeholde linjeskift.")
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    return message


def send_mail(
    settings: Settings,
    *,
    to: str,
    subject: str,
    text: str,
    attachments: Sequence[Attachment] = (),
) -> None:
    """Send one plain-text e-mail (UTF-8) with optional attachments."""
    if not settings.smtp_host:
        raise MailError("CATALOGUE_SMTP_HOST er ikke sat: e-mail kan ikke sendes.")
    message = _message(settings, to=to, subject=subject, text=text)
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username and settings.smtp_password is not None:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(message)
