"""Loading the competence profile: a new version whenever the file differs from the current one.

The file is the profile's words (``seed/profile.yaml``, character for character
from the source document), so after ``catalogue seed`` the current version says
what the file says:

- The same content as the current version: nothing changes ("uændret").
- Anything else makes a new version, also a file put back to an older version's
  text: versions are a history and never go back, so the file and the live
  profile cannot disagree. That version says which one it repeats
  (``same_as_version``, in the summary and the audit entry).
- A new version carries HR's links over and retires the old version's links as
  tombstones (``services/link_versions.py``); that also runs when the content is
  unchanged, to put right a database an older release versioned.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    AuditLogEntry,
    CompetenceField,
    CompetenceProfile,
    CompetenceStatement,
    Theme,
)
from catalogue.models.base import utcnow
from catalogue.seeding.schema import ProfileSeed
from catalogue.services.audit import AuditAction
from catalogue.services.link_versions import CarryResult, carry_links_to
from catalogue.services.profiles import current_profile


@dataclass(frozen=True)
class ProfileLoadResult:
    version: int
    created: bool
    links_carried_over: int
    #: The older version whose content a new version repeats (a reverted file).
    same_as_version: int | None = None
    #: Links of older versions retired as tombstones (superseded or withdrawn).
    links_retired: int = 0


def content_digest(seed: ProfileSeed) -> str:
    """A digest of everything a profile version says, so unchanged content is recognised."""
    canonical = json.dumps(seed.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_profile(session: Session, seed: ProfileSeed) -> ProfileLoadResult:
    """Create a new published version unless the current one already has this content.

    Links of older versions are carried over to statements with the same key, so
    HR's curation survives a corrected text, and the old links become tombstones;
    the old version stays readable.
    """
    digest = content_digest(seed)
    previous = current_profile(session)
    if previous is not None and previous.content_digest == digest:
        repaired = carry_links_to(session, previous)
        if repaired.retired:
            _audit(session, previous, AuditAction.PROFILE_LINKS_RETIRED, repaired, None)
        return ProfileLoadResult(
            version=previous.version,
            created=False,
            links_carried_over=repaired.carried,
            links_retired=repaired.retired,
        )

    same_as = session.scalar(
        select(func.max(CompetenceProfile.version)).where(
            CompetenceProfile.content_digest == digest
        )
    )
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

    carried = carry_links_to(session, profile)
    _audit(session, profile, AuditAction.PROFILE_VERSION_CREATED, carried, same_as)
    return ProfileLoadResult(
        version=next_version,
        created=True,
        links_carried_over=carried.carried,
        same_as_version=same_as,
        links_retired=carried.retired,
    )


def _audit(
    session: Session,
    profile: CompetenceProfile,
    action: AuditAction,
    links: CarryResult,
    same_as_version: int | None,
) -> None:
    details: dict[str, int] = {
        "links_carried_over": links.carried,
        "links_superseded": links.superseded,
        "links_withdrawn": links.withdrawn,
    }
    if same_as_version is not None:
        details["same_as_version"] = same_as_version
    session.add(
        AuditLogEntry(
            entity_type="CompetenceProfile",
            entity_id=profile.id,
            action=action,
            to_state=str(profile.version),
            details=details,
        )
    )
