"""Links from a "Vi skal" statement to the course or activity that builds it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.base import Base, Timestamped, enum_type
from catalogue.models.course import Activity, Course
from catalogue.models.person import Person
from catalogue.models.profile import CompetenceStatement

RATIONALE_MAX_LENGTH = 2000


class LinkStrength(StrEnum):
    PRIMARY = "PRIMARY"
    SUPPORTING = "SUPPORTING"


class CompetenceLink(Timestamped, Base):
    """Exactly one target (course or activity); unlinking sets ``removed_at`` (a tombstone)."""

    __tablename__ = "competence_link"
    __table_args__ = (
        CheckConstraint("(course_id IS NULL) <> (activity_id IS NULL)", name="exactly_one_target"),
        CheckConstraint(
            f"length(rationale) > 0 AND length(rationale) <= {RATIONALE_MAX_LENGTH}",
            name="rationale_length",
        ),
        Index("uq_competence_link_statement_course", "statement_id", "course_id", unique=True),
        Index("uq_competence_link_statement_activity", "statement_id", "activity_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("competence_statement.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("course.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    strength: Mapped[LinkStrength] = mapped_column(enum_type(LinkStrength, "link_strength"))
    rationale: Mapped[str] = mapped_column(Text)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    linked_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]

    statement: Mapped[CompetenceStatement] = relationship()
    course: Mapped[Course | None] = relationship()
    activity: Mapped[Activity | None] = relationship()
    linked_by: Mapped[Person | None] = relationship()
