"""Competence links across profile versions: one live set, the current version's.

An LMS mirrors the links by statement key, so two live links with the same key
and target (one per version) look like duplicates to it, and a link HR removed
must not come back because the profile got a new version. The rules:

- Only links on statements of the current version are live. ``carry_links_to``
  retires every live link on an older version's statement as a tombstone:
  SUPERSEDED, with ``superseded_by`` pointing at the current version's link with
  the same statement key and target, or STATEMENT_WITHDRAWN when the current
  version has no statement with that key. The successor is a copy of the old link
  (strength, rationale, who linked it and when) unless the current version already
  has a link there, live or removed; a removed one stays removed.
- It runs on every ``catalogue seed``, so a database versioned before these rules
  (old versions' links left live) is put right by the next seed, and a seed of an
  unchanged, consistent database finds nothing to do.
- Tombstones and copies are stamped now, so ``competenceLinks(updatedSince:)``
  brings both. The old link is always the older row, so in the feed's id order the
  tombstone comes before its successor: a mirror keyed on (statement key, target)
  that applies the feed in order ends with exactly the live set.
- HR's removals stand: ``ever_linked`` gives the (statement key, target) pairs any
  version has had a link for, and the demo loader creates no link for those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    CompetenceLink,
    CompetenceProfile,
    CompetenceStatement,
    LinkRemovalReason,
)
from catalogue.models.base import utcnow

#: A link's identity across versions: (statement key, course id, activity id).
LinkKey = tuple[str, int | None, int | None]


@dataclass(frozen=True)
class CarryResult:
    """What ``carry_links_to`` did: copies made, old links superseded and withdrawn."""

    carried: int = 0
    superseded: int = 0
    withdrawn: int = 0

    @property
    def retired(self) -> int:
        return self.superseded + self.withdrawn


def carry_links_to(session: Session, profile: CompetenceProfile) -> CarryResult:
    """Retire the live links of older versions; ``profile``'s statements get their successors."""
    stale = session.execute(
        select(CompetenceLink, CompetenceStatement.key)
        .join(CompetenceStatement, CompetenceStatement.id == CompetenceLink.statement_id)
        .where(CompetenceStatement.profile_id != profile.id, CompetenceLink.removed_at.is_(None))
        .order_by(CompetenceLink.id)
    ).all()
    if not stale:
        return CarryResult()
    statement_ids: dict[str, int] = dict(
        session.execute(
            select(CompetenceStatement.key, CompetenceStatement.id).where(
                CompetenceStatement.profile_id == profile.id
            )
        ).all()
    )
    existing = {
        (link.statement_id, link.course_id, link.activity_id): link
        for link in session.scalars(
            select(CompetenceLink).where(CompetenceLink.statement_id.in_(statement_ids.values()))
        )
    }
    now = utcnow()
    carried = superseded = withdrawn = 0
    for link, key in stale:
        statement_id = statement_ids.get(key)
        if statement_id is None:
            link.remove(LinkRemovalReason.STATEMENT_WITHDRAWN, now)
            withdrawn += 1
            continue
        target = (statement_id, link.course_id, link.activity_id)
        successor = existing.get(target)
        if successor is None:
            successor = existing[target] = CompetenceLink(
                statement_id=statement_id,
                course_id=link.course_id,
                activity_id=link.activity_id,
                strength=link.strength,
                rationale=link.rationale,
                linked_by_id=link.linked_by_id,
                linked_at=link.linked_at,
            )
            session.add(successor)
            carried += 1
        link.remove(LinkRemovalReason.SUPERSEDED, now)
        link.superseded_by = successor
        superseded += 1
    session.flush()
    return CarryResult(carried=carried, superseded=superseded, withdrawn=withdrawn)


def ever_linked(session: Session, *, course_id: int, activity_ids: Sequence[int]) -> set[LinkKey]:
    """(statement key, course, activity) of every link this course has had, in any version.

    Live, removed by HR, superseded or withdrawn alike: whoever asks (the demo
    loader) must leave each of these to HR.
    """
    rows = session.execute(
        select(CompetenceStatement.key, CompetenceLink.course_id, CompetenceLink.activity_id)
        .join(CompetenceStatement, CompetenceStatement.id == CompetenceLink.statement_id)
        .where(
            (CompetenceLink.course_id == course_id) | CompetenceLink.activity_id.in_(activity_ids)
        )
    )
    return {(key, course, activity) for key, course, activity in rows}
