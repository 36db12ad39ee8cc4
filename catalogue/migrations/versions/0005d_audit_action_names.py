"""audit actions in one naming: ENTITY_WHAT_HAPPENED, upper case

Revision ID: 0005d
Revises: 0005b
Create Date: 2026-12-01 22:30:00.000000

Enrolment moves were stored as the state machine's lower-case verbs (``enrol``,
``withdraw``) and activity completions as ``complete``, while the curation
writers stored ``COURSE_CREATED``. ``services/audit.py: AuditAction`` now names
every action; this renames the stored rows to it (and back on downgrade). The
entity type tells an enrolment's ``complete`` from a completion's. Data only:
the column stays a VARCHAR(50).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005d"
down_revision: str | None = "0005b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (entity_type, old action, new action)
RENAMES: tuple[tuple[str, str, str], ...] = (
    ("Enrolment", "request", "ENROLMENT_REQUESTED"),
    ("Enrolment", "approve", "ENROLMENT_APPROVED"),
    ("Enrolment", "reject", "ENROLMENT_REJECTED"),
    ("Enrolment", "enrol", "ENROLMENT_ENROLLED"),
    ("Enrolment", "waitlist", "ENROLMENT_WAITLISTED"),
    ("Enrolment", "promote", "ENROLMENT_PROMOTED"),
    ("Enrolment", "start", "ENROLMENT_STARTED"),
    ("Enrolment", "complete", "ENROLMENT_COMPLETED"),
    ("Enrolment", "fail", "ENROLMENT_FAILED"),
    ("Enrolment", "withdraw", "ENROLMENT_WITHDRAWN"),
    ("ActivityCompletion", "complete", "COMPLETION_RECORDED"),
)

RENAME = sa.text(
    "UPDATE audit_log_entry SET action = :to_action "
    "WHERE entity_type = :entity_type AND action = :from_action"
)


def upgrade() -> None:
    for entity_type, old, new in RENAMES:
        op.execute(RENAME.bindparams(entity_type=entity_type, from_action=old, to_action=new))


def downgrade() -> None:
    for entity_type, old, new in RENAMES:
        op.execute(RENAME.bindparams(entity_type=entity_type, from_action=new, to_action=old))
