"""All models, imported here so Alembic and the mappers see every table."""

from catalogue.models.audit import AuditLogEntry
from catalogue.models.base import Base
from catalogue.models.competence_link import CompetenceLink, LinkRemovalReason, LinkStrength
from catalogue.models.course import (
    Activity,
    ActivityKind,
    Course,
    CourseKind,
    CourseRun,
    CourseRunSession,
    CourseStatus,
)
from catalogue.models.enrolment import (
    ActivityCompletion,
    ChangeSource,
    Enrolment,
    EnrolmentStatus,
)
from catalogue.models.evaluation import (
    AnswerChoice,
    Evaluatee,
    EvaluationAnswerSet,
    EvaluationComment,
    EvaluationInvitation,
    EvaluationInvitationAnswered,
    EvaluationInvitationSent,
    EvaluationRating,
    EvaluationRound,
    InvitationStatus,
    RespondentGroup,
    RoundStatus,
)
from catalogue.models.person import (
    ManagerPeriod,
    OrgUnit,
    Person,
    Role,
    RoleGroup,
    RoleGroupMember,
)
from catalogue.models.profile import CompetenceField, CompetenceProfile, CompetenceStatement, Theme
from catalogue.models.search import SearchField, SearchSynonym, SearchTerm, SearchWord
from catalogue.models.sync import OutboxEvent, SyncKind, SyncRun, SyncStatus

__all__ = [
    "Activity",
    "ActivityCompletion",
    "ActivityKind",
    "AnswerChoice",
    "AuditLogEntry",
    "Base",
    "ChangeSource",
    "CompetenceField",
    "CompetenceLink",
    "CompetenceProfile",
    "CompetenceStatement",
    "Course",
    "CourseKind",
    "CourseRun",
    "CourseRunSession",
    "CourseStatus",
    "Enrolment",
    "EnrolmentStatus",
    "Evaluatee",
    "EvaluationAnswerSet",
    "EvaluationComment",
    "EvaluationInvitation",
    "EvaluationInvitationAnswered",
    "EvaluationInvitationSent",
    "EvaluationRating",
    "EvaluationRound",
    "InvitationStatus",
    "LinkRemovalReason",
    "LinkStrength",
    "ManagerPeriod",
    "OrgUnit",
    "OutboxEvent",
    "Person",
    "RespondentGroup",
    "Role",
    "RoleGroup",
    "RoleGroupMember",
    "RoundStatus",
    "SearchField",
    "SearchSynonym",
    "SearchTerm",
    "SearchWord",
    "SyncKind",
    "SyncRun",
    "SyncStatus",
    "Theme",
]
