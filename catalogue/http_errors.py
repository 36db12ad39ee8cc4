"""HTTP-level errors in the GraphQL-over-HTTP shape, so a client parses every refusal alike.

A request refused before GraphQL runs (a body that is no JSON object, too large,
a path parameter out of range) still answers ``{"errors": [{"message", "extensions":
{"code"}}]}`` with a 4xx status, never Starlette's plain-text page.
"""

from __future__ import annotations

from enum import StrEnum

from fastapi.responses import JSONResponse


class HttpErrorCode(StrEnum):
    BAD_REQUEST = "BAD_REQUEST"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    HEADERS_TOO_LARGE = "REQUEST_HEADER_FIELDS_TOO_LARGE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


_CODE_BY_STATUS = {
    401: HttpErrorCode.UNAUTHENTICATED,
    403: HttpErrorCode.FORBIDDEN,
    404: HttpErrorCode.NOT_FOUND,
    405: HttpErrorCode.METHOD_NOT_ALLOWED,
    413: HttpErrorCode.PAYLOAD_TOO_LARGE,
    431: HttpErrorCode.HEADERS_TOO_LARGE,
    500: HttpErrorCode.INTERNAL_SERVER_ERROR,
}


#: Danish words for the HTTP refusals Starlette makes itself (no route, wrong method).
MESSAGE_BY_STATUS = {
    404: "Adressen findes ikke.",
    405: "Metoden er ikke tilladt her.",
}


def error_response(
    status_code: int,
    message: str,
    code: HttpErrorCode | None = None,
    headers: dict[str, str] | None = None,
    *,
    graphql: bool = False,
    extensions: dict[str, str] | None = None,
) -> JSONResponse:
    """The one error shape; ``graphql`` adds ``"data": null``, as a GraphQL result has it."""
    code = code or _CODE_BY_STATUS.get(status_code, HttpErrorCode.BAD_REQUEST)
    error = {"message": message, "extensions": {"code": code.value, **(extensions or {})}}
    content: dict[str, object] = {"data": None} if graphql else {}
    content["errors"] = [error]
    return JSONResponse(status_code=status_code, content=content, headers=headers)
