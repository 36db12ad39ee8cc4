"""triggerLmsSync: HR asks for a sync now; the run is queued and a worker starts it."""

from __future__ import annotations

import strawberry

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.errors import UserError
from catalogue.graphql.sync.enums import SyncKindEnum
from catalogue.graphql.sync.types import SyncRunType
from catalogue.models import SyncKind
from catalogue.services.lms_sync import request_sync


@strawberry.input(description="Hvilken synkronisering, og om det er en prøvekørsel.")
class TriggerLmsSyncInput:
    kind: SyncKindEnum  # type: ignore[valid-type]
    dry_run: bool = strawberry.field(
        default=False, description="Tæl hvad der ville ændres, uden at gemme eller sende noget."
    )


@strawberry.type
class TriggerLmsSyncPayload:
    user_errors: list[UserError]
    sync_run: SyncRunType | None = strawberry.field(
        default=None, description="Den bestilte kørsel (QUEUED)."
    )


def trigger_lms_sync(info: Info, input: TriggerLmsSyncInput) -> TriggerLmsSyncPayload:
    run = request_sync(
        info.context.session,
        info.context.settings,
        kind=SyncKind(input.kind),
        dry_run=input.dry_run,
        requested_by_id=actor(info).person_id,
    )
    return TriggerLmsSyncPayload(user_errors=[], sync_run=SyncRunType.from_model(run))
