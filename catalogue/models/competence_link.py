"""Links from a "Vi skal" statement to the course or activity that builds it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from catalogue.models.base import Base, Timestamped, enum_type
from catalogue.models.course import Activity, Course
from catalogue.models.person import Person
from catalogue.models.profile import CompetenceStatement

RATIONALE_MAX_LENGTH = 2000


class LinkStrength(StrEnum):
    PRIMARY = "PRIMARY"
    SUPPORTING = "SUPPORTING"


class LinkRemovalReason(StrEnum):
    """Why a link is a tombstone, so an LMS mirror can tell a removal from a move."""

    #: HR unlinked it (``competenceLinkRemove``, ``courseLinksSet``); it stays removed.
    REMOVED = "REMOVED"
    #: A newer profile version took over: ``superseded_by`` is its link there.
    SUPERSEDED = "SUPERSEDED"
    #: The newer profile version has no statement with this key.
    STATEMENT_WITHDRAWN = "STATEMENT_WITHDRAWN"


class CompetenceLink(Timestamped, Base):
    """Exactly one target (course or activity); unlinking sets ``removed_at`` (a tombstone).

    Only links of the current profile version are live: a new version retires the
    old version's links as tombstones (``removal_reason``, ``superseded_by``), see
    ``services/link_versions.py``.
    """

    __tablename__ = "competence_link"
    __table_args__ = (
        CheckConstraint("(course_id IS NULL) <> (activity_id IS NULL)", name="exactly_one_target"),
        CheckConstraint(
            f"length(rationale) > 0 AND length(rationale) <= {RATIONALE_MAX_LENGTH}",
            name="rationale_length",
        ),
        CheckConstraint(
            "(removed_at IS NULL) = (removal_reason IS NULL)", name="removal_has_reason"
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
    removal_reason: Mapped[LinkRemovalReason | None] = mapped_column(
        enum_type(LinkRemovalReason, "link_removal_reason")
    )
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("competence_link.id", ondelete="SET NULL"), index=True
    )

    statement: Mapped[CompetenceStatement] = relationship()
    course: Mapped[Course | None] = relationship()
    activity: Mapped[Activity | None] = relationship()
    linked_by: Mapped[Person | None] = relationship()
    superseded_by: Mapped[CompetenceLink | None] = relationship(remote_side=[id])

    def remove(self, reason: LinkRemovalReason, at: datetime) -> None:
        """Make this link a tombstone; ``superseded_by`` is set by whoever supersedes it."""
        self.removal_reason = reason
        self.removed_at = at

    @validates("removed_at")
    def _reason_follows_removal(self, _key: str, removed_at: datetime | None) -> datetime | None:
        """``removed_at`` is the switch: set alone it means HR removed it; cleared, it lives.

        The CHECK ``removal_has_reason`` holds reason and removal together in the database.
        """
        if removed_at is None:
            self.removal_reason = None
            self.superseded_by_id = None
        elif self.removal_reason is None:
            self.removal_reason = LinkRemovalReason.REMOVED
        return removed_at
