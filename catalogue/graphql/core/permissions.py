"""Permissions declared on fields and mutations, shown in their descriptions.

``requires(...)`` guards a query field with capabilities (catalogue.services.capabilities):
a missing token is UNAUTHENTICATED, a viewer whose roles grant none of them is
FORBIDDEN, both as top-level errors with that code. The description names the
capabilities and the roles that hold them, taken from the role table.
Mutations use ``mutation_extensions`` (see ``core.mutations``), which reports the
same denials as ``userErrors`` instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types.field import StrawberryField

from catalogue.graphql.context import Info
from catalogue.services.capabilities import Capability, requirement
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer


def describe(field: StrawberryField, note: str) -> None:
    """Add the permission note to the field's description once, however often it is applied."""
    if field.description is None:
        field.description = note
    elif note not in field.description:
        field.description = f"{field.description} {note}"


def requirement_note(capabilities: frozenset[Capability]) -> str:
    return f"Kræver {requirement(*capabilities)}."


def check_capabilities(viewer: Viewer | None, capabilities: frozenset[Capability]) -> Viewer:
    """The viewer, if their roles grant one of ``capabilities``; otherwise the DomainError."""
    if viewer is None:
        raise DomainError(
            ErrorCode.UNAUTHENTICATED,
            f"Log ind: dette kræver et token med {requirement(*capabilities)}.",
        )
    if not viewer.can(*capabilities):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            f"Ingen adgang: dette kræver {requirement(*capabilities)}.",
        )
    return viewer


class RequireCapability(FieldExtension):
    def __init__(self, capabilities: frozenset[Capability]) -> None:
        self.capabilities = capabilities

    def apply(self, field: StrawberryField) -> None:
        describe(field, requirement_note(self.capabilities))

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        check_capabilities(info.context.viewer, self.capabilities)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        check_capabilities(info.context.viewer, self.capabilities)
        return await next_(source, info, **kwargs)


def requires(*capabilities: Capability) -> list[FieldExtension]:
    """Guard a query field: the viewer needs at least one of ``capabilities``."""
    return [RequireCapability(frozenset(capabilities))]


PERSONAL_NOTE = (
    f"Personlige data: kun personen selv ({Capability.PEOPLE_READ_SELF}), dem over personen "
    f"({Capability.PEOPLE_READ_SUBTREE}) og alle med {requirement(Capability.PEOPLE_READ_ALL)}."
)


class PersonalData(FieldExtension):
    """A field of a Person that only those whose reach includes the person see."""

    def apply(self, field: StrawberryField) -> None:
        describe(field, PERSONAL_NOTE)

    def _check(self, source: Any, info: Info) -> None:
        if info.context.viewer is None:
            raise DomainError(ErrorCode.UNAUTHENTICATED, "Log ind for at se personlige data.")
        if not info.context.may_see_person(source.id):
            raise DomainError(
                ErrorCode.FORBIDDEN,
                "Ingen adgang: du kan kun se dine egne og dine medarbejderes personlige data.",
            )

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        self._check(source, info)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        self._check(source, info)
        return await next_(source, info, **kwargs)


def personal() -> list[FieldExtension]:
    return [PersonalData()]
