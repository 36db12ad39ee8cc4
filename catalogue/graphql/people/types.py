"""GraphQL types for people and the organisation."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.relay import NodeID

from catalogue.graphql.context import Info
from catalogue.graphql.core.nodes import ModelNode
from catalogue.graphql.core.permissions import personal
from catalogue.graphql.enrolment.enums import EnrolmentStatusEnum
from catalogue.models import Person, Role

if TYPE_CHECKING:
    from catalogue.graphql.dialogue.types import DialogueType, RecommendationType
    from catalogue.graphql.enrolment.types import (
        ActivityCompletionType,
        EnrolmentType,
        ProgressType,
    )

RoleEnum = strawberry.enum(Role, name="Role")
ENROLMENT_TYPES = "catalogue.graphql.enrolment.types"
DIALOGUE_TYPES = "catalogue.graphql.dialogue.types"


@strawberry.type(name="OrgUnit", description="En enhed i kommunens organisation.")
class OrgUnitType(ModelNode):
    loader_name = "org_unit_by_id"
    id: NodeID[int]
    key: str
    name: str
    parent_id: strawberry.Private[int | None]

    @strawberry.field(description="Den overordnede enhed.")
    async def parent(self, info: Info) -> OrgUnitType | None:
        if self.parent_id is None:
            return None
        model = await info.context.loaders.org_unit_by_id.load(self.parent_id)
        return OrgUnitType.from_model(model) if model else None


@strawberry.type(name="Person", description="En leder, chef, HR-medarbejder eller servicekonto.")
class PersonType(ModelNode):
    loader_name = "person_by_id"
    id: NodeID[int]
    name: str
    title: str
    model: strawberry.Private[Person]

    async def is_visible(self, info: Info) -> bool:
        return info.context.viewer is not None and info.context.may_see_person(self.id)

    @strawberry.field(extensions=personal())
    def email(self) -> str:
        return self.model.email

    @strawberry.field(extensions=personal(), description="Roller personen har i kataloget.")
    def roles(self) -> list[RoleEnum]:  # type: ignore[valid-type]
        return sorted(self.model.roles)

    @strawberry.field(
        extensions=personal(),
        description="Hvornår personens data blev slettet (personErase); ellers tom.",
    )
    def erased_at(self) -> datetime | None:
        return self.model.erased_at

    @strawberry.field(extensions=personal(), description="Personens bruger-id i LMS'et.")
    def lms_user_id(self) -> str | None:
        return self.model.lms_user_id

    @strawberry.field(description="Personens enhed.")
    async def org_unit(self, info: Info) -> OrgUnitType | None:
        if self.model.org_unit_id is None:
            return None
        model = await info.context.loaders.org_unit_by_id.load(self.model.org_unit_id)
        return OrgUnitType.from_model(model) if model else None

    @strawberry.field(description="Personens nærmeste chef.")
    async def manager(self, info: Info) -> PersonType | None:
        if self.model.manager_id is None:
            return None
        model = await info.context.loaders.person_by_id.load(self.model.manager_id)
        return PersonType.from_model(model) if model else None

    @strawberry.field(
        extensions=personal(), description="Personens tilmeldinger efter holdets start."
    )
    async def enrolments(
        self,
        info: Info,
        status: list[EnrolmentStatusEnum] | None = None,  # type: ignore[valid-type]
    ) -> list[Annotated[EnrolmentType, strawberry.lazy(ENROLMENT_TYPES)]]:
        from catalogue.graphql.enrolment.types import person_enrolments

        return await person_enrolments(info, self.id, status)

    @strawberry.field(
        extensions=personal(),
        description="Fremdrift i forhold til kompetenceprofilen, pr. felt og pr. udsagn.",
    )
    async def progress(
        self, info: Info
    ) -> Annotated[ProgressType, strawberry.lazy(ENROLMENT_TYPES)]:
        from catalogue.graphql.enrolment.types import person_progress

        return await person_progress(info, self.id)

    @strawberry.field(extensions=personal(), description="Gennemførte aktiviteter.")
    async def completions(
        self, info: Info
    ) -> list[Annotated[ActivityCompletionType, strawberry.lazy(ENROLMENT_TYPES)]]:
        from catalogue.graphql.enrolment.types import person_completions

        return await person_completions(info, self.id)

    @strawberry.field(
        extensions=personal(),
        description=(
            "Personens udviklingssamtaler (LUS) som leder, nyeste først; kun dem, du må se "
            "(lederen selv, chefen, chefens chef, HR hvor runden tillader det)."
        ),
    )
    async def dialogues(
        self, info: Info
    ) -> list[Annotated[DialogueType, strawberry.lazy(DIALOGUE_TYPES)]]:
        from catalogue.graphql.dialogue.types import visible_dialogues

        rows = await info.context.loaders.dialogues_by_leader_id.load(self.id)
        return await visible_dialogues(info, rows)

    @strawberry.field(
        extensions=personal(),
        description=(
            "Kurser til fokusudsagnene i personens nyeste samtale med et aftalt fokus, "
            "rangeret og forklaret på dansk."
        ),
    )
    async def recommendations(
        self, info: Info
    ) -> list[Annotated[RecommendationType, strawberry.lazy(DIALOGUE_TYPES)]]:
        from catalogue.graphql.dialogue.types import person_recommendations

        return await person_recommendations(info, self.id)
