"""Reading a posted form: the CSRF check first, then plain values; errors per field.

A service reports what is wrong as ``DomainError``s naming the input field (GraphQL's
camelCase names: ``courseRunId``, ``motivation``); ``errors_by_field`` maps them onto
the form's own field names so each message stands next to the field it concerns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from catalogue.services.errors import DomainError, DomainValidationError
from catalogue.web.security import CSRF_FIELD, WebKeys

#: Most values one field may hold (a checkbox list); more is no form of ours.
MAX_VALUES_PER_FIELD = 100


async def _checked_form(request: Request) -> FormData:
    keys: WebKeys = request.app.state.web_keys
    form = await request.form(max_files=0, max_fields=500)
    keys.check_csrf(request, form.get(CSRF_FIELD))
    return form


FormDep = Annotated[FormData, Depends(_checked_form)]


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def texts(form: FormData, name: str) -> list[str]:
    return [v for v in form.getlist(name)[:MAX_VALUES_PER_FIELD] if isinstance(v, str)]


def number(value: str | None) -> int | None:
    """A database id from a form or a path; None for anything that is not one."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 12:
        return None
    return int(value)


def errors_by_field(
    error: DomainError, fields: Mapping[str, str], *, default: str
) -> dict[str, str]:
    """``{form field: Danish message}``; a service field not in ``fields`` goes to ``default``."""
    problems = error.errors if isinstance(error, DomainValidationError) else [error]
    found: dict[str, str] = {}
    for problem in problems:
        name = fields.get(problem.field or "", default)
        found[name] = f"{found[name]} {problem.message}" if name in found else problem.message
    return found
