"""HR's view of the audit log: paged, newest first, filtered by person, course or time."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.audit.types import AuditActionEnum, AuditEntryType
from catalogue.graphql.context import Info
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.core.pagination import Connection, paginate_query
from catalogue.graphql.core.permissions import requires
from catalogue.graphql.courses.types import CourseType
from catalogue.graphql.people.types import PersonType
from catalogue.services.audit import audit_statement
from catalogue.services.capabilities import Capability


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description=(
            "Revisionsloggen, nyeste først. Filtrér på personen ændringen angår, hvem der "
            "foretog den, kursus, slags objekt (fx Enrolment), handling og tidsrum [since, until)."
        ),
        extensions=requires(Capability.AUDIT_READ),
    )
    def audit_log(
        self,
        info: Info,
        person: GlobalID | None = None,
        actor: GlobalID | None = None,
        course: GlobalID | None = None,
        entity_type: str | None = None,
        action: AuditActionEnum | None = None,  # type: ignore[valid-type]
        since: datetime | None = None,
        until: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditEntryType]:
        statement = audit_statement(
            person_id=decode_id(person, PersonType, field="person") if person else None,
            actor_id=decode_id(actor, PersonType, field="actor") if actor else None,
            course_id=decode_id(course, CourseType, field="course") if course else None,
            entity_type=entity_type,
            action=action,
            since=since,
            until=until,
        )
        return paginate_query(
            info, statement, first=first, after=after, to_node=AuditEntryType.from_model
        )
