"""submitEvaluationAnswers: a respondent answers (or changes answers) through their link."""

from __future__ import annotations

import strawberry

from catalogue.graphql.context import Info
from catalogue.graphql.evaluation.enums import AnswerChoiceEnum
from catalogue.graphql.evaluation.mutations.payloads import SubmitEvaluationAnswersPayload
from catalogue.graphql.evaluation.types import QuestionnaireType
from catalogue.models.base import utcnow
from catalogue.services import evaluation_answers


@strawberry.input
class EvaluationRatingInput:
    statement_key: str
    choice: AnswerChoiceEnum  # type: ignore[valid-type]
    score: int | None = None


@strawberry.input
class EvaluationCommentInput:
    field_key: str
    text: str = strawberry.field(description="Tom tekst fjerner feltets kommentar.")


@strawberry.input
class SubmitEvaluationAnswersInput:
    token: str = strawberry.field(description="Tokenet fra det personlige link.")
    ratings: list[EvaluationRatingInput] = strawberry.field(default_factory=list)
    comments: list[EvaluationCommentInput] = strawberry.field(default_factory=list)


def submit_evaluation_answers(
    info: Info, input: SubmitEvaluationAnswersInput
) -> SubmitEvaluationAnswersPayload:
    questionnaire = evaluation_answers.submit_answers(
        info.context.session,
        token=input.token,
        ratings=[
            evaluation_answers.RatingInput(
                statement_key=r.statement_key, choice=r.choice, score=r.score
            )
            for r in input.ratings
        ],
        comments=[
            evaluation_answers.CommentInput(field_key=c.field_key, text=c.text)
            for c in input.comments
        ],
        now=utcnow(),
    )
    return SubmitEvaluationAnswersPayload(
        questionnaire=QuestionnaireType.from_questionnaire(questionnaire)
    )
