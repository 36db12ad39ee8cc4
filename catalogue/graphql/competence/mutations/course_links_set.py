"""courseLinksSet: all of a course's competence links in one mutation."""

from __future__ import annotations

import strawberry
from strawberry.relay import GlobalID

from catalogue.graphql.competence.mutations.payloads import CourseLinksPayload
from catalogue.graphql.competence.types import CompetenceLinkType, LinkStrengthEnum
from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.courses.types import ActivityType, CourseType
from catalogue.services import competence_links
from catalogue.services.competence_links import LinkSpec
from catalogue.services.course_admin import get_course


@strawberry.input
class CourseLinkInput:
    statement_key: str
    strength: LinkStrengthEnum  # type: ignore[valid-type]
    rationale: str
    activity_id: GlobalID | None = strawberry.field(
        default=None, description="Link til en af kursets aktiviteter i stedet for kurset."
    )


@strawberry.input
class CourseLinksSetInput:
    course_id: GlobalID
    links: list[CourseLinkInput] = strawberry.field(
        description="Kursets links, som de skal være; links der ikke står her, fjernes."
    )


def course_links_set(info: Info, input: CourseLinksSetInput) -> CourseLinksPayload:
    course_id = decode_id(input.course_id, CourseType, field="courseId")
    specs = [
        LinkSpec(
            statement_key=link.statement_key,
            strength=link.strength,
            rationale=link.rationale,
            activity_id=(
                decode_id(link.activity_id, ActivityType, field=f"links[{i}].activityId")
                if link.activity_id
                else None
            ),
        )
        for i, link in enumerate(input.links)
    ]
    links = competence_links.set_course_links(
        info.context.session, actor=actor(info), course_id=course_id, links=specs
    )
    return CourseLinksPayload(
        course=CourseType.from_model(get_course(info.context.session, course_id)),
        competence_links=[CompetenceLinkType.from_model(link) for link in links],
    )
