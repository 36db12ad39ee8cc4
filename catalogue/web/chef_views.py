"""What the chef's pages show: the team's progress, the approvals queue, one member.

"The team" is everyone the viewer may see below them in the manager tree
(``subordinate_ids``); whom a chef may approve for is ``may_approve_for`` in the
enrolment service. Both are asked, never re-decided here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalogue.models import CourseRun, Enrolment, EnrolmentStatus, Person
from catalogue.services.enrolments import enrolments_statement
from catalogue.services.identity import Viewer
from catalogue.services.people import people_statement, subordinate_ids
from catalogue.services.progress import StatementStatus, progress_for
from catalogue.web.charts import HeatmapRow
from catalogue.web.leader_views import FieldCount, field_counts, profile_view


@dataclass
class TeamMember:
    person: Person
    counts: list[FieldCount]

    @property
    def covered(self) -> int:
        return sum(count.covered for count in self.counts)

    @property
    def planned(self) -> int:
        return sum(count.planned for count in self.counts)

    @property
    def total(self) -> int:
        return sum(count.total for count in self.counts)


@dataclass
class TeamPage:
    field_keys: list[str]
    field_names: list[str]
    members: list[TeamMember]

    def heatmap_rows(self) -> list[HeatmapRow]:
        return [
            HeatmapRow(m.person.name, [(c.covered, c.total) for c in m.counts])
            for m in self.members
        ]


def team_ids(session: Session, viewer: Viewer) -> set[int]:
    return subordinate_ids(session, viewer.person_id)


def team_page(session: Session, viewer: Viewer) -> TeamPage:
    """Everyone below the chef with their progress per field (a fixed number of queries)."""
    people = session.scalars(
        people_statement(session, visible=team_ids(session, viewer), search=None, org_unit_id=None)
    ).all()
    view = profile_view(session)
    progress = progress_for(session, [person.id for person in people])
    return TeamPage(
        field_keys=[f.key for f in view.fields],
        field_names=[f.name for f in view.fields],
        members=[TeamMember(p, field_counts(view, progress[p.id])) for p in people],
    )


def approvals_queue(session: Session, viewer: Viewer) -> Sequence[Enrolment]:
    """The requests waiting for this chef: REQUESTED, by someone below them."""
    statement = enrolments_statement(
        visible=team_ids(session, viewer), statuses=[EnrolmentStatus.REQUESTED]
    ).options(
        selectinload(Enrolment.person),
        selectinload(Enrolment.course_run).selectinload(CourseRun.course),
        selectinload(Enrolment.focus_statements),
    )
    return session.scalars(statement).all()


@dataclass
class MemberPage:
    person: Person
    enrolments: Sequence[Enrolment]
    counts: list[FieldCount]
    open_statements: int


def member_page(session: Session, viewer: Viewer, person_id: int) -> MemberPage | None:
    """One team member, or None when the person is not below the chef (same as no person)."""
    if person_id not in team_ids(session, viewer):
        return None
    person = session.get(Person, person_id)
    if person is None:
        return None
    view = profile_view(session)
    progress = progress_for(session, [person_id])[person_id]
    enrolments = session.scalars(
        enrolments_statement(visible={person_id}, person_id=person_id).options(
            selectinload(Enrolment.course_run).selectinload(CourseRun.course)
        )
    ).all()
    return MemberPage(
        person=person,
        enrolments=enrolments,
        counts=field_counts(view, progress),
        open_statements=progress.count(StatementStatus.OPEN),
    )


def person_name(session: Session, person_id: int) -> str | None:
    return session.scalar(select(Person.name).where(Person.id == person_id))
