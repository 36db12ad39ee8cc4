"""personDataExport: everything held on a person, as JSON, for ADMIN; audited."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.relay import GlobalID
from strawberry.scalars import JSON

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.errors import UserError
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.people.types import PersonType
from catalogue.services.privacy.export import export_person_data


@strawberry.input(description="Hvis data der skal udleveres.")
class PersonDataExportInput:
    person_id: GlobalID


@strawberry.type
class PersonDataExportPayload:
    user_errors: list[UserError]
    # JSON is a scalar alias of ``object`` at run time; typed as Any so the document passes.
    data: Any = strawberry.field(
        graphql_type=JSON | None,
        default=None,
        description=(
            "Alle data om personen, ordnet efter område (person, enrolments, "
            "activityCompletions, auditEntriesAboutPerson, auditEntriesByPerson, "
            "competenceLinksMade, syncRunsRequested)."
        ),
    )


def person_data_export(info: Info, input: PersonDataExportInput) -> PersonDataExportPayload:
    document: dict[str, Any] = export_person_data(
        info.context.session,
        actor=actor(info),
        person_id=decode_id(input.person_id, PersonType, field="personId"),
    )
    return PersonDataExportPayload(user_errors=[], data=document)
