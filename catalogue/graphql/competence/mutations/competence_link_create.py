"""competenceLinkCreate: HR links a statement to a course or an activity, with a rationale."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.competence.mutations.payloads import CompetenceLinkPayload
from catalogue.graphql.competence.types import CompetenceLinkType, LinkStrengthEnum
from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.types import ActivityType, CourseType
from catalogue.services import competence_links


@strawberry.input
class CompetenceLinkCreateInput:
    statement_key: str = strawberry.field(description="Fx K3.2.")
    course_id: GlobalID | None = None
    activity_id: GlobalID | None = None
    strength: LinkStrengthEnum  # type: ignore[valid-type]
    rationale: str = strawberry.field(description="Hvorfor; højst 2.000 tegn.")


def competence_link_create(info: Info, input: CompetenceLinkCreateInput) -> CompetenceLinkPayload:
    link = competence_links.create_link(
        info.context.session,
        actor=actor(info),
        statement_key=input.statement_key,
        course_id=decode_id(input.course_id, CourseType, field="courseId")
        if input.course_id
        else None,
        activity_id=(
            decode_id(input.activity_id, ActivityType, field="activityId")
            if input.activity_id
            else None
        ),
        strength=input.strength,
        rationale=input.rationale,
    )
    return CompetenceLinkPayload(competence_link=CompetenceLinkType.from_model(link))
