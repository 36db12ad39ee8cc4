"""Permissions declared on fields and mutations, shown in their descriptions.

``requires(...)`` guards a query field: a missing token is UNAUTHENTICATED, a
role without the right is FORBIDDEN, both as top-level errors with that code.
Mutations use ``mutation_extensions`` (see ``core.mutations``), which reports the
same denials as ``userErrors`` instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types.field import StrawberryField

from catalogue.graphql.context import Info
from catalogue.models import Role
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer


def describe(field: StrawberryField, note: str) -> None:
    """Add the permission note to the field's description once, however often it is applied."""
    if field.description is None:
        field.description = note
    elif note not in field.description:
        field.description = f"{field.description} {note}"


def role_names(roles: frozenset[Role]) -> str:
    return " eller ".join(sorted(roles))


def check_roles(viewer: Viewer | None, roles: frozenset[Role]) -> Viewer:
    """The viewer, if they hold one of ``roles``; otherwise the matching DomainError."""
    if viewer is None:
        raise DomainError(
            ErrorCode.UNAUTHENTICATED,
            f"Log ind: dette kræver et token med rollen {role_names(roles)}.",
        )
    if not viewer.has_any(*roles):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            f"Ingen adgang: dette kræver rollen {role_names(roles)}.",
        )
    return viewer


class RequireRoles(FieldExtension):
    def __init__(self, roles: frozenset[Role]) -> None:
        self.roles = roles

    def apply(self, field: StrawberryField) -> None:
        describe(field, f"Kræver rollen {role_names(self.roles)}.")

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        check_roles(info.context.viewer, self.roles)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        check_roles(info.context.viewer, self.roles)
        return await next_(source, info, **kwargs)


def requires(*roles: Role) -> list[FieldExtension]:
    return [RequireRoles(frozenset(roles))]


STAFF = (Role.HR, Role.ADMIN)


class PersonalData(FieldExtension):
    """A field of a Person that only the person, their chefs, HR, ADMIN and the LMS see."""

    def apply(self, field: StrawberryField) -> None:
        describe(
            field, "Personlige data: kun personen selv, chefer over personen, HR, ADMIN og LMS."
        )

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
