"""Everything the catalogue holds on a person, as one JSON document (GDPR art. 15).

Each area of ``areas.py`` contributes its part under its own name, so the export
and the erasure can never disagree about what there is. The export is audited
(who, when, whom), without a copy of what was exported.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from catalogue.models import Person
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.privacy.areas import AREAS, EXTERNAL_LOCATIONS

EXPORT_FORMAT = "kompetencekatalog.persondata/1"


def export_person_data(
    session: Session, *, actor: Viewer, person_id: int, now: datetime | None = None
) -> dict[str, Any]:
    """The person's data by area, with when it was made and by whom; audited."""
    now = now or utcnow()
    if session.get(Person, person_id) is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Personen findes ikke.", field="personId")
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exportedAt": now.isoformat(),
        "exportedBy": actor.person_id,
        "contents": {area.name: area.description for area in AREAS},
        "sharedWith": dict(EXTERNAL_LOCATIONS),
    }
    for area in AREAS:
        document[area.name] = area.export(session, person_id)
    record_change(
        session,
        actor_id=actor.person_id,
        person_id=person_id,
        entity_type="Person",
        entity_id=person_id,
        action=AuditAction.PERSON_DATA_EXPORTED,
        details={
            "areas": {
                area.name: len(part) if isinstance(part, list) else 1
                for area in AREAS
                if (part := document[area.name])
            }
        },
        at=now,
    )
    return document
