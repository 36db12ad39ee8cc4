"""The question bank seed (``seed/question_bank.yaml``): one behavioural question per statement.

Loading adds the questions of statements that have none yet and leaves the rest
alone, because HR edits the bank in the system afterwards and a re-seed must not
undo that. Every key must be a statement of some profile version (a typo is refused;
a key a newer version dropped is kept, as role profiles keep theirs). A statement
without a question is allowed here: HR can write one, and a guide cannot be locked
while a MUST statement has no question. The shipped file covers all 39
(tests/recruitment/test_seed.py).
"""

from __future__ import annotations

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import CompetenceStatement, InterviewQuestion
from catalogue.seeding.schema import Text, _Strict
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.profiles import current_profile


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
    known = set(session.scalars(select(CompetenceStatement.key).distinct()))
    unknown = sorted(set(seed.questions) - known)
    if unknown:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            "spørgebanken nævner udsagn, der ikke findes i nogen version af "
            "kompetenceprofilen: " + ", ".join(unknown),
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
