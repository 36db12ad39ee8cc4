"""GraphQL types for competence links and HR's coverage overview."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.relay import NodeID

from catalogue.graphql.context import Info
from catalogue.graphql.core.nodes import ModelNode, related, related_visible
from catalogue.graphql.core.permissions import requires
from catalogue.graphql.courses.types import ActivityType, CourseType, course_is_visible
from catalogue.graphql.people.types import PersonType
from catalogue.graphql.profile.types import CompetenceStatementType
from catalogue.models import CompetenceLink, LinkRemovalReason, LinkStrength
from catalogue.services.capabilities import Capability
from catalogue.services.course_search import may_see_drafts

LinkStrengthEnum = strawberry.enum(
    LinkStrength,
    name="LinkStrength",
    description="PRIMARY: kurset bygger udsagnet direkte; SUPPORTING: det understøtter det.",
)

LinkRemovalReasonEnum = strawberry.enum(
    LinkRemovalReason,
    name="LinkRemovalReason",
    description=(
        "Hvorfor et link er en gravsten. REMOVED: HR har fjernet det. SUPERSEDED: en nyere "
        "version af kompetenceprofilen har overtaget det (supersededBy). STATEMENT_WITHDRAWN: "
        "den nyere version har ikke udsagnet."
    ),
)

LinkTarget = Annotated[CourseType | ActivityType, strawberry.union("LinkTarget")]


@strawberry.type(
    name="CompetenceLink",
    description="Et link fra et udsagn til et kursus eller en aktivitet, med HR's begrundelse.",
)
class CompetenceLinkType(ModelNode):
    loader_name = "link_by_id"
    id: NodeID[int]
    strength: LinkStrengthEnum  # type: ignore[valid-type]
    rationale: str = strawberry.field(description="Hvorfor tilbuddet bygger udsagnet (HR).")
    linked_at: datetime
    updated_at: datetime
    removed_at: datetime | None = strawberry.field(
        description="Sat når linket er fjernet: en gravsten til LMS'ets trinvise hentning."
    )
    removal_reason: LinkRemovalReasonEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="Hvorfor linket er fjernet; tom for et levende link."
    )
    model: strawberry.Private[CompetenceLink]

    @strawberry.field(
        description=(
            "Linket i en nyere version af kompetenceprofilen, der har overtaget dette "
            "(samme udsagnsnøgle og mål); tom, medmindre removalReason er SUPERSEDED."
        )
    )
    async def superseded_by(self, info: Info) -> CompetenceLinkType | None:
        if self.model.superseded_by_id is None:
            return None
        # The successor has the same target, so whoever sees this link may see it.
        return await related(
            info.context.loaders.link_by_id, self.model.superseded_by_id, CompetenceLinkType
        )

    async def is_visible(self, info: Info) -> bool:
        return await link_is_visible(info, self.model)

    @strawberry.field
    async def statement(self, info: Info) -> CompetenceStatementType:
        return await related(
            info.context.loaders.statement_by_id, self.model.statement_id, CompetenceStatementType
        )

    @strawberry.field(description="Kurset eller aktiviteten, linket peger på.")
    async def target(self, info: Info) -> LinkTarget:
        loaders = info.context.loaders
        if self.model.activity_id is not None:
            return await related_visible(
                info, loaders.activity_by_id, self.model.activity_id, ActivityType
            )
        assert self.model.course_id is not None
        return await related_visible(info, loaders.course_by_id, self.model.course_id, CourseType)

    @strawberry.field(description="Kurset linket hører til (også når det peger på en aktivitet).")
    async def course(self, info: Info) -> CourseType:
        course_id = await link_course_id(info, self.model)
        return await related_visible(info, info.context.loaders.course_by_id, course_id, CourseType)

    @strawberry.field(
        description="Hvem i HR der lavede linket.", extensions=requires(Capability.CATALOGUE_CURATE)
    )
    async def linked_by(self, info: Info) -> PersonType | None:
        if self.model.linked_by_id is None:
            return None
        person = await info.context.loaders.person_by_id.load(self.model.linked_by_id)
        return PersonType.from_model(person) if person else None


async def link_course_id(info: Info, link: CompetenceLink) -> int:
    if link.course_id is not None:
        return link.course_id
    assert link.activity_id is not None
    activity = await info.context.loaders.activity_by_id.load(link.activity_id)
    assert activity is not None
    return activity.course_id


async def link_is_visible(info: Info, link: CompetenceLink) -> bool:
    """A link is seen by whoever may see its course: links to drafts need catalogue.read_drafts."""
    viewer = info.context.viewer
    if may_see_drafts(viewer):
        return True  # without loading the activity or the course
    return await course_is_visible(info, await link_course_id(info, link))


async def visible_links(info: Info, links: list[CompetenceLink]) -> list[CompetenceLinkType]:
    """All links checked at once: awaiting them one by one cost one query per link."""
    shown = await asyncio.gather(*(link_is_visible(info, link) for link in links))
    return [
        CompetenceLinkType.from_model(link) for link, show in zip(links, shown, strict=True) if show
    ]
