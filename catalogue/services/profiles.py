"""Reading the competence profile: the current version and its statements."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from catalogue.models import CompetenceProfile, CompetenceStatement


def current_profile_statement() -> Select[CompetenceProfile]:
    """The newest published version; older versions stay readable by number."""
    return (
        select(CompetenceProfile)
        .where(CompetenceProfile.published_at.is_not(None))
        .order_by(CompetenceProfile.version.desc())
        .limit(1)
    )


def current_profile(session: Session) -> CompetenceProfile | None:
    return session.scalar(current_profile_statement())


def profile_by_version(session: Session, version: int | None) -> CompetenceProfile | None:
    if version is None:
        return current_profile(session)
    return session.scalar(select(CompetenceProfile).where(CompetenceProfile.version == version))


def statements_by_key(session: Session, profile_id: int) -> dict[str, CompetenceStatement]:
    rows = session.scalars(
        select(CompetenceStatement).where(CompetenceStatement.profile_id == profile_id)
    )
    return {statement.key: statement for statement in rows}


def statement_by_key(session: Session, key: str) -> CompetenceStatement | None:
    """A statement of the current profile by its key (``K3.2``)."""
    profile = current_profile(session)
    if profile is None:
        return None
    return session.scalar(
        select(CompetenceStatement).where(
            CompetenceStatement.profile_id == profile.id, CompetenceStatement.key == key
        )
    )
