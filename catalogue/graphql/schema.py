"""The schema: every domain's Query merged, with the guards of docs/architecture.md §5."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.relay import Node, node
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from catalogue.graphql.audit.queries import AuditQuery
from catalogue.graphql.competence.mutations import CompetenceMutation
from catalogue.graphql.competence.queries import CompetenceQuery
from catalogue.graphql.competence.types import CompetenceLinkType
from catalogue.graphql.core.client_errors import ClientErrorCodes, is_client_error
from catalogue.graphql.core.guards import LimitErrors
from catalogue.graphql.core.inputs import InputRules
from catalogue.graphql.core.introspection import NoIntrospection
from catalogue.graphql.core.masking import MaskUnexpectedErrors
from catalogue.graphql.core.persisted import PersistedOperations, PersistedOperationsExtension
from catalogue.graphql.core.query_cost import QueryCostLimiter
from catalogue.graphql.core.request_budget import RequestTimeBudget
from catalogue.graphql.courses.lms_page_executor import lms_page_extension
from catalogue.graphql.courses.mutations import CoursesMutation
from catalogue.graphql.courses.queries import CoursesQuery
from catalogue.graphql.courses.types import (
    ActivityType,
    CourseRunSessionType,
    CourseRunType,
    CourseType,
)
from catalogue.graphql.dialogue.mutations import DialogueMutation
from catalogue.graphql.dialogue.queries import DialogueQuery
from catalogue.graphql.dialogue.types import (
    DevelopmentActionType,
    DialogueCycleType,
    DialogueFocusType,
    DialogueType,
    RoleProfileType,
)
from catalogue.graphql.enrolment.mutations import EnrolmentMutation
from catalogue.graphql.enrolment.queries import EnrolmentQuery
from catalogue.graphql.enrolment.types import ActivityCompletionType, EnrolmentType
from catalogue.graphql.evaluation.mutations import EvaluationMutation
from catalogue.graphql.evaluation.queries import EvaluationQuery
from catalogue.graphql.evaluation.types import (
    EvaluateeType,
    EvaluationInvitationType,
    EvaluationRoundType,
)
from catalogue.graphql.people.queries import PeopleQuery
from catalogue.graphql.people.types import OrgUnitType, PersonType
from catalogue.graphql.privacy.mutations import PrivacyMutation
from catalogue.graphql.profile.queries import ProfileQuery
from catalogue.graphql.profile.types import (
    CompetenceFieldType,
    CompetenceProfileType,
    CompetenceStatementType,
    ThemeType,
)
from catalogue.graphql.search.mutations import SearchMutation
from catalogue.graphql.search.queries import SearchQuery
from catalogue.graphql.search.types import SearchSynonymType
from catalogue.graphql.sync.mutations import SyncMutation
from catalogue.graphql.sync.queries import SyncQuery
from catalogue.graphql.sync.types import SyncRunType
from catalogue.settings import Settings
from graphql import GraphQLError

DOMAIN_QUERIES: tuple[type, ...] = (
    ProfileQuery,
    CoursesQuery,
    CompetenceQuery,
    PeopleQuery,
    EnrolmentQuery,
    AuditQuery,
    SyncQuery,
    SearchQuery,
    EvaluationQuery,
    DialogueQuery,
)
DOMAIN_MUTATIONS: tuple[type, ...] = (
    CoursesMutation,
    CompetenceMutation,
    EnrolmentMutation,
    SyncMutation,
    SearchMutation,
    PrivacyMutation,
    EvaluationMutation,
    DialogueMutation,
)


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
    CourseRunSessionType,
    CompetenceLinkType,
    PersonType,
    OrgUnitType,
    EnrolmentType,
    ActivityCompletionType,
    SyncRunType,
    SearchSynonymType,
    EvaluationRoundType,
    EvaluateeType,
    EvaluationInvitationType,
    DialogueCycleType,
    DialogueType,
    DialogueFocusType,
    DevelopmentActionType,
    RoleProfileType,
]


class CatalogueSchema(strawberry.Schema):
    """Logs only faults: a client's mistake, a DomainError or a refused query is no incident."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        unexpected = [error for error in errors if not is_client_error(error)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def build_schema(
    settings: Settings, operations: PersistedOperations | None = None
) -> strawberry.Schema:
    """Extensions are factories: Strawberry builds fresh ones for every request.

    The persisted operations are read once here, at start-up (default: graphql/operations).
    """
    persisted = operations if operations is not None else PersistedOperations.from_directory()
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: RequestTimeBudget(seconds=settings.request_time_budget),
        lambda: PersistedOperationsExtension(
            persisted, lms_persisted_only=settings.lms_persisted_only
        ),
        ClientErrorCodes,
        LimitErrors,
        InputRules,
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: QueryCostLimiter(
            max_cost=settings.max_query_cost,
            max_page_size=settings.max_page_size,
            list_size=settings.query_cost_list_size,
        ),
    ]
    if not settings.introspection_allowed:
        extensions.append(NoIntrospection)
    if not settings.is_dev:
        extensions.append(
            lambda: MaskUnexpectedErrors(should_mask_error=lambda error: not is_client_error(error))
        )
    if lms_page := lms_page_extension(persisted, settings):
        extensions.append(lms_page)
    mutation = merge_types("Mutation", DOMAIN_MUTATIONS) if DOMAIN_MUTATIONS else None
    return CatalogueSchema(
        query=_query_type(), mutation=mutation, types=NODE_TYPES, extensions=extensions
    )
