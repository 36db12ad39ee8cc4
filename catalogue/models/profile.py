"""The competence profile: versioned, with themes, fields and "Vi skal" statements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from catalogue.models.base import Base, Timestamped

field_themes = Table(
    "competence_field_theme",
    Base.metadata,
    Column("field_id", ForeignKey("competence_field.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
)


class CompetenceProfile(Timestamped, Base):
    """One version of the profile; a changed text creates a new version, old ones stay.

    Versions are a history, never reused: a file put back to an older text makes a
    new version with that text, so two versions may share ``content_digest``.
    """

    __tablename__ = "competence_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(300))
    intro: Mapped[str] = mapped_column(Text)
    work_environment_note: Mapped[str] = mapped_column(Text)
    dialogue_note: Mapped[str] = mapped_column(Text)
    content_digest: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime | None]

    themes: Mapped[list[Theme]] = relationship(
        back_populates="profile", order_by="Theme.position", cascade="all, delete-orphan"
    )
    fields: Mapped[list[CompetenceField]] = relationship(
        back_populates="profile", order_by="CompetenceField.position", cascade="all, delete-orphan"
    )


class Theme(Base):
    """A theme of the leder- og medarbejdergrundlag, e.g. "Vi er en kommune"."""

    __tablename__ = "theme"
    __table_args__ = (
        UniqueConstraint("profile_id", "key"),
        UniqueConstraint("profile_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("competence_profile.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]

    profile: Mapped[CompetenceProfile] = relationship(back_populates="themes")


class CompetenceField(Base):
    """A kompetencefelt (K1..K7) with the paragraph that ties it to the themes."""

    __tablename__ = "competence_field"
    __table_args__ = (
        UniqueConstraint("profile_id", "key"),
        UniqueConstraint("profile_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("competence_profile.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    position: Mapped[int]

    profile: Mapped[CompetenceProfile] = relationship(back_populates="fields")
    themes: Mapped[list[Theme]] = relationship(secondary=field_themes, order_by="Theme.position")
    statements: Mapped[list[CompetenceStatement]] = relationship(
        back_populates="field",
        order_by="CompetenceStatement.position",
        cascade="all, delete-orphan",
    )


class CompetenceStatement(Base):
    """One "Vi skal" statement, its text verbatim from the source document."""

    __tablename__ = "competence_statement"
    __table_args__ = (
        UniqueConstraint("profile_id", "key"),
        UniqueConstraint("field_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("competence_profile.id", ondelete="CASCADE"), index=True
    )
    field_id: Mapped[int] = mapped_column(ForeignKey("competence_field.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int]
    #: The version of the profile the statement belongs to, read with it (no column: a
    #: statement never changes profile). An LMS keyed on ``key`` tells versions apart by it.
    profile_version: Mapped[int] = column_property(
        select(CompetenceProfile.version)
        .where(CompetenceProfile.id == profile_id)
        .correlate_except(CompetenceProfile)
        .scalar_subquery()
    )

    field: Mapped[CompetenceField] = relationship(back_populates="statements")
    profile: Mapped[CompetenceProfile] = relationship()
