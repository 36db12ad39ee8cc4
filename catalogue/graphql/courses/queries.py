"""Queries of the course catalogue."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.core.pagination import Connection, paginate_query
from catalogue.graphql.courses.filters import CourseFilterInput, CourseOrderEnum
from catalogue.graphql.courses.types import ActivityType, CourseType
from catalogue.services import course_search
from catalogue.services.catalogue_queries import activities_changed_statement
from catalogue.services.course_search import CourseOrder, may_see_drafts


@strawberry.type
class CoursesQuery:
    @strawberry.field(
        description=(
            "Kataloget: publicerede kurser (og gravsten med updatedSince); højst 100 pr. side."
        )
    )
    def courses(
        self,
        info: Info,
        filter: CourseFilterInput | None = None,
        order_by: CourseOrderEnum = CourseOrder.TITLE,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CourseType]:
        criteria = (filter or CourseFilterInput()).to_domain()
        found = course_search.course_search(
            info.context.session, criteria, viewer=info.context.viewer, order=order_by
        )
        return paginate_query(
            info,
            found.statement,
            first=first,
            after=after,
            to_node=lambda row: CourseType.found_by(row, found.query),
        )

    @strawberry.field(
        description="Et kursus ud fra dets id; kladder kun med catalogue.read_drafts."
    )
    async def course(self, info: Info, id: GlobalID) -> CourseType | None:
        nodes = await CourseType.resolve_nodes(
            info=info, node_ids=[str(decode_id(id, CourseType, field="id"))]
        )
        return nodes[0]

    @strawberry.field(
        description=(
            "Aktiviteter ændret siden et tidspunkt, arkiverede som gravsten (til LMS); i id-orden, "
            "så en pull side for side får hver aktivitet én gang."
        )
    )
    def activities(
        self,
        info: Info,
        updated_since: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ActivityType]:
        viewer = info.context.viewer
        statement = activities_changed_statement(
            updated_since=updated_since,
            include_drafts=may_see_drafts(viewer),
        )
        return paginate_query(
            info, statement, first=first, after=after, to_node=ActivityType.from_model
        )
