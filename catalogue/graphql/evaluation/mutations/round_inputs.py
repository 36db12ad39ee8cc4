"""The settings of a round as GraphQL input, shared by create and update."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from catalogue.services.evaluation_rounds import RoundFields


@strawberry.input(description="En rundes indstillinger; udeladt felt: uændret (eller standard).")
class EvaluationRoundFieldsInput:
    name: str | None = None
    opens_on: date | None = None
    closes_at: datetime | None = None
    statement_keys: list[str] | None = strawberry.field(
        default=None, description="Udsagnenes nøgler (K1.1 …); udeladt ved oprettelse: alle."
    )
    reminder_days: list[int] | None = None
    scale_max: int | None = None
    employee_threshold: int | None = strawberry.field(
        default=None, description="Standard 5, aldrig under 3; kan kun hæves, når runden er åben."
    )
    peer_threshold: int | None = strawberry.field(default=None, description="Standard 3.")
    subordinate_leader_threshold: int | None = strawberry.field(
        default=None, description="Standard 3."
    )
    peers_named: bool | None = None
    chef_levels: int | None = None
    chef_delay_days: int | None = None

    def to_fields(self) -> RoundFields:
        return RoundFields(
            name=self.name,
            opens_on=self.opens_on,
            closes_at=self.closes_at,
            statement_keys=self.statement_keys,
            reminder_days=self.reminder_days,
            scale_max=self.scale_max,
            employee_threshold=self.employee_threshold,
            peer_threshold=self.peer_threshold,
            subordinate_leader_threshold=self.subordinate_leader_threshold,
            peers_named=self.peers_named,
            chef_levels=self.chef_levels,
            chef_delay_days=self.chef_delay_days,
        )
