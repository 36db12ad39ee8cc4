"""SCIM error bodies (RFC 7644 §3.12): status, scimType, a Danish detail saying what and where.

A domain error from the directory service becomes its SCIM counterpart here, in
one table: DUPLICATE is 409 ``uniqueness``, bad values 400 ``invalidValue``, a
loop 400 ``invalidValue`` with the chain named.
"""

from __future__ import annotations

import json
from typing import Any

from scim2_models import Error
from starlette.responses import Response

from catalogue.services.errors import DomainError, DomainValidationError, ErrorCode

SCIM_MEDIA_TYPE = "application/scim+json"


class ScimError(Exception):
    """An answer other than success; ``scim_type`` as RFC 7644 Table 9 names them."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type


#: DomainError code -> (HTTP status, scimType).
STATUS_BY_CODE: dict[ErrorCode, tuple[int, str | None]] = {
    ErrorCode.DUPLICATE: (409, "uniqueness"),
    ErrorCode.CYCLE: (400, "invalidValue"),
    ErrorCode.INVALID: (400, "invalidValue"),
    ErrorCode.REQUIRED: (400, "invalidValue"),
    ErrorCode.TOO_LONG: (400, "invalidValue"),
    # A missing *referenced* person or unit (manager, member, org unit) is a bad value;
    # a missing resource at the request's own URL is raised as 404 by the routes.
    ErrorCode.NOT_FOUND: (400, "invalidValue"),
}


def from_domain(error: DomainError) -> ScimError:
    parts = error.errors if isinstance(error, DomainValidationError) else [error]
    status, scim_type = max(
        (STATUS_BY_CODE.get(part.code, (400, "invalidValue")) for part in parts),
        key=lambda pair: pair[0],
    )
    detail = "; ".join(
        f"{part.message} ({part.field})" if part.field else part.message for part in parts
    )
    return ScimError(status, detail, scim_type)


def scim_response(
    content: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A body in SCIM's media type; the models have already dumped plain JSON types."""
    return Response(
        content=json.dumps(content, ensure_ascii=False),
        status_code=status,
        media_type=SCIM_MEDIA_TYPE,
        headers=headers,
    )


def error_response(error: ScimError) -> Response:
    body = Error(status=error.status, scim_type=error.scim_type, detail=error.detail).model_dump()
    headers = {"WWW-Authenticate": 'Bearer realm="scim"'} if error.status == 401 else None
    return scim_response(body, status=error.status, headers=headers)
