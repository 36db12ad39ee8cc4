"""dialogueCycleCreate: HR sets up a year's round as a DRAFT."""

from __future__ import annotations

from datetime import date

import strawberry

from catalogue.graphql.context import Info
from catalogue.graphql.core.actor import actor
from catalogue.graphql.dialogue.enums import PreparationVisibilityEnum
from catalogue.graphql.dialogue.mutations.payloads import DialogueCyclePayload
from catalogue.graphql.dialogue.types import DialogueCycleType
from catalogue.models import PreparationVisibility
from catalogue.services.dialogue import cycles


@strawberry.input
class DialogueCycleCreateInput:
    year: int
    title: str
    opens_on: date
    preparation_due: date
    meeting_from: date
    meeting_until: date
    closes_on: date
    profile_version: int | None = None
    visibility: PreparationVisibilityEnum = PreparationVisibility.AFTER_BOTH_SUBMITTED  # type: ignore[valid-type]
    hr_may_read_dialogues: bool = False
    scale_min: int = 1
    scale_max: int = 5
    scale_labels: list[str] | None = None


def dialogue_cycle_create(info: Info, input: DialogueCycleCreateInput) -> DialogueCyclePayload:
    result = cycles.create_cycle(
        info.context.session,
        actor=actor(info),
        year=input.year,
        title=input.title,
        opens_on=input.opens_on,
        preparation_due=input.preparation_due,
        meeting_from=input.meeting_from,
        meeting_until=input.meeting_until,
        closes_on=input.closes_on,
        profile_version=input.profile_version,
        visibility=PreparationVisibility(input.visibility),
        hr_may_read_dialogues=input.hr_may_read_dialogues,
        scale_min=input.scale_min,
        scale_max=input.scale_max,
        scale_labels=input.scale_labels,
    )
    return DialogueCyclePayload(cycle=DialogueCycleType.from_model(result))
