"""Who is asking: the person behind a validated token, the roles they act in, what they may do."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.models import Role
from catalogue.services.capabilities import Capability, capabilities_of


@dataclass(frozen=True)
class Viewer:
    person_id: int
    email: str
    roles: frozenset[Role]

    @property
    def capabilities(self) -> frozenset[Capability]:
        """Read from the role table on every call, so nothing caches a role's old rights."""
        return capabilities_of(self.roles)

    def can(self, *capabilities: Capability) -> bool:
        """True when the viewer's roles grant at least one of ``capabilities``."""
        return not self.capabilities.isdisjoint(capabilities)
