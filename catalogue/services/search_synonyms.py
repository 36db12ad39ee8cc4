"""HR's synonyms for search: two words (or short phrases) that mean the same to a searcher.

"MUS" and "medarbejderudviklingssamtale", "trivsel" and "arbejdsmiljø": a search for one
finds what speaks of the other. A synonym works both ways and is stored once; what counts as
the same synonym is decided on the analysed words, so "MUS"/"mus" or "Trivsel"/"trivslen"
are one entry. They apply when searching, so adding or removing one re-indexes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import SearchSynonym
from catalogue.models.search import SYNONYM_MAX_LENGTH
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.search_query import synonym_key
from catalogue.services.validation import Checks


def list_synonyms(session: Session) -> Sequence[SearchSynonym]:
    """Every synonym, alphabetically by its first side."""
    return session.scalars(
        select(SearchSynonym).order_by(SearchSynonym.first_key, SearchSynonym.second_key)
    ).all()


def _side(checks: Checks, field: str, value: str, *, label: str) -> tuple[str, str]:
    cleaned = checks.text(field, value, label=label, max_length=SYNONYM_MAX_LENGTH) or ""
    key = synonym_key(cleaned) if cleaned else ""
    if cleaned and not key:
        checks.fail(field, ErrorCode.INVALID, f"{label} skal indeholde mindst ét ord.")
    return cleaned, key


def add_synonym(session: Session, *, actor: Viewer, word: str, synonym: str) -> SearchSynonym:
    """Store ``word`` ↔ ``synonym``; the same pair again (either way round) is a DUPLICATE."""
    checks = Checks()
    first, first_key = _side(checks, "word", word, label="Ordet")
    second, second_key = _side(checks, "synonym", synonym, label="Synonymet")
    if first_key and first_key == second_key:
        checks.fail(
            "synonym",
            ErrorCode.INVALID,
            f"«{first}» og «{second}» er det samme ord for søgningen; et synonym skal være et "
            "andet ord.",
        )
    checks.done()
    if second_key < first_key:
        first, first_key, second, second_key = second, second_key, first, first_key
    existing = session.scalar(
        select(SearchSynonym).where(
            SearchSynonym.first_key == first_key, SearchSynonym.second_key == second_key
        )
    )
    if existing is not None:
        raise DomainError(
            ErrorCode.DUPLICATE,
            f"«{existing.first}» og «{existing.second}» er allerede synonymer.",
            field="synonym",
        )
    entry = SearchSynonym(
        first=first,
        second=second,
        first_key=first_key,
        second_key=second_key,
        created_by_id=actor.person_id,
    )
    session.add(entry)
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="SearchSynonym",
        entity_id=entry.id,
        action=AuditAction.SEARCH_SYNONYM_ADDED,
        details={"word": first, "synonym": second},
    )
    return entry


def remove_synonym(session: Session, *, actor: Viewer, synonym_id: int) -> SearchSynonym:
    """Remove a synonym; searches stop using it at once."""
    entry = session.get(SearchSynonym, synonym_id)
    if entry is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Synonymet findes ikke (længere).", field="id")
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="SearchSynonym",
        entity_id=entry.id,
        action=AuditAction.SEARCH_SYNONYM_REMOVED,
        details={"word": entry.first, "synonym": entry.second},
    )
    session.delete(entry)
    session.flush()
    return entry
