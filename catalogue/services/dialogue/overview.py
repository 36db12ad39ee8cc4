"""HR's aggregate view of a cycle, with small cells suppressed so no one is singled out.

Every cell counts leaders (distinct people), and a cell that describes from 1 to
``MIN_LEADERS - 1`` leaders is suppressed: its number is withheld and marked so,
in the API and in the CSV and XLSX downloads alike. Zero describes no one and is
shown. HR sees only this view unless the cycle lets HR open single dialogues.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    CompetenceField,
    CompetenceStatement,
    Course,
    CourseRun,
    DevelopmentAction,
    Dialogue,
    DialogueCycle,
    DialogueFocus,
    DialogueStatus,
    OrgUnit,
    Person,
)
from catalogue.services.errors import DomainError, ErrorCode

#: Cells describing fewer leaders than this are suppressed.
MIN_LEADERS = 5
NO_UNIT = "Uden enhed"


@dataclass(frozen=True)
class Cell:
    """One count in the overview: ``leaders`` is ``None`` when the cell is suppressed."""

    section: str
    label: str
    leaders: int | None

    @property
    def suppressed(self) -> bool:
        return self.leaders is None


def _cell(section: str, label: str, people: Iterable[int]) -> Cell:
    count = len(set(people))
    return Cell(section, label, None if 0 < count < MIN_LEADERS else count)


@dataclass(frozen=True)
class Overview:
    cycle_id: int
    year: int
    title: str
    cells: tuple[Cell, ...]

    def section(self, name: str) -> list[Cell]:
        return [cell for cell in self.cells if cell.section == name]


SECTIONS = {
    "status": "Samtaler pr. status",
    "field": "Fokusudsagn pr. kompetencefelt",
    "unit_field": "Fokusudsagn pr. enhed og felt",
    "action": "Handlinger pr. status",
    "course": "Mest valgte kurser",
}


def cycle_overview(session: Session, cycle_id: int) -> Overview:
    cycle = session.get(DialogueCycle, cycle_id)
    if cycle is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Samtalerunden findes ikke.", field="cycle")
    dialogues = session.execute(
        select(Dialogue.id, Dialogue.leader_id, Dialogue.status).where(
            Dialogue.cycle_id == cycle.id
        )
    ).all()
    by_status: dict[DialogueStatus, list[int]] = defaultdict(list)
    for _, leader_id, status in dialogues:
        by_status[status].append(leader_id)
    cells = [_cell("status", status.value, by_status.get(status, [])) for status in DialogueStatus]

    focus = session.execute(
        select(Dialogue.leader_id, CompetenceField.key, OrgUnit.name)
        .join(DialogueFocus, DialogueFocus.dialogue_id == Dialogue.id)
        .join(CompetenceStatement, CompetenceStatement.id == DialogueFocus.statement_id)
        .join(CompetenceField, CompetenceField.id == CompetenceStatement.field_id)
        .join(Person, Person.id == Dialogue.leader_id)
        .outerjoin(OrgUnit, OrgUnit.id == Person.org_unit_id)
        .where(Dialogue.cycle_id == cycle.id)
    ).all()
    by_field: dict[str, list[int]] = defaultdict(list)
    by_unit_field: dict[tuple[str, str], list[int]] = defaultdict(list)
    for leader_id, field_key, unit in focus:
        by_field[field_key].append(leader_id)
        by_unit_field[(unit or NO_UNIT, field_key)].append(leader_id)
    field_keys = list(
        session.scalars(
            select(CompetenceField.key)
            .where(CompetenceField.profile_id == cycle.profile_id)
            .order_by(CompetenceField.position)
        )
    )
    cells += [_cell("field", key, by_field.get(key, [])) for key in field_keys]
    cells += [
        _cell("unit_field", f"{unit} / {key}", people)
        for (unit, key), people in sorted(by_unit_field.items())
    ]

    actions = session.execute(
        select(Dialogue.leader_id, DevelopmentAction.status, Course.title)
        .join(DialogueFocus, DialogueFocus.dialogue_id == Dialogue.id)
        .join(DevelopmentAction, DevelopmentAction.focus_id == DialogueFocus.id)
        .outerjoin(CourseRun, CourseRun.id == DevelopmentAction.course_run_id)
        .outerjoin(Course, Course.id == CourseRun.course_id)
        .where(Dialogue.cycle_id == cycle.id)
    ).all()
    by_action: dict[str, list[int]] = defaultdict(list)
    by_course: dict[str, list[int]] = defaultdict(list)
    for leader_id, action_status, course in actions:
        by_action[action_status.value].append(leader_id)
        if course is not None:
            by_course[course].append(leader_id)
    cells += [_cell("action", status, people) for status, people in sorted(by_action.items())]
    courses = sorted(by_course.items(), key=lambda item: (-len(set(item[1])), item[0]))
    cells += [_cell("course", title, people) for title, people in courses]
    return Overview(cycle.id, cycle.year, cycle.title, tuple(cells))
