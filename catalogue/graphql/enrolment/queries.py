"""Queries of enrolment: enrolments in view, a chef's team, completions for HR."""

from __future__ import annotations

import strawberry
from sqlalchemy import select
from strawberry.relay import GlobalID

from catalogue.graphql.context import Info
from catalogue.graphql.core.ids import decode_id
from catalogue.graphql.core.pagination import Connection, paginate_query
from catalogue.graphql.core.permissions import requires
from catalogue.graphql.courses.types import CourseRunType
from catalogue.graphql.enrolment.enums import EnrolmentStatusEnum
from catalogue.graphql.enrolment.types import (
    ActivityCompletionType,
    EnrolmentType,
    TeamMemberType,
)
from catalogue.graphql.people.types import PersonType
from catalogue.models import ActivityCompletion, Person
from catalogue.services import people
from catalogue.services.capabilities import Capability
from catalogue.services.enrolments import enrolments_statement


@strawberry.type
class EnrolmentQuery:
    @strawberry.field(
        description=(
            "Tilmeldinger, du må se: dine egne, med people.read_subtree også dem under dig, "
            "med people.read_all alle. Efter holdets start, så ventelisten i rækkefølge."
        ),
        extensions=requires(*people.PERSONAL_DATA_READERS),
    )
    def enrolments(
        self,
        info: Info,
        person: GlobalID | None = None,
        course_run: GlobalID | None = None,
        status: list[EnrolmentStatusEnum] | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[EnrolmentType]:
        statement = enrolments_statement(
            visible=info.context.visible_people(),
            person_id=decode_id(person, PersonType, field="person") if person else None,
            course_run_id=(
                decode_id(course_run, CourseRunType, field="courseRun") if course_run else None
            ),
            statuses=status,
        )
        return paginate_query(
            info, statement, first=first, after=after, to_node=EnrolmentType.from_model
        )

    @strawberry.field(
        description=(
            "Chefens medarbejdere i hele træet under chefen, efter navn, med fremdrift og "
            "anmodninger, der venter på godkendelse."
        ),
        extensions=requires(Capability.PEOPLE_READ_SUBTREE),
    )
    def my_team(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[TeamMemberType]:
        assert info.context.viewer is not None
        chef_id = info.context.viewer.person_id
        statement = people.people_statement(
            info.context.session,
            visible=people.subordinate_ids(info.context.session, chef_id),
            search=None,
            org_unit_id=None,
        )

        def member(model: Person) -> TeamMemberType:
            return TeamMemberType(model=model, chef_id=chef_id)

        return paginate_query(info, statement, first=first, after=after, to_node=member)

    @strawberry.field(
        description=(
            "Registrerede aktivitetsgennemførelser, nyeste først; withoutEnrolment: true "
            "viser dem for kurser, personen ikke havde plads på."
        ),
        extensions=requires(Capability.PEOPLE_READ_ALL),
    )
    def completions(
        self,
        info: Info,
        person: GlobalID | None = None,
        without_enrolment: bool | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ActivityCompletionType]:
        statement = select(ActivityCompletion).order_by(
            ActivityCompletion.created_at.desc(), ActivityCompletion.id.desc()
        )
        if person is not None:
            statement = statement.where(
                ActivityCompletion.person_id == decode_id(person, PersonType, field="person")
            )
        if without_enrolment is not None:
            statement = statement.where(
                ActivityCompletion.enrolment_id.is_(None)
                if without_enrolment
                else ActivityCompletion.enrolment_id.is_not(None)
            )
        return paginate_query(
            info, statement, first=first, after=after, to_node=ActivityCompletionType.from_model
        )
