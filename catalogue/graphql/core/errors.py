"""``userErrors`` on mutation payloads: the one place domain errors become GraphQL data."""

from __future__ import annotations

import strawberry

from catalogue.services.errors import DomainError, ErrorCode

ErrorCodeEnum = strawberry.enum(ErrorCode, name="ErrorCode", description="Stabile fejlkoder.")


@strawberry.type(
    description="En forventet fejl: hvilket felt, hvad der var galt (på dansk), og en kode."
)
class UserError:
    field: str | None
    message: str
    code: ErrorCodeEnum  # type: ignore[valid-type]


def user_errors(errors: list[DomainError]) -> list[UserError]:
    return [UserError(field=e.field, message=e.message, code=e.code) for e in errors]
