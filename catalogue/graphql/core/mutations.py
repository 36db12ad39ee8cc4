"""The shared shape of every mutation: capabilities checked, one transaction, errors as data.

A mutation resolver parses its input, calls one service function and returns
its payload. This extension checks the capabilities first, commits when the resolver
succeeds, and turns any DomainError into the payload's ``userErrors`` after
rolling back, so nothing stored changes on failure.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from sqlalchemy.exc import IntegrityError
from strawberry.extensions import FieldExtension
from strawberry.types.field import StrawberryField

from catalogue.graphql.context import Info
from catalogue.graphql.core.errors import UserError, user_errors
from catalogue.graphql.core.permissions import check_capabilities, describe, requirement_note
from catalogue.services.capabilities import Capability
from catalogue.services.errors import DomainError, DomainValidationError, ErrorCode

log = structlog.get_logger("catalogue.graphql")

# A constraint the checks could not see coming: another request stored the same thing first.
CONCURRENT_CHANGE = DomainError(
    ErrorCode.CONFLICT,
    "Ændringen strider mod noget, der blev gemt samtidig; hent data igen og prøv på ny.",
)


class MutationExtension(FieldExtension):
    def __init__(self, capabilities: frozenset[Capability]) -> None:
        self.capabilities = capabilities

    def apply(self, field: StrawberryField) -> None:
        self.field = field
        if self.capabilities:
            describe(field, requirement_note(self.capabilities))
        else:
            describe(field, PUBLIC_NOTE)

    def _check(self, info: Info) -> None:
        if self.capabilities:
            check_capabilities(info.context.viewer, self.capabilities)

    def _failure(self, info: Info, errors: list[DomainError]) -> Any:
        info.context.session.rollback()
        payload_type: Any = self.field.type
        return payload_type(user_errors=user_errors(errors))

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        try:
            self._check(info)
            result = next_(source, info, **kwargs)
            info.context.session.commit()
        except DomainValidationError as exc:
            return self._failure(info, exc.errors)
        except DomainError as exc:
            return self._failure(info, [exc])
        except IntegrityError as exc:
            log.warning("mutation.integrity_conflict", error=str(exc.orig))
            return self._failure(info, [CONCURRENT_CHANGE])
        return result

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        try:
            self._check(info)
            result = await next_(source, info, **kwargs)
            info.context.session.commit()
        except DomainValidationError as exc:
            return self._failure(info, exc.errors)
        except DomainError as exc:
            return self._failure(info, [exc])
        except IntegrityError as exc:
            log.warning("mutation.integrity_conflict", error=str(exc.orig))
            return self._failure(info, [CONCURRENT_CHANGE])
        return result


def mutation(*capabilities: Capability) -> list[FieldExtension]:
    """Wrap a mutation: the viewer needs at least one of ``capabilities``."""
    if not capabilities:
        raise ValueError("a mutation names its capabilities; use public_mutation() for none")
    return [MutationExtension(frozenset(capabilities))]


PUBLIC_NOTE = "Kræver intet login: inputtet bærer sin egen adgang (et personligt link)."


def public_mutation() -> list[FieldExtension]:
    """Wrap a mutation whose input is its own credential (an evaluation link's token)."""
    return [MutationExtension(frozenset())]


__all__ = ["MutationExtension", "UserError", "mutation", "public_mutation"]
