"""Loading the competence profile: a new version only when its content changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    AuditLogEntry,
    CompetenceField,
    CompetenceLink,
    CompetenceProfile,
    CompetenceStatement,
    Theme,
)
from catalogue.models.base import utcnow
from catalogue.seeding.schema import ProfileSeed
from catalogue.services.profiles import current_profile


@dataclass(frozen=True)
class ProfileLoadResult:
    version: int
    created: bool
    links_carried_over: int


def content_digest(seed: ProfileSeed) -> str:
    """A digest of everything a profile version says, so unchanged content is recognised."""
    canonical = json.dumps(seed.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_profile(session: Session, seed: ProfileSeed) -> ProfileLoadResult:
    """Create a new published version unless the newest already has this content.

    Links of the previous version are carried over to statements with the same key,
    so HR's curation survives a corrected text; the old version stays readable.
    """
    digest = content_digest(seed)
    existing = session.scalar(
        select(CompetenceProfile).where(CompetenceProfile.content_digest == digest)
    )
    if existing is not None:
        return ProfileLoadResult(version=existing.version, created=False, links_carried_over=0)

    previous = current_profile(session)
    next_version = (session.scalar(select(func.max(CompetenceProfile.version))) or 0) + 1
    now = utcnow()
    profile = CompetenceProfile(
        version=next_version,
        title=seed.title,
        intro=seed.intro,
        work_environment_note=seed.work_environment_note,
        dialogue_note=seed.dialogue_note,
        content_digest=digest,
        published_at=now,
    )
    themes = {
        t.key: Theme(key=t.key, name=t.name, position=i) for i, t in enumerate(seed.themes, 1)
    }
    profile.themes = list(themes.values())
    session.add(profile)
    for position, field_seed in enumerate(seed.fields, 1):
        field = CompetenceField(
            key=field_seed.key,
            name=field_seed.name,
            description=field_seed.description,
            position=position,
            themes=[themes[key] for key in field_seed.themes],
        )
        field.statements = [
            CompetenceStatement(profile=profile, key=s.key, text=s.text, position=i)
            for i, s in enumerate(field_seed.statements, 1)
        ]
        profile.fields.append(field)
    session.flush()

    carried = _carry_links_over(session, previous, profile) if previous is not None else 0
    session.add(
        AuditLogEntry(
            entity_type="CompetenceProfile",
            entity_id=profile.id,
            action="PROFILE_VERSION_CREATED",
            to_state=str(next_version),
            details={"links_carried_over": carried},
        )
    )
    return ProfileLoadResult(version=next_version, created=True, links_carried_over=carried)


def _carry_links_over(
    session: Session, previous: CompetenceProfile, profile: CompetenceProfile
) -> int:
    new_by_key = dict(
        session.execute(
            select(CompetenceStatement.key, CompetenceStatement.id).where(
                CompetenceStatement.profile_id == profile.id
            )
        ).all()
    )
    old_links = session.scalars(
        select(CompetenceLink)
        .join(CompetenceStatement, CompetenceLink.statement_id == CompetenceStatement.id)
        .where(CompetenceStatement.profile_id == previous.id, CompetenceLink.removed_at.is_(None))
    ).all()
    carried = 0
    for link in old_links:
        new_statement_id = new_by_key.get(link.statement.key)
        if new_statement_id is None:
            continue
        session.add(
            CompetenceLink(
                statement_id=new_statement_id,
                course_id=link.course_id,
                activity_id=link.activity_id,
                strength=link.strength,
                rationale=link.rationale,
                linked_by_id=link.linked_by_id,
                linked_at=link.linked_at,
            )
        )
        carried += 1
    return carried
