"""Courses from the catalogue for a leader's focus statements, ranked and explained in Danish.

For each focus statement, every published course HR linked to it (directly or
through one of its activities, by live links of the current profile version) with
a run the leader can still join. Left out: runs that are cancelled, started or past
their enrolment deadline (so a full run past its deadline is gone), and courses the
leader has already completed. A full run whose deadline is open stays, as a place on
the waiting list. Per course and statement the best run is shown: the first with a
free seat, else the first.

The order, documented for leaders and tested:

1. link strength: PRIMARY before SUPPORTING;
2. the statement's priority in the dialogue (importance × gap, highest first);
3. a free seat before a place on the waiting list;
4. the earliest start; then the course title.

Each recommendation explains itself: "PRIMARY-link til K3.2; start 12. marts 2027;
4 ledige pladser; HR's begrundelse: …".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    CompetenceLink,
    CompetenceStatement,
    Course,
    CourseRun,
    CourseStatus,
    Dialogue,
    DialogueCycle,
    DialogueFocus,
    Enrolment,
    EnrolmentStatus,
    LinkStrength,
)
from catalogue.models.base import utcnow
from catalogue.services.catalogue_queries import seats_left, seats_taken
from catalogue.services.danish_dates import danish_date
from catalogue.services.dialogue.access import Standing
from catalogue.services.dialogue.side_by_side import priorities_by_statement_key, side_by_side
from catalogue.services.profiles import current_profile

STRENGTH_ORDER = {LinkStrength.PRIMARY: 0, LinkStrength.SUPPORTING: 1}


@dataclass(frozen=True)
class Recommendation:
    statement_key: str
    course_id: int
    course_run_id: int
    activity_id: int | None
    strength: LinkStrength
    priority: int | None
    seats_left: int | None
    starts_at: datetime
    explanation: str


def _seats_text(left: int | None) -> str:
    if left is None:
        return "ingen pladsbegrænsning"
    if left == 0:
        return "fuldt hold, venteliste"
    return "1 ledig plads" if left == 1 else f"{left} ledige pladser"


def recommend(
    session: Session,
    *,
    leader_id: int,
    statement_keys: Sequence[str],
    priorities: Mapping[str, int] | None = None,
    now: datetime | None = None,
) -> list[Recommendation]:
    """Ranked recommendations for ``statement_keys`` (see the module docstring)."""
    now = now or utcnow()
    priorities = priorities or {}
    profile = current_profile(session)
    if profile is None or not statement_keys:
        return []
    links = session.execute(
        select(CompetenceLink, CompetenceStatement.key, Activity.course_id)
        .join(CompetenceStatement, CompetenceStatement.id == CompetenceLink.statement_id)
        .outerjoin(Activity, Activity.id == CompetenceLink.activity_id)
        .where(
            CompetenceStatement.profile_id == profile.id,
            CompetenceStatement.key.in_(statement_keys),
            CompetenceLink.removed_at.is_(None),
        )
        .order_by(CompetenceLink.id)
    ).all()
    course_ids = {link.course_id or activity_course for link, _, activity_course in links}
    course_ids.discard(None)
    if not course_ids:
        return []
    published = {
        course.id: course
        for course in session.scalars(
            select(Course).where(Course.id.in_(course_ids), Course.status == CourseStatus.PUBLISHED)
        )
    }
    completed = set(
        session.scalars(
            select(CourseRun.course_id)
            .join(Enrolment, Enrolment.course_run_id == CourseRun.id)
            .where(
                Enrolment.person_id == leader_id,
                Enrolment.status == EnrolmentStatus.COMPLETED,
                CourseRun.course_id.in_(course_ids),
            )
        )
    )
    runs = list(
        session.scalars(
            select(CourseRun)
            .where(
                CourseRun.course_id.in_(published),
                CourseRun.cancelled_at.is_(None),
                CourseRun.starts_at > now,
                or_(CourseRun.enrolment_deadline.is_(None), CourseRun.enrolment_deadline >= now),
            )
            .order_by(CourseRun.starts_at, CourseRun.id)
        )
    )
    taken = seats_taken(session, [run.id for run in runs])
    runs_by_course: dict[int, list[tuple[CourseRun, int | None]]] = {}
    for run in runs:
        runs_by_course.setdefault(run.course_id, []).append(
            (run, seats_left(run.capacity, taken.get(run.id, 0)))
        )
    best: dict[tuple[str, int], tuple[tuple[object, ...], Recommendation]] = {}
    for link, key, activity_course in links:
        course_id = link.course_id or activity_course
        if course_id not in published or course_id in completed or course_id not in runs_by_course:
            continue
        options = runs_by_course[course_id]
        run, left = next(((r, s) for r, s in options if s is None or s > 0), options[0])
        priority = priorities.get(key)
        course = published[course_id]
        explanation = (
            f"{link.strength.value}-link til {key}; start {danish_date(run.starts_at)}; "
            f"{_seats_text(left)}; HR's begrundelse: {link.rationale}"
        )
        recommendation = Recommendation(
            statement_key=key,
            course_id=course_id,
            course_run_id=run.id,
            activity_id=link.activity_id,
            strength=link.strength,
            priority=priority,
            seats_left=left,
            starts_at=run.starts_at,
            explanation=explanation,
        )
        rank = (
            STRENGTH_ORDER[link.strength],
            -(priority if priority is not None else -1),
            0 if left is None or left > 0 else 1,
            run.starts_at,
            course.title,
            run.id,
        )
        current = best.get((key, course_id))
        if current is None or rank < current[0]:
            best[(key, course_id)] = (rank, recommendation)
    ranked = sorted(best.values(), key=lambda pair: pair[0])
    return [recommendation for _, recommendation in ranked]


def dialogue_recommendations(
    session: Session, dialogue: Dialogue, where: Standing, *, now: datetime | None = None
) -> list[Recommendation]:
    """For the dialogue's focus statements, ranked by the priorities the viewer sees."""
    keys = list(
        session.scalars(
            select(CompetenceStatement.key)
            .join(DialogueFocus, DialogueFocus.statement_id == CompetenceStatement.id)
            .where(DialogueFocus.dialogue_id == dialogue.id)
            .order_by(DialogueFocus.position)
        )
    )
    priorities = priorities_by_statement_key(side_by_side(session, dialogue, where))
    return recommend(
        session, leader_id=dialogue.leader_id, statement_keys=keys, priorities=priorities, now=now
    )


def latest_focus_dialogue(session: Session, leader_id: int) -> Dialogue | None:
    """The leader's newest dialogue that has an agreed focus (``me { recommendations }``)."""
    return session.scalar(
        select(Dialogue)
        .join(DialogueCycle, DialogueCycle.id == Dialogue.cycle_id)
        .where(
            Dialogue.leader_id == leader_id,
            select(DialogueFocus.id).where(DialogueFocus.dialogue_id == Dialogue.id).exists(),
        )
        .order_by(DialogueCycle.year.desc(), Dialogue.id.desc())
        .limit(1)
    )
