"""A small copy of Moodle's ``external_api::validate_parameters``.

Strict like Moodle: missing required keys, unexpected keys and ill-typed
values are all ``invalidparameter`` errors, so an encoder bug in the
connector fails here the way it would against a real site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

Presence: TypeAlias = Literal["required", "optional", "default"]

_PATTERNS = {
    "alpha": re.compile(r"[A-Za-z]*"),
    "alphanum": re.compile(r"[A-Za-z0-9]*"),
    "alphanumext": re.compile(r"[A-Za-z0-9_-]*"),
}
_BOOLS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False}
_BOOLS |= {"no": False, "off": False, "": False}


class WsError(Exception):
    """An exception Moodle would serialise as ``{"exception", "errorcode", "message"}``."""

    def __init__(
        self,
        errorcode: str,
        message: str,
        *,
        exception: str = "moodle_exception",
        debuginfo: str | None = None,
    ) -> None:
        super().__init__(message)
        self.errorcode = errorcode
        self.message = message
        self.exception = exception
        self.debuginfo = debuginfo

    def body(self, *, debug: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "exception": self.exception,
            "errorcode": self.errorcode,
            "message": self.message,
        }
        if debug and self.debuginfo:
            body["debuginfo"] = self.debuginfo
        return body


def invalid_parameter(debuginfo: str) -> WsError:
    return WsError(
        "invalidparameter",
        "Invalid parameter value detected",
        # Moodle 4.4+: the class is namespaced (seen on a real site, as the token's below).
        exception="core\\exception\\invalid_parameter_exception",
        debuginfo=debuginfo,
    )


def missing_record(table: str) -> WsError:
    return WsError(
        "invalidrecord",
        f"Can't find data record in database table {table}.",
        exception="dml_missing_record_exception",
    )


@dataclass(frozen=True)
class Value:
    kind: Literal["int", "bool", "raw", "alpha", "alphanum", "alphanumext"]
    presence: Presence = "required"
    default: Any = None


@dataclass(frozen=True)
class Single:
    keys: dict[str, Value | Single | Multiple]
    presence: Presence = "required"


@dataclass(frozen=True)
class Multiple:
    item: Value | Single | Multiple
    presence: Presence = "required"
    default: list[Any] = field(default_factory=list)


def validate(spec: Single, raw: dict[str, Any]) -> dict[str, Any]:
    """Validate a function's parameters; raises ``WsError`` like Moodle."""
    try:
        return _single(spec, raw)
    except _InvalidError as exc:
        raise invalid_parameter(exc.detail) from None


class _InvalidError(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _check(spec: Value | Single | Multiple, raw: Any) -> Any:
    if isinstance(spec, Single):
        return _single(spec, raw)
    if isinstance(spec, Multiple):
        if not isinstance(raw, dict):
            raise _InvalidError(f"Only arrays accepted. The bad value is: '{raw}'")
        return [_nested(str(i), spec.item, item) for i, item in enumerate(raw.values())]
    return _value(spec, raw)


def _single(spec: Single, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _InvalidError("Only arrays accepted.")
    unexpected = [key for key in raw if key not in spec.keys]
    if unexpected:
        raise _InvalidError(
            f"Unexpected keys ({', '.join(unexpected)}) detected in parameter array."
        )
    result: dict[str, Any] = {}
    for key, sub in spec.keys.items():
        if key in raw:
            result[key] = _nested(key, sub, raw[key])
        elif sub.presence == "required":
            raise _InvalidError(f"Missing required key in single structure: {key}")
        elif sub.presence == "default" and not isinstance(sub, Single):
            result[key] = sub.default
    return result


def _nested(key: str, spec: Value | Single | Multiple, raw: Any) -> Any:
    try:
        return _check(spec, raw)
    except _InvalidError as exc:
        raise _InvalidError(f"{key} => Invalid parameter value detected ({exc.detail})") from None


def _value(spec: Value, raw: Any) -> Any:
    if isinstance(raw, dict):
        raise _InvalidError("Scalar type expected, array or object received.")
    text = str(raw)
    if spec.kind == "int":
        if not re.fullmatch(r"-?\d+", text) or str(int(text)) != text:
            raise _InvalidError(
                "Invalid external api parameter: the value is "
                f'"{text}", the server was expecting "int" type'
            )
        return int(text)
    if spec.kind == "bool":
        if text.lower() not in _BOOLS:
            raise _InvalidError(f'Invalid external api parameter: the value is "{text}" (bool)')
        return _BOOLS[text.lower()]
    pattern = _PATTERNS.get(spec.kind)
    if pattern is not None and not pattern.fullmatch(text):
        raise _InvalidError(
            f'Invalid external api parameter: the value is "{text}", '
            f'the server was expecting "{spec.kind}" type'
        )
    return text
