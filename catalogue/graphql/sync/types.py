"""A sync run as HR sees it: what ran, when, how it went, and what went wrong per item."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

import strawberry
from strawberry.relay import NodeID

from catalogue.graphql.context import Info
from catalogue.graphql.core.nodes import ModelNode
from catalogue.graphql.people.types import PersonType
from catalogue.graphql.sync.enums import (
    SyncIssueLevel,
    SyncIssueLevelEnum,
    SyncKindEnum,
    SyncStatusEnum,
)
from catalogue.models import SyncRun
from catalogue.services.capabilities import Capability


@strawberry.type(
    name="SyncIssue",
    description="En fejl eller advarsel om ét element (kursus, tilmelding, hændelse) i en kørsel.",
)
class SyncIssueType:
    level: SyncIssueLevelEnum  # type: ignore[valid-type]
    item: str = strawberry.field(description="Hvad elementet er, fx kursus eller tilmelding.")
    item_id: str | None = strawberry.field(description="Elementets id eller kode.")
    code: str = strawberry.field(description="Maskinlæsbar kode, fx NOT_FOUND eller invalidtoken.")
    message: str = strawberry.field(description="Hvad der skete, på dansk.")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        level = SyncIssueLevel.WARNING if data.get("level") == "warning" else SyncIssueLevel.ERROR
        item_id = data.get("item_id")
        return cls(
            level=level,
            item=str(data.get("item", "")),
            item_id=str(item_id) if item_id is not None else None,
            code=str(data.get("code", "")),
            message=str(data.get("message", "")),
        )


@strawberry.type(
    name="SyncRun",
    description=(
        "Én kørsel af én slags synkronisering med LMS'et. Tællingerne betyder for COURSES "
        "kurser (oprettet som kladde, koblet/opdateret, uændret); for OUTBOX og ENROLMENTS "
        "tilmeldt (created) og afmeldt (updated) i LMS'et; for COMPLETIONS nye gennemførte "
        "aktiviteter (created) og forløb (updated); for COMPETENCIES kompetencerammen og "
        "kompetencerne (oprettet, opdateret, uændret) og kurserne (opdateret: kompetencer "
        "koblet til eller fra)."
    ),
)
class SyncRunType(ModelNode):
    loader_name = "sync_run_by_id"
    id: NodeID[int]
    kind: SyncKindEnum  # type: ignore[valid-type]
    status: SyncStatusEnum  # type: ignore[valid-type]
    dry_run: bool = strawberry.field(description="En prøvekørsel: tæller, men gemmer intet.")
    started_at: datetime = strawberry.field(description="Hvornår den startede, eller blev bestilt.")
    finished_at: datetime | None
    created_count: int
    updated_count: int
    unchanged_count: int
    failed_count: int
    message: str | None = strawberry.field(description="Opsummering eller fejlbesked, på dansk.")
    model: strawberry.Private[SyncRun]

    @classmethod
    def from_model(cls, model: SyncRun) -> Self:
        return cls(
            id=model.id,
            kind=model.kind,
            status=model.status,
            dry_run=model.dry_run,
            started_at=model.started_at,
            finished_at=model.finished_at,
            created_count=model.created_count,
            updated_count=model.updated_count,
            unchanged_count=model.unchanged_count,
            failed_count=model.failed_count,
            message=model.message,
            model=model,
        )

    async def is_visible(self, info: Info) -> bool:
        viewer = info.context.viewer
        return viewer is not None and viewer.can(Capability.LMS_SYNC)

    @strawberry.field(description="Fejl og advarsler for de enkelte elementer (højst 200).")
    def issues(self) -> list[SyncIssueType]:
        return [SyncIssueType.from_dict(entry) for entry in self.model.errors or []]

    @strawberry.field(description="Hvem der bestilte kørslen; tom for planlagte kørsler.")
    async def requested_by(self, info: Info) -> PersonType | None:
        if self.model.requested_by_id is None:
            return None
        person = await info.context.loaders.person_by_id.load(self.model.requested_by_id)
        return PersonType.from_model(person) if person else None
