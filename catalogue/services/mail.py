"""Sending e-mail through SMTP: one message, with attachments, in the standard library's words.

``send_mail`` builds an ``email.message.EmailMessage`` and hands it to ``smtplib``
(STARTTLS and login when configured). It sends nothing itself about when or why:
the callers (dialogue reminders, evaluation invitations) record what was sent, so a
retried task sends a reminder once. A failure to reach the server is ``MailError``; the
password is a ``SecretStr`` and is in ``Settings.secret_values()``, so it never reaches a log.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from catalogue.settings import Settings


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


class MailError(Exception):
    """The message could not be handed to the SMTP server (worth retrying later)."""


def build_message(
    settings: Settings,
    *,
    to: str,
    subject: str,
    text: str,
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
    message.set_content(text)
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        params = {}
        if ";" in subtype:
            subtype, _, rest = subtype.partition(";")
            for part in rest.split(";"):
                key, _, value = part.strip().partition("=")
                if key:
                    params[key] = value
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype.strip(),
            filename=attachment.filename,
            params=params,
        )
    return message


def send_mail(
    settings: Settings,
    *,
    to: str,
    subject: str,
    text: str,
    attachments: Sequence[Attachment] = (),
) -> None:
    """Send one message; raises MailError when the server cannot be reached or refuses."""
    if not settings.smtp_host:
        raise MailError("CATALOGUE_SMTP_HOST er ikke sat; der kan ikke sendes e-mail.")
    message = build_message(settings, to=to, subject=subject, text=text, attachments=attachments)
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_username and settings.smtp_password is not None:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"E-mailen til {to} kunne ikke sendes: {error}") from error
