"""Queries for competence links, profile versions and HR's coverage overview."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from sqlalchemy import select

from catalogue.graphql.competence.types import CompetenceLinkType
from catalogue.graphql.context import Info
from catalogue.graphql.core.pagination import Connection, paginate_query
from catalogue.graphql.core.permissions import requires
from catalogue.graphql.courses.types import ActivityType, CourseType
from catalogue.graphql.profile.types import CompetenceProfileType, CompetenceStatementType
from catalogue.models import CompetenceProfile
from catalogue.services import profiles
from catalogue.services.capabilities import Capability
from catalogue.services.catalogue_queries import links_changed_statement
from catalogue.services.course_search import may_see_drafts
from catalogue.services.coverage import StatementCoverage, competence_coverage


@strawberry.type(
    description="Hvad der bygger et udsagn: publicerede kurser og aktiviteter, hold og pladser."
)
class StatementCoverageType:
    statement: CompetenceStatementType
    is_gap: bool = strawberry.field(
        description="Intet publiceret kursus bygger udsagnet som PRIMARY."
    )
    upcoming_runs: int
    seats_left: int | None = strawberry.field(
        description="Ledige pladser på kommende hold; tom = ubegrænset."
    )
    entry: strawberry.Private[StatementCoverage]

    @classmethod
    def from_entry(cls, entry: StatementCoverage) -> Self:
        return cls(
            statement=CompetenceStatementType.from_model(entry.statement),
            is_gap=entry.is_gap,
            upcoming_runs=entry.upcoming_runs,
            seats_left=entry.seats_left,
            entry=entry,
        )

    async def _courses(self, info: Info, ids: list[int]) -> list[CourseType]:
        models = await info.context.loaders.course_by_id.load_many(ids)
        return [CourseType.from_model(m) for m in models if m is not None]

    async def _activities(self, info: Info, ids: list[int]) -> list[ActivityType]:
        models = await info.context.loaders.activity_by_id.load_many(ids)
        return [ActivityType.from_model(m) for m in models if m is not None]

    @strawberry.field
    async def primary_courses(self, info: Info) -> list[CourseType]:
        return await self._courses(info, self.entry.primary_course_ids)

    @strawberry.field
    async def supporting_courses(self, info: Info) -> list[CourseType]:
        return await self._courses(info, self.entry.supporting_course_ids)

    @strawberry.field
    async def primary_activities(self, info: Info) -> list[ActivityType]:
        return await self._activities(info, self.entry.primary_activity_ids)

    @strawberry.field
    async def supporting_activities(self, info: Info) -> list[ActivityType]:
        return await self._activities(info, self.entry.supporting_activity_ids)


@strawberry.type
class CompetenceQuery:
    @strawberry.field(
        description=(
            "Dækning pr. udsagn i den gældende profil; huller (intet PRIMARY-kursus) først."
        ),
        extensions=requires(Capability.CATALOGUE_CURATE),
    )
    def competence_coverage(self, info: Info) -> list[StatementCoverageType]:
        profile = profiles.current_profile(info.context.session)
        if profile is None:
            return []
        entries = competence_coverage(info.context.session, profile_id=profile.id)
        return [StatementCoverageType.from_entry(entry) for entry in entries]

    @strawberry.field(
        description=(
            "Kompetencelinks; kun den gældende profilversions er levende. Med updatedSince også "
            "fjernede (removedAt, removalReason) som gravsten, også dem en ny profilversion har "
            "afløst (supersededBy); i id-orden, så en pull side for side får hvert link én gang, "
            "og en gravsten kommer før linket, der afløser den."
        )
    )
    def competence_links(
        self,
        info: Info,
        updated_since: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CompetenceLinkType]:
        viewer = info.context.viewer
        statement = links_changed_statement(
            updated_since=updated_since,
            include_drafts=may_see_drafts(viewer),
        )
        return paginate_query(
            info, statement, first=first, after=after, to_node=CompetenceLinkType.from_model
        )

    @strawberry.field(description="Profilens versioner, ældste først; med updatedSince kun nyere.")
    def competence_profiles(
        self, info: Info, updated_since: datetime | None = None
    ) -> list[CompetenceProfileType]:
        statement = select(CompetenceProfile).order_by(CompetenceProfile.version)
        if updated_since is not None:
            statement = statement.where(CompetenceProfile.updated_at >= updated_since)
        return [
            CompetenceProfileType.from_model(p) for p in info.context.session.scalars(statement)
        ]
