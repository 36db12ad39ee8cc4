"""The question bank seed (``seed/question_bank.yaml``): one behavioural question per statement.

Loading adds the questions of statements that have none yet and leaves the rest
alone, because HR edits the bank in the system afterwards and a re-seed must not
undo that. Every key must be a statement of the current profile, and every statement
of it must have a question: a bank with a gap would leave a MUST without a question.
"""

from __future__ import annotations

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import InterviewQuestion
from catalogue.seeding.schema import Text, _Strict
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.profiles import current_profile, statements_by_key


class QuestionSeed(_Strict):
    question: Text
    probes: list[Text] = Field(min_length=1)
    good: Text
    weak: Text


class QuestionBankSeed(_Strict):
    questions: dict[str, QuestionSeed] = Field(min_length=1)


def load_question_bank(session: Session, seed: QuestionBankSeed) -> int:
    """Add the missing questions; returns how many were added."""
    profile = current_profile(session)
    if profile is None:
        return 0
    known = set(statements_by_key(session, profile.id))
    unknown = sorted(set(seed.questions) - known)
    if unknown:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            "spørgebanken nævner udsagn, der ikke findes i kompetenceprofilen: "
            + ", ".join(unknown),
            field="questions",
        )
    missing = sorted(known - set(seed.questions))
    if missing:
        raise DomainError(
            ErrorCode.REQUIRED,
            "spørgebanken mangler spørgsmål til " + ", ".join(missing),
            field="questions",
        )
    present = set(session.scalars(select(InterviewQuestion.statement_key).distinct()))
    added = 0
    for key, entry in seed.questions.items():
        if key in present:
            continue
        session.add(
            InterviewQuestion(
                statement_key=key,
                position=1,
                question=entry.question,
                probes=list(entry.probes),
                good_evidence=entry.good,
                weak_evidence=entry.weak,
            )
        )
        added += 1
    session.flush()
    return added
