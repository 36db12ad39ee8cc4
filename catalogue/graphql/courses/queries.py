"""Queries of the course catalogue."""

from __future__ import annotations

import strawberry

from catalogue.graphql.context import Info
from catalogue.graphql.core.pagination import Connection, paginate
from catalogue.graphql.courses.types import CourseType
from catalogue.services.catalogue_queries import courses_statement


@strawberry.type
class CoursesQuery:
    @strawberry.field(description="Publicerede kurser efter titel; højst 100 pr. side.")
    def courses(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[CourseType]:
        return paginate(
            info.context.session,
            courses_statement(),
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
            to_node=CourseType.from_model,
        )
