"""Answering through a personal link: the questionnaire, and storing answers without a trace.

The respondent has no login; the link's token is the only credential. It finds the
invitation by its hash (never stored in the clear) and, while the round is open, the
respondent's own answer set and comments by their ``change_key``s, so the respondent
can come back and change answers until the round closes. Nothing here writes a
respondent or an invitation id next to an answer, nor a time: the answer tables have
no such column, and no audit entry or log line is written for an answer.

Two submissions of the same link at once: the invitation row is locked
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite has one writer at a time), so the
second sees the first one's answer set and changes it instead of making a second
one; the unique ``change_key`` is the backstop that refuses a duplicate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalogue.models import (
    AnswerChoice,
    CompetenceField,
    CompetenceStatement,
    Evaluatee,
    EvaluationAnswerSet,
    EvaluationComment,
    EvaluationInvitation,
    EvaluationInvitationAnswered,
    EvaluationRating,
    EvaluationRound,
    InvitationStatus,
    RespondentGroup,
    RoundStatus,
)
from catalogue.models.evaluation import round_statements
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.evaluation_tokens import KeyPurpose, derived_key, is_well_formed, token_hash
from catalogue.services.validation import Checks

#: Longest comment on one field.
MAX_COMMENT_LENGTH = 4000

INVALID_LINK = DomainError(
    ErrorCode.INVALID_TOKEN,
    "Linket er ikke gyldigt. Brug linket i den seneste e-mail om evalueringen, eller kontakt HR.",
    field="token",
)


@dataclass(frozen=True)
class RatingInput:
    statement_key: str
    choice: AnswerChoice
    score: int | None = None


@dataclass(frozen=True)
class CommentInput:
    field_key: str
    text: str


@dataclass(frozen=True)
class Questionnaire:
    """What the respondent's page shows: whom it is about, what is asked, what they said."""

    round: EvaluationRound
    evaluatee_name: str
    group: RespondentGroup
    fields: list[tuple[CompetenceField, list[CompetenceStatement]]]
    ratings: dict[str, EvaluationRating]
    comments: dict[str, str]


