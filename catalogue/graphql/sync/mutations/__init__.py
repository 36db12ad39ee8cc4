"""The sync mutations; capabilities declared here, rules in ``services.lms_sync``."""

from __future__ import annotations

import strawberry

from catalogue.graphql.core.mutations import mutation
from catalogue.graphql.sync.mutations.trigger_lms_sync import trigger_lms_sync
from catalogue.services.capabilities import Capability


@strawberry.type
class SyncMutation:
    trigger_lms_sync = strawberry.mutation(
        resolver=trigger_lms_sync,
        extensions=mutation(Capability.LMS_SYNC),
        description=(
            "Bestil en synkronisering med LMS'et nu. Kørslen står som QUEUED, til en "
            "arbejdsproces starter den; følg den i syncRuns. Er en kørsel af samme slags "
            "allerede bestilt, gives fejlen CONFLICT."
        ),
    )
