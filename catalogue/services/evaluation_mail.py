"""Invitations and reminders by e-mail, each sent once (``evaluation_invitation_sent``).

A link token is made when its e-mail is written and exists afterwards only in that
e-mail: the database keeps its hash. Each e-mail is its own transaction: the hash and
the sent-record are flushed, the mail goes out, then the transaction commits. A failed
send rolls back (no record, no hash: the next run tries again); a retried task finds
the record and sends nothing.

A reminder goes to an invitation that has not been answered at all, and carries a fresh
link (the old one stops working). That is safe: an unanswered invitation has no
answers under the old token to lose. The invitation row is locked while this is
decided, as an answer through the old link locks it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from catalogue.models import (
    Evaluatee,
    EvaluationInvitation,
    EvaluationInvitationAnswered,
    EvaluationInvitationSent,
    EvaluationRound,
    InvitationStatus,
    RespondentGroup,
    RoundStatus,
)
from catalogue.services.evaluation_answers import danish_time
from catalogue.services.evaluation_tokens import new_token, token_hash
from catalogue.services.mail import send_mail
from catalogue.settings import Settings

INVITATION = "INVITATION"

ABOUT = {
    RespondentGroup.SELF: "dig selv (selvevaluering)",
    RespondentGroup.CHEF: "din leder {name}",
    RespondentGroup.PEER: "din kollega {name}",
    RespondentGroup.EMPLOYEE: "din leder {name}",
    RespondentGroup.SUBORDINATE_LEADER: "din leder {name}",
}
ANONYMITY = (
    "Dine svar gemmes uden forbindelse til dig eller til dette link: der gemmes kun, at "
    "linket er brugt. Resultater vises først, når runden er lukket, og kun for grupper med "
    "nok svar. Du kan ændre dine svar med linket, indtil runden lukker."
)


@dataclass(frozen=True)
class MailRun:
    invitations: int = 0
    reminders: int = 0


def respondent_link(settings: Settings, token: str) -> str:
    """Where the respondent's page is; the page posts the token to ``submitEvaluationAnswers``."""
    return f"{settings.public_url.rstrip('/')}/evaluering/{token}"


def _text(settings: Settings, invitation: EvaluationInvitation, token: str, reminder: bool) -> str:
    evaluatee: Evaluatee = invitation.evaluatee
    round_ = evaluatee.round
    about = ABOUT[invitation.group].format(name=evaluatee.person.name)
    opening = (
        "Påmindelse: du har endnu ikke svaret på ledelsesevalueringen."
        if reminder
        else "Du er inviteret til at svare på ledelsesevalueringen."
    )
    lines = [
        "Hej",
        "",
        opening,
        f"Runde: {round_.name}. Du svarer om {about}.",
        f"Svar senest {danish_time(round_.closes_at)} via dit personlige link:",
        "",
        respondent_link(settings, token),
        "",
        ANONYMITY,
    ]
    if reminder:
        lines += ["", "Linket i tidligere e-mails virker ikke længere; brug linket ovenfor."]
    lines += ["", "Del ikke linket: det er din adgang til at svare.", "", "Venlig hilsen HR"]
    return "\n".join(lines)


def _send(
    session: Session,
    settings: Settings,
    invitation: EvaluationInvitation,
    *,
    kind: str,
    now: datetime,
) -> None:
    token = new_token()
    invitation.token_hash = token_hash(token)
    session.add(EvaluationInvitationSent(invitation_id=invitation.id, kind=kind, sent_at=now))
    session.flush()
    round_name = invitation.evaluatee.round.name
    subject = (
        f"Påmindelse: ledelsesevaluering {round_name}"
        if kind != INVITATION
        else f"Ledelsesevaluering: {round_name}"
    )
    try:
        send_mail(
            settings,
            to=invitation.email,
            subject=subject,
            text=_text(settings, invitation, token, reminder=kind != INVITATION),
        )
    except BaseException:
        session.rollback()
        raise
    session.commit()


def _open_round_invitations(now: datetime) -> Select[int]:
    return (
        select(EvaluationInvitation.id)
        .join(Evaluatee, Evaluatee.id == EvaluationInvitation.evaluatee_id)
        .join(EvaluationRound, EvaluationRound.id == Evaluatee.round_id)
        .where(
            EvaluationRound.status == RoundStatus.OPEN,
            EvaluationRound.closes_at > now,
            EvaluationInvitation.status == InvitationStatus.ACTIVE,
        )
        .order_by(EvaluationInvitation.id)
    )


def _sent(session: Session, invitation_id: int, kind: str) -> bool:
    return (
        session.scalar(
            select(EvaluationInvitationSent.id).where(
                EvaluationInvitationSent.invitation_id == invitation_id,
                EvaluationInvitationSent.kind == kind,
            )
        )
        is not None
    )


def send_due_mail(session: Session, settings: Settings, *, now: datetime) -> MailRun:
    """Send every invitation not yet sent and every reminder that is due; commits each."""
    invitations = reminders = 0
    for invitation_id in session.scalars(_open_round_invitations(now)).all():
        invitation = session.scalars(
            select(EvaluationInvitation)
            .where(EvaluationInvitation.id == invitation_id)
            .with_for_update()
        ).one()
        if not _sent(session, invitation_id, INVITATION):
            _send(session, settings, invitation, kind=INVITATION, now=now)
            invitations += 1
            continue
        round_ = invitation.evaluatee.round
        due = [d for d in round_.reminder_days if now >= round_.closes_at - timedelta(days=d)]
        answered = session.get(EvaluationInvitationAnswered, invitation_id) is not None
        kind = f"REMINDER:{min(due)}" if due else None
        if kind is None or answered or _sent(session, invitation_id, kind):
            continue
        _send(session, settings, invitation, kind=kind, now=now)
        reminders += 1
    session.commit()  # ends the transaction and releases the locks of the skipped rows
    return MailRun(invitations=invitations, reminders=reminders)
