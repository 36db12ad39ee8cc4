"""Parse form pairs the way PHP fills ``$_POST``: ``a[0][b]=1`` becomes nested arrays.

Arrays are dicts with string keys in arrival order, as PHP keeps them; Moodle's
validation then reads list-like structures by value, ignoring the keys.
"""

from __future__ import annotations

import re
from typing import Any

_NAME = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_INDEX = re.compile(r"\[([^\[\]]*)\]")


def parse_php_form(pairs: list[tuple[str, str]], *, max_input_vars: int = 1000) -> dict[str, Any]:
    """Build PHP's request array; pairs past ``max_input_vars`` are dropped, as PHP does."""
    result: dict[str, Any] = {}
    for name, value in pairs[:max_input_vars]:
        match = _NAME.match(name)
        if match is None:
            result[name] = value
            continue
        keys = [match.group(1), *_INDEX.findall(match.group(2))]
        _assign(result, keys, value)
    return result


def _assign(target: dict[str, Any], keys: list[str], value: str) -> None:
    for position, key in enumerate(keys):
        if key == "":
            key = str(_next_index(target))
        if position == len(keys) - 1:
            target[key] = value
            return
        child = target.get(key)
        if not isinstance(child, dict):
            child = {}
            target[key] = child
        target = child


def _next_index(target: dict[str, Any]) -> int:
    numeric = [int(k) for k in target if k.lstrip("-").isdigit()]
    return max(numeric, default=-1) + 1
