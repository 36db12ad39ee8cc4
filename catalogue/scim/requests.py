"""Reading a SCIM request body: JSON, the few shapes Entra ID sends off-standard, then the model.

Entra ID sends a manager in a PATCH as the bare id (``"value": "42"``) where the
enterprise schema has a complex ``{"value": "42"}``, and never a ``$ref``, which
scim2-models requires in a full resource; without the ``aadOptscim062020`` flag
it removes group members with ``Remove`` on ``members`` and the members in the
value, where RFC 7644 puts a filter in the path. All are put into the standard
shape here, before validation. Capitalised ``op`` values and ``"False"`` as a string
are already read by scim2-models' own PatchOp.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from scim2_models import Context, EnterpriseUser

from catalogue.scim.errors import ScimError

ENTERPRISE = EnterpriseUser.to_schema().id or ""
MANAGER_PATH = f"{ENTERPRISE}:manager".lower()


def json_body(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScimError(400, f"Forespørgslen er ikke gyldig JSON: {exc}.", "invalidSyntax") from exc
    if not isinstance(body, dict):
        raise ScimError(400, "Forespørgslen skal være et JSON-objekt.", "invalidSyntax")
    return body


#: Schemas a request may name that the models know; others are dropped when the body has
#: no attributes under them (Entra ID names Microsoft's ADSCIM group schema, empty).
KNOWN_SCHEMAS = frozenset(
    {
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:core:2.0:Group",
        ENTERPRISE,
    }
)


def drop_empty_foreign_schemas(body: dict[str, Any]) -> dict[str, Any]:
    schemas = body.get("schemas")
    if not isinstance(schemas, list):
        return body
    kept = [s for s in schemas if s in KNOWN_SCHEMAS or not isinstance(s, str) or s in body]
    return {**body, "schemas": kept} if kept != schemas else body


def normalise_resource(body: dict[str, Any], base_url: str) -> dict[str, Any]:
    """A User body with its manager in the standard shape (``$ref`` filled in)."""
    body = drop_empty_foreign_schemas(body)
    extension = body.get(ENTERPRISE)
    if isinstance(extension, dict) and "manager" in extension:
        extension = dict(extension)
        extension["manager"] = _manager(extension["manager"], base_url)
        body = {**body, ENTERPRISE: extension}
    return body


def normalise_patch(body: dict[str, Any], base_url: str) -> dict[str, Any]:
    """A PatchOp body whose manager operations carry a complex value."""
    operations = body.get("Operations")
    if not isinstance(operations, list):
        return body
    fixed: list[Any] = []
    for operation in operations:
        if _is_valued_removal(operation):
            # Entra ID without the flag: Remove "members" with the members in the value.
            fixed.extend(
                {"op": "remove", "path": f'{operation["path"]}[value eq "{_quoted(member)}"]'}
                for member in operation["value"]
            )
            continue
        if (
            isinstance(operation, dict)
            and str(operation.get("path", "")).lower() == MANAGER_PATH
            and "value" in operation
        ):
            operation = {**operation, "value": _manager(operation["value"], base_url)}
        elif isinstance(operation, dict) and isinstance(operation.get("value"), dict):
            value = operation["value"]
            if isinstance(value.get(ENTERPRISE), dict):
                value = normalise_resource(value, base_url)
            keyed = {k: v for k, v in value.items() if k.lower() == MANAGER_PATH}
            for key, manager in keyed.items():
                value = {**value, key: _manager(manager, base_url)}
            operation = {**operation, "value": value}
        fixed.append(operation)
    return {**body, "Operations": fixed}


def _is_valued_removal(operation: Any) -> bool:
    return (
        isinstance(operation, dict)
        and str(operation.get("op", "")).lower() == "remove"
        and isinstance(operation.get("path"), str)
        and operation["path"].lower() == "members"
        and isinstance(operation.get("value"), list)
        and all(isinstance(m, dict) and isinstance(m.get("value"), str) for m in operation["value"])
    )


def _quoted(member: dict[str, Any]) -> str:
    return str(member["value"]).replace("\\", "\\\\").replace('"', '\\"')


def _manager(value: Any, base_url: str) -> Any:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]  # the pre-2020 Entra shape: [{"value": "42"}]
    if isinstance(value, str | int) and not isinstance(value, bool):
        value = {"value": str(value)} if str(value) else None
    if isinstance(value, dict) and value.get("value") and not value.get("$ref"):
        value = {**value, "$ref": f"{base_url}/Users/{value['value']}"}
    return value


def validate(model: Any, body: dict[str, Any], context: Context) -> Any:
    """``model`` read from ``body``; a pydantic refusal becomes 400 naming each field."""
    try:
        return model.model_validate(body, scim_ctx=context)
    except ValidationError as exc:
        raise ScimError(400, describe(exc), "invalidValue") from exc
    except ValueError as exc:  # scim2-models' own SCIM exceptions are ValueErrors
        scim_type = getattr(exc, "scim_type", None) or "invalidValue"
        raise ScimError(400, f"Ugyldig forespørgsel: {exc}", scim_type) from exc


def describe(error: ValidationError) -> str:
    """Every field pydantic refused, in Danish: where, and what kind of problem."""
    parts = []
    for problem in error.errors(include_url=False)[:10]:
        where = ".".join(str(part) for part in problem["loc"]) or "(hele objektet)"
        kind = problem["type"]
        if kind in ("missing", "required_error"):
            what = "mangler eller er tomt"
        elif kind.endswith(("_type", "_parsing")) or kind == "model_type":
            what = "har en forkert type"
        elif "too_long" in kind:
            what = "er for langt"
        else:
            what = f"er ugyldigt ({problem['msg'][:200]})"
        parts.append(f"feltet {where} {what}")
    return "Ugyldig forespørgsel: " + "; ".join(parts) + "."