def danish_time(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y kl. %H.%M UTC")


def _open_invitation(
    session: Session, token: str, now: datetime, *, lock: bool
) -> tuple[EvaluationInvitation, EvaluationRound]:
    """The link's invitation, if the link is real and its round still takes answers."""
    if not is_well_formed(token):
        raise INVALID_LINK
    statement = select(EvaluationInvitation).where(
        EvaluationInvitation.token_hash == token_hash(token),
        EvaluationInvitation.status == InvitationStatus.ACTIVE,
    )
    if lock:
        statement = statement.with_for_update()
    invitation = session.scalars(statement).first()
    if invitation is None:
        raise INVALID_LINK
    round_ = invitation.evaluatee.round
    if round_.status is not RoundStatus.OPEN or now >= round_.closes_at:
        raise DomainError(
            ErrorCode.ROUND_NOT_OPEN,
            f"Evalueringen lukkede for svar {danish_time(round_.closes_at)}; "
            "svar kan ikke længere gives eller ændres.",
            field="token",
        )
    return invitation, round_


def _asked(session: Session, round_id: int) -> list[tuple[CompetenceField, CompetenceStatement]]:
    rows = session.execute(
        select(CompetenceField, CompetenceStatement)
        .join(CompetenceStatement, CompetenceStatement.field_id == CompetenceField.id)
        .join(round_statements, round_statements.c.statement_id == CompetenceStatement.id)
        .where(round_statements.c.round_id == round_id)
        .order_by(CompetenceField.position, CompetenceStatement.position)
    ).all()
    return [(field, statement) for field, statement in rows]


def questionnaire(session: Session, *, token: str, now: datetime) -> Questionnaire:
    invitation, round_ = _open_invitation(session, token, now, lock=False)
    grouped: dict[int, tuple[CompetenceField, list[CompetenceStatement]]] = {}
    for field, statement in _asked(session, round_.id):
        grouped.setdefault(field.id, (field, []))[1].append(statement)
    answer_set = session.scalars(
        select(EvaluationAnswerSet).where(
            EvaluationAnswerSet.change_key == derived_key(token, KeyPurpose.RATINGS)
        )
    ).first()
    keys = {s.id: s.key for _, statements in grouped.values() for s in statements}
    field_keys = {field.id: field.key for field, _ in grouped.values()}
    ratings = (
        {keys[r.statement_id]: r for r in answer_set.ratings if r.statement_id in keys}
        if answer_set
        else {}
    )
    comments = {
        field_keys[c.field_id]: c.text
        for c in session.scalars(
            select(EvaluationComment).where(
                EvaluationComment.change_key == derived_key(token, KeyPurpose.COMMENTS)
            )
        )
        if c.field_id in field_keys
    }
    evaluatee: Evaluatee = invitation.evaluatee
    return Questionnaire(
        round=round_,
        evaluatee_name=evaluatee.person.name,
        group=invitation.group,
        fields=list(grouped.values()),
        ratings=ratings,
        comments=comments,
    )


def _check_ratings(
    checks: Checks,
    ratings: Sequence[RatingInput],
    statements: dict[str, CompetenceStatement],
    scale_max: int,
) -> None:
    seen: set[str] = set()
    for index, rating in enumerate(ratings):
        where = f"ratings[{index}]"
        label = f"Svar nr. {index + 1}"
        if rating.statement_key not in statements:
            shown = rating.statement_key[:20].encode("unicode_escape").decode("ascii")
            checks.fail(
                f"{where}.statementKey",
                ErrorCode.NOT_FOUND,
                f"{label}: udsagnet '{shown}' er ikke med i denne evaluering.",
            )
            continue
        if rating.statement_key in seen:
            checks.fail(
                f"{where}.statementKey",
                ErrorCode.DUPLICATE,
                f"{label}: udsagn {rating.statement_key} er besvaret to gange i samme indsendelse.",
            )
        seen.add(rating.statement_key)
        if rating.choice is AnswerChoice.SCORE:
            if rating.score is None or not 1 <= rating.score <= scale_max:
                checks.fail(
                    f"{where}.score",
                    ErrorCode.INVALID,
                    f"{label} (udsagn {rating.statement_key}): vælg en værdi fra 1 til "
                    f"{scale_max}, eller 'ved ikke' eller 'ønsker ikke at svare'.",
                )
        elif rating.score is not None:
            checks.fail(
                f"{where}.score",
                ErrorCode.INVALID,
                f"{label} (udsagn {rating.statement_key}): 'ved ikke' og 'ønsker ikke at svare' "
                "har ingen værdi på skalaen.",
            )


def submit_answers(
    session: Session,
    *,
    token: str,
    ratings: Sequence[RatingInput],
    comments: Sequence[CommentInput],
    now: datetime,
) -> Questionnaire:
    """Store or change the link's answers; statements and fields not sent stay as they were.

    A comment sent empty removes that field's comment. Every problem of the input is
    reported at once and nothing is stored unless all of it is right.
    """
    invitation, round_ = _open_invitation(session, token, now, lock=True)
    asked = _asked(session, round_.id)
    statements = {statement.key: statement for _, statement in asked}
    fields = {field.key: field for field, _ in asked}
    checks = Checks()
    if len(ratings) > len(statements) or len(comments) > len(fields):
        raise DomainError(
            ErrorCode.INVALID,
            "Der er sendt flere svar, end evalueringen har udsagn og felter.",
            field="ratings",
        )
    _check_ratings(checks, ratings, statements, round_.scale_max)
    cleaned: list[tuple[CompetenceField, str]] = []
    seen_fields: set[str] = set()
    for index, comment in enumerate(comments):
        where = f"comments[{index}]"
        field = fields.get(comment.field_key)
        if field is None:
            checks.fail(
                f"{where}.fieldKey",
                ErrorCode.NOT_FOUND,
                f"Kommentar nr. {index + 1}: feltet er ikke med i denne evaluering.",
            )
            continue
        if comment.field_key in seen_fields:
            checks.fail(
                f"{where}.fieldKey",
                ErrorCode.DUPLICATE,
                f"Kommentar nr. {index + 1}: feltet {field.key} har to kommentarer.",
            )
        seen_fields.add(comment.field_key)
        text = checks.text(
            f"{where}.text",
            comment.text,
            label=f"Kommentaren til {field.key}",
            max_length=MAX_COMMENT_LENGTH,
            required=False,
            multiline=True,
        )
        cleaned.append((field, text or ""))
    checks.done()
    _store_ratings(session, invitation, token, ratings, statements)
    _store_comments(session, invitation, token, cleaned)
    if session.get(EvaluationInvitationAnswered, invitation.id) is None:
        session.add(EvaluationInvitationAnswered(invitation_id=invitation.id))
    session.flush()
    return questionnaire(session, token=token, now=now)


def _store_ratings(
    session: Session,
    invitation: EvaluationInvitation,
    token: str,
    ratings: Sequence[RatingInput],
    statements: dict[str, CompetenceStatement],
) -> None:
    if not ratings:
        return
    key = derived_key(token, KeyPurpose.RATINGS)
    answer_set = session.scalars(
        select(EvaluationAnswerSet).where(EvaluationAnswerSet.change_key == key)
    ).first()
    if answer_set is None:
        answer_set = EvaluationAnswerSet(
            evaluatee_id=invitation.evaluatee_id, group=invitation.group, change_key=key
        )
        session.add(answer_set)
        session.flush()
    ids = [statements[r.statement_key].id for r in ratings]
    session.execute(
        delete(EvaluationRating).where(
            EvaluationRating.answer_set_id == answer_set.id,
            EvaluationRating.statement_id.in_(ids),
        )
    )
    session.add_all(
        EvaluationRating(
            answer_set_id=answer_set.id,
            statement_id=statements[r.statement_key].id,
            choice=r.choice,
            score=r.score if r.choice is AnswerChoice.SCORE else None,
        )
        for r in ratings
    )
    session.flush()
    session.expire(answer_set, ["ratings"])


def _store_comments(
    session: Session,
    invitation: EvaluationInvitation,
    token: str,
    comments: list[tuple[CompetenceField, str]],
) -> None:
    key = derived_key(token, KeyPurpose.COMMENTS)
    for field, text in comments:
        session.execute(
            delete(EvaluationComment).where(
                EvaluationComment.change_key == key, EvaluationComment.field_id == field.id
            )
        )
        if text:
            session.add(
                EvaluationComment(
                    evaluatee_id=invitation.evaluatee_id,
                    group=invitation.group,
                    field_id=field.id,
                    text=text,
                    change_key=key,
                )
            )
    session.flush()
