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
from catalogue.models.login_session import LoginSession
from catalogue.models.lti import LtiNonce, LtiPlatform
from catalogue.models.person import OrgUnit, Person, Role
from catalogue.models.profile import CompetenceField, CompetenceProfile, CompetenceStatement, Theme
from catalogue.models.sync import OutboxEvent, SyncKind, SyncRun, SyncStatus

__all__ = [
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
    "Enrolment",
    "EnrolmentStatus",
    "LinkRemovalReason",
    "LinkStrength",
    "LoginSession",
    "LtiNonce",
    "LtiPlatform",
    "OrgUnit",
    "OutboxEvent",
    "Person",
    "Role",
    "SyncKind",
    "SyncRun",
    "SyncStatus",
    "Theme",
]
