"""The LMS's persisted operations and example variables for running them in tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.graphql.core.persisted import PersistedOperation, PersistedOperations
from tests.api.tokens import person

OPERATIONS: dict[str, PersistedOperation] = PersistedOperations.from_directory().by_name()
SINCE = "2000-01-01T00:00:00+00:00"


def example_variables(name: str, session: Session) -> dict[str, Any]:
    """Variables a sync run would send: everything since long ago, a demo leader."""
    if name == "LmsCatalogueChanges":
        return {"since": SINCE}
    if name == "LmsPersonProgress":
        return {"id": to_base64("Person", person(session, is_leader=True).id)}
    if name == "LmsCataloguePage":
        return {"first": 100}
    return {}
