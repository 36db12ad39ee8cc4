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
from catalogue.models.dialogue import (
    ActionKind,
    ActionStatus,
    CycleStatus,
    DevelopmentAction,
    Dialogue,
    DialogueAdaptation,
    DialogueAssessment,
    DialogueCycle,
    DialogueFocus,
    DialogueReminderSent,
    DialogueSide,
    DialogueSnapshot,
    DialogueStatus,
    PreparationVisibility,
    RoleProfile,
)
from catalogue.models.enrolment import (
    ActivityCompletion,
    ChangeSource,
    Enrolment,
    EnrolmentStatus,
)
from catalogue.models.person import OrgUnit, Person, Role
from catalogue.models.profile import CompetenceField, CompetenceProfile, CompetenceStatement, Theme
from catalogue.models.sync import OutboxEvent, SyncKind, SyncRun, SyncStatus

__all__ = [
    "ActionKind",
    "ActionStatus",
    "Activity",
    "ActivityCompletion",
    "ActivityKind",
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
    "CycleStatus",
    "DevelopmentAction",
    "Dialogue",
    "DialogueAdaptation",
    "DialogueAssessment",
    "DialogueCycle",
    "DialogueFocus",
    "DialogueReminderSent",
    "DialogueSide",
    "DialogueSnapshot",
    "DialogueStatus",
    "Enrolment",
    "EnrolmentStatus",
    "LinkRemovalReason",
    "LinkStrength",
    "OrgUnit",
    "OutboxEvent",
    "Person",
    "PreparationVisibility",
    "Role",
    "RoleProfile",
    "SyncKind",
    "SyncRun",
    "SyncStatus",
    "Theme",
]
