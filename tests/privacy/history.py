"""A leader with a history in every area of personal data, for the export and erasure tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from catalogue.models import CourseRun, Enrolment, Person, Role
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from catalogue.services.completions import record_completion
from tests.enrolment.factories import Org, make_run, new_leader, started, viewer

MOTIVATION = (
    "Jeg vil blive bedre til at lede forandringer i min afdeling – især »de svære samtaler«."
)
EVIDENCE = "https://lms.ltk.dk/bevis/birte-boegh"


@dataclass(frozen=True)
class History:
    leader: Person
    finished_run: CourseRun
    finished: Enrolment
    upcoming_run: CourseRun
    upcoming: Enrolment


def leader_with_history(session: Session, org: Org) -> History:
    """Birte: a completed course with an activity (ended), and a place on a coming run."""
    leader = new_leader(session, org.chef, "Birte Bøgh")
    finished_run = make_run(session, activities=[True], primary=["K1.1"])
    finished = enrolments.enrol(
        session,
        actor=viewer(leader),
        course_run_id=finished_run.id,
        motivation=MOTIVATION,
        focus_statement_keys=["K1.1"],
    )
    started(session, finished_run, days_ago=20)
    activity = finished_run.course.activities[0]
    record_completion(
        session,
        actor=viewer(org.hr, Role.HR),
        completed_at=utcnow() - timedelta(days=19),
        person_id=leader.id,
        activity_id=activity.id,
        result="Bestået",
        evidence_url=EVIDENCE,
    )
    upcoming_run = make_run(session, capacity=1)
    upcoming = enrolments.enrol(
        session,
        actor=viewer(leader),
        course_run_id=upcoming_run.id,
        motivation=MOTIVATION,
    )
    session.flush()
    return History(leader, finished_run, finished, upcoming_run, upcoming)
