"""Input types the dialogue mutations share, and their reading into the services' inputs."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.types import CourseRunType
from catalogue.graphql.dialogue.enums import ActionKindEnum
from catalogue.graphql.people.types import PersonType
from catalogue.graphql.profile.types import CompetenceStatementType
from catalogue.models import ActionKind
from catalogue.services.dialogue.agreement import ActionInput, FocusInput
from catalogue.services.dialogue.preparation import AssessmentInput, ImportanceInput
from catalogue.services.errors import DomainError, DomainValidationError


@strawberry.input(description="Et udsagns vigtighed for lederen: 0 ikke relevant … 3 afgørende.")
class DialogueImportanceInput:
    statement_id: GlobalID
    importance: int
    rationale: str = ""


@strawberry.input(description="En vurdering af et udsagn; udelad score for »ved ikke«.")
class DialogueAssessmentInput:
    statement_id: GlobalID
    score: int | None = None
    comment: str = ""


@strawberry.input(description="En udviklingshandling; et kursus har et hold.")
class DevelopmentActionInput:
    kind: ActionKindEnum  # type: ignore[valid-type]
    description: str
    course_run_id: GlobalID | None = None
    owner_id: GlobalID | None = strawberry.field(
        default=None, description="Hvem der står for handlingen; lederen hvis udeladt."
    )
    starts_on: date | None = None
    due_on: date | None = None
    action_id: GlobalID | None = strawberry.field(
        default=None, description="En gemt handling, der beholdes (med sin booking)."
    )


@strawberry.input(description="Et aftalt fokusudsagn: mål med lederens ord og tegn på succes.")
class DialogueFocusInput:
    statement_id: GlobalID
    goal: str
    success_criteria: str
    actions: list[DevelopmentActionInput] = strawberry.field(default_factory=list)


class _Ids:
    """Decodes many ids, keeping every problem to report at once."""

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def get(self, value: GlobalID, node_type: type, field: str) -> int:
        try:
            return decode_id(value, node_type, field=field)
        except DomainError as error:
            self.errors.append(error)
            return -1

    def done(self) -> None:
        if self.errors:
            raise DomainValidationError(self.errors)


def importances(
    rows: list[DialogueImportanceInput], field: str = "importances"
) -> list[ImportanceInput]:
    ids = _Ids()
    result = [
        ImportanceInput(
            ids.get(row.statement_id, CompetenceStatementType, f"{field}[{i}].statementId"),
            row.importance,
            row.rationale,
        )
        for i, row in enumerate(rows)
    ]
    ids.done()
    return result


def assessments(rows: list[DialogueAssessmentInput]) -> list[AssessmentInput]:
    ids = _Ids()
    result = [
        AssessmentInput(
            ids.get(row.statement_id, CompetenceStatementType, f"assessments[{i}].statementId"),
            row.score,
            row.comment,
        )
        for i, row in enumerate(rows)
    ]
    ids.done()
    return result


def focuses(rows: list[DialogueFocusInput]) -> list[FocusInput]:
    from catalogue.graphql.dialogue.types import DevelopmentActionType

    ids = _Ids()
    result = []
    for i, row in enumerate(rows):
        where = f"focuses[{i}]"
        actions = []
        for j, action in enumerate(row.actions):
            at = f"{where}.actions[{j}]"
            actions.append(
                ActionInput(
                    kind=ActionKind(action.kind),
                    description=action.description,
                    course_run_id=ids.get(action.course_run_id, CourseRunType, f"{at}.courseRunId")
                    if action.course_run_id
                    else None,
                    owner_id=ids.get(action.owner_id, PersonType, f"{at}.ownerId")
                    if action.owner_id
                    else None,
                    starts_on=action.starts_on,
                    due_on=action.due_on,
                    action_id=ids.get(action.action_id, DevelopmentActionType, f"{at}.actionId")
                    if action.action_id
                    else None,
                )
            )
        result.append(
            FocusInput(
                statement_id=ids.get(
                    row.statement_id, CompetenceStatementType, f"{where}.statementId"
                ),
                goal=row.goal,
                success_criteria=row.success_criteria,
                actions=actions,
            )
        )
    ids.done()
    return result
