"""The schema: every domain's Query merged, with the guards of DESIGN.md §4."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.relay import Node, node
from strawberry.tools import merge_types

from catalogue.graphql.competence.mutations import CompetenceMutation
from catalogue.graphql.competence.queries import CompetenceQuery
from catalogue.graphql.competence.types import CompetenceLinkType
from catalogue.graphql.courses.mutations import CoursesMutation
from catalogue.graphql.courses.queries import CoursesQuery
from catalogue.graphql.courses.types import ActivityType, CourseRunType, CourseType
from catalogue.graphql.people.queries import PeopleQuery
from catalogue.graphql.people.types import OrgUnitType, PersonType
from catalogue.graphql.profile.queries import ProfileQuery
from catalogue.graphql.profile.types import (
    CompetenceFieldType,
    CompetenceProfileType,
    CompetenceStatementType,
    ThemeType,
)
from catalogue.services.errors import DomainError
from catalogue.settings import Settings
from graphql import GraphQLError

DOMAIN_QUERIES: tuple[type, ...] = (ProfileQuery, CoursesQuery, CompetenceQuery, PeopleQuery)
DOMAIN_MUTATIONS: tuple[type, ...] = (CoursesMutation, CompetenceMutation)


def _query_type() -> type:
    """A fresh root type per schema: Strawberry binds the ``node`` field to one schema."""

    @strawberry.type
    class NodeQuery:
        node: Node | None = node(description="Ethvert objekt ud fra dets globale id.")

    return merge_types("Query", (NodeQuery, *DOMAIN_QUERIES))


NODE_TYPES = [
    CompetenceProfileType,
    CompetenceFieldType,
    CompetenceStatementType,
    ThemeType,
    CourseType,
    ActivityType,
    CourseRunType,
    CompetenceLinkType,
    PersonType,
    OrgUnitType,
]


def _is_expected(error: GraphQLError) -> bool:
    """Expected failures keep their message; everything else is masked in production."""
    original = error.original_error
    return original is None or isinstance(original, DomainError)


def build_schema(settings: Settings) -> strawberry.Schema:
    """Extensions are factories: Strawberry builds fresh ones for every request."""
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
    ]
    if not settings.is_dev:
        extensions.append(
            lambda: MaskErrors(
                should_mask_error=lambda error: not _is_expected(error),
                error_message="Der opstod en uventet fejl.",
            )
        )
    mutation = merge_types("Mutation", DOMAIN_MUTATIONS) if DOMAIN_MUTATIONS else None
    return strawberry.Schema(
        query=_query_type(), mutation=mutation, types=NODE_TYPES, extensions=extensions
    )
