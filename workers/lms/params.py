"""PHP-style form encoding for Moodle Web Services parameters.

Moodle's REST server reads ``$_POST``, so nested parameters must be spelled the
way PHP parses them: ``enrolments[0][userid]=5``. PHP (``max_input_vars``,
1000 by default) silently drops variables beyond the limit, so callers that
send long lists must chunk them; ``count_form_vars`` helps them stay below it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TypeAlias

ParamScalar: TypeAlias = str | int | float | bool
ParamValue: TypeAlias = ParamScalar | Mapping[str, "ParamValue"] | Sequence["ParamValue"]

#: PHP's default ``max_input_vars``; Moodle sites rarely raise it.
PHP_MAX_INPUT_VARS = 1000


def encode_php_params(params: Mapping[str, ParamValue]) -> list[tuple[str, str]]:
    """Flatten nested mappings and sequences into ordered PHP form pairs.

    Booleans become ``1``/``0`` (what Moodle's PARAM_BOOL expects). ``None`` is
    rejected instead of guessed: leave optional keys out of the mapping. An
    empty list produces no pairs at all, because a form cannot express one.
    """
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        _check_key(key)
        _flatten(key, value, pairs)
    return pairs


def count_form_vars(params: Mapping[str, ParamValue]) -> int:
    """Number of form variables PHP will count for ``params``."""
    return len(encode_php_params(params))


def _flatten(prefix: str, value: object, pairs: list[tuple[str, str]]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"parameter keys must be str, got {key!r} under {prefix}")
            _check_key(key)
            _flatten(f"{prefix}[{key}]", item, pairs)
    elif isinstance(value, str | bytes | bytearray):
        if not isinstance(value, str):
            raise TypeError(f"{prefix}: bytes are not a form value; decode them first")
        pairs.append((prefix, value))
    elif isinstance(value, Sequence):
        for index, item in enumerate(value):
            _flatten(f"{prefix}[{index}]", item, pairs)
    else:
        pairs.append((prefix, _scalar(prefix, value)))


def _scalar(name: str, value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{name}: {value!r} cannot be sent to Moodle")
        return repr(value)
    if value is None:
        raise TypeError(f"{name}: None is not a form value; omit the key instead")
    raise TypeError(f"{name}: unsupported parameter type {type(value).__name__}")


def _check_key(key: str) -> None:
    if not key or "[" in key or "]" in key:
        raise ValueError(f"invalid parameter name {key!r}")
