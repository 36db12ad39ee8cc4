"""Who is asking: the person behind a validated token and the roles they act in."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.models import Role


@dataclass(frozen=True)
class Viewer:
    person_id: int
    email: str
    roles: frozenset[Role]

    def has_any(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_staff(self) -> bool:
        """HR and ADMIN see and curate everything."""
        return self.has_any(Role.HR, Role.ADMIN)
