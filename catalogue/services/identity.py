"""Who is asking: the person behind a validated token, the roles they act in, what they may do."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.models import Role
from catalogue.services.capabilities import Capability, capabilities_of
from catalogue.services.errors import DomainError, ErrorCode


class AuthenticationError(DomainError):
    """The token is missing a part, expired, malformed or wrongly signed."""

    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.UNAUTHENTICATED, message)


class NoRoleError(AuthenticationError):
    """A valid token whose person has no role here: refused (HTTP 403), saying why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.code = ErrorCode.FORBIDDEN


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
