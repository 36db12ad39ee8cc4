"""``syncRuns``: HR's log of LMS sync runs, newest first."""

from __future__ import annotations

import strawberry

from catalogue.graphql.context import Info
from catalogue.graphql.core.pagination import Connection, paginate_query
from catalogue.graphql.core.permissions import requires
from catalogue.graphql.sync.enums import SyncKindEnum
from catalogue.graphql.sync.types import SyncRunType
from catalogue.models import SyncKind
from catalogue.services.capabilities import Capability
from catalogue.services.lms_sync import sync_runs_statement


@strawberry.type
class SyncQuery:
    @strawberry.field(
        description="Kørsler af synkroniseringen med LMS'et, nyeste først; filtrér på slags.",
        extensions=requires(Capability.LMS_SYNC),
    )
    def sync_runs(
        self,
        info: Info,
        kind: SyncKindEnum | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[SyncRunType]:
        return paginate_query(
            info,
            sync_runs_statement(SyncKind(kind) if kind is not None else None),
            first=first,
            after=after,
            to_node=SyncRunType.from_model,
        )
