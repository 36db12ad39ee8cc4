"""Progress against the competence profile, per field and per statement.

A statement of the current profile is

- COVERED when the person has completed a course, or an activity, that the
  statement is linked to as PRIMARY (a course counts as completed when its
  enrolment is COMPLETED, or when all its required activities are completed,
  enrolled or not);
- PLANNED when it is not covered but the person holds a place (APPROVED,
  ENROLLED, IN_PROGRESS) on such a course or on the course of such an activity;
- OPEN otherwise. Supporting links do not count; removed links do not count.

``progress_for`` computes it for many people with a fixed number of queries, so
a chef's team costs the same as one person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    ActivityCompletion,
    CompetenceField,
    CompetenceLink,
    CompetenceStatement,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    LinkStrength,
)
from catalogue.models.enrolment import enrolment_focus
from catalogue.services.course_rule import completes_course
from catalogue.services.profiles import current_profile

PLANNED_STATUSES = (EnrolmentStatus.APPROVED, EnrolmentStatus.ENROLLED, EnrolmentStatus.IN_PROGRESS)
FOCUS_STATUSES = (
    EnrolmentStatus.REQUESTED,
    EnrolmentStatus.WAITLISTED,
    *PLANNED_STATUSES,
    EnrolmentStatus.COMPLETED,
)


class StatementStatus(StrEnum):
    COVERED = "COVERED"
    PLANNED = "PLANNED"
    OPEN = "OPEN"


@dataclass(frozen=True)
class StatementProgress:
    statement_id: int
    status: StatementStatus
    focus: bool
    covered_by_course_ids: tuple[int, ...]
    planned_course_ids: tuple[int, ...]


@dataclass(frozen=True)
class FieldProgress:
    field_id: int
    statements: tuple[StatementProgress, ...]

    def count(self, status: StatementStatus) -> int:
        return sum(1 for s in self.statements if s.status is status)


@dataclass(frozen=True)
class PersonProgress:
    person_id: int
    profile_id: int | None
    fields: tuple[FieldProgress, ...]

    def count(self, status: StatementStatus) -> int:
        return sum(f.count(status) for f in self.fields)


@dataclass
class _PersonFacts:
    completed_courses: set[int]
    planned_courses: set[int]
    completed_activities: set[int]
    focus_statements: set[int]
    #: Courses of the completed activities: their activity links can cover a statement.
    activity_courses: set[int]

    def relevant_courses(self) -> set[int]:
        """The only courses whose links can make a statement covered or planned."""
        return self.completed_courses | self.planned_courses | self.activity_courses


def progress_for(session: Session, person_ids: Sequence[int]) -> dict[int, PersonProgress]:
    """Each person's progress against the current profile (empty when there is none)."""
    profile = current_profile(session)
    if profile is None:
        return {pid: PersonProgress(pid, None, ()) for pid in person_ids}
    statements = session.execute(
        select(CompetenceStatement.id, CompetenceStatement.field_id)
        .join(CompetenceField, CompetenceField.id == CompetenceStatement.field_id)
        .where(CompetenceStatement.profile_id == profile.id)
        .order_by(CompetenceField.position, CompetenceStatement.position)
    ).all()
    facts = _facts(session, person_ids)
    # Only links to courses these people completed, plan or have activities in can matter,
    # so the query no longer reads every PRIMARY link of the catalogue (16,000 at scale L).
    relevant = set().union(*(fact.relevant_courses() for fact in facts.values()))
    owner_course = func.coalesce(CompetenceLink.course_id, Activity.course_id)
    links = session.execute(
        select(
            CompetenceLink.statement_id,
            CompetenceLink.course_id,
            CompetenceLink.activity_id,
            Activity.course_id,
        )
        .outerjoin(Activity, Activity.id == CompetenceLink.activity_id)
        .where(
            CompetenceLink.statement_id.in_([s.id for s in statements]),
            CompetenceLink.strength == LinkStrength.PRIMARY,
            CompetenceLink.removed_at.is_(None),
            owner_course.in_(relevant),
        )
    ).all()
    links_by_statement: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for statement_id, course_id, activity_id, activity_course in links:
        owner = course_id if course_id is not None else activity_course
        links_by_statement[statement_id].append((owner, activity_id))
    result: dict[int, PersonProgress] = {}
    for person_id in person_ids:
        fact = facts[person_id]
        by_field: dict[int, list[StatementProgress]] = defaultdict(list)
        field_order: list[int] = []
        for statement_id, field_id in statements:
            if field_id not in by_field:
                field_order.append(field_id)
            covered: set[int] = set()
            planned: set[int] = set()
            for owner, activity_id in links_by_statement[statement_id]:
                if owner in fact.completed_courses or (
                    activity_id is not None and activity_id in fact.completed_activities
                ):
                    covered.add(owner)
                elif owner in fact.planned_courses:
                    planned.add(owner)
            status = (
                StatementStatus.COVERED
                if covered
                else StatementStatus.PLANNED
                if planned
                else StatementStatus.OPEN
            )
            by_field[field_id].append(
                StatementProgress(
                    statement_id=statement_id,
                    status=status,
                    focus=statement_id in fact.focus_statements,
                    covered_by_course_ids=tuple(sorted(covered)),
                    planned_course_ids=tuple(sorted(planned)),
                )
            )
        result[person_id] = PersonProgress(
            person_id=person_id,
            profile_id=profile.id,
            fields=tuple(FieldProgress(fid, tuple(by_field[fid])) for fid in field_order),
        )
    return result


def _facts(session: Session, person_ids: Sequence[int]) -> dict[int, _PersonFacts]:
    facts = {pid: _PersonFacts(set(), set(), set(), set(), set()) for pid in person_ids}
    enrolments = session.execute(
        select(Enrolment.person_id, Enrolment.status, CourseRun.course_id)
        .join(CourseRun, CourseRun.id == Enrolment.course_run_id)
        .where(
            Enrolment.person_id.in_(person_ids),
            Enrolment.status.in_((EnrolmentStatus.COMPLETED, *PLANNED_STATUSES)),
        )
    ).all()
    for person_id, status, course_id in enrolments:
        if status is EnrolmentStatus.COMPLETED:
            facts[person_id].completed_courses.add(course_id)
        else:
            facts[person_id].planned_courses.add(course_id)
    completions = session.execute(
        select(ActivityCompletion.person_id, ActivityCompletion.activity_id, Activity.course_id)
        .join(Activity, Activity.id == ActivityCompletion.activity_id)
        .where(ActivityCompletion.person_id.in_(person_ids))
    ).all()
    touched_courses = {course_id for _, _, course_id in completions}
    required: dict[int, set[int]] = defaultdict(set)
    if touched_courses:
        for activity_id, course_id in session.execute(
            select(Activity.id, Activity.course_id).where(
                Activity.course_id.in_(touched_courses), completes_course()
            )
        ):
            required[course_id].add(activity_id)
    for person_id, activity_id, course_id in completions:
        facts[person_id].completed_activities.add(activity_id)
        facts[person_id].activity_courses.add(course_id)
    for fact in facts.values():
        for course_id in touched_courses:
            needed = required.get(course_id)
            if needed and needed <= fact.completed_activities:
                fact.completed_courses.add(course_id)
        fact.planned_courses -= fact.completed_courses
    focus = session.execute(
        select(Enrolment.person_id, enrolment_focus.c.statement_id)
        .join(enrolment_focus, enrolment_focus.c.enrolment_id == Enrolment.id)
        .where(Enrolment.person_id.in_(person_ids), Enrolment.status.in_(FOCUS_STATUSES))
    ).all()
    for person_id, statement_id in focus:
        facts[person_id].focus_statements.add(statement_id)
    return facts
