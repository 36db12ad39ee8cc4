"""Bad ``CATALOGUE_*`` values explained in Danish, each named by its variable.

pydantic refuses a bad setting in English ("Input should be a valid integer,
unable to parse string as an integer"), and whoever starts the service reads
that. ``SettingsError`` says the same in Danish for every refused variable at
once: its name, what it should be and the value it got (secrets are never
repeated). The service's own rules (``Settings``' validators) are Danish already.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

#: Settings whose value must not be echoed, even when it is wrong.
SECRET_SETTINGS = frozenset({"database_url", "secret_key", "moodle_token"})

MESSAGES: dict[str, str] = {
    "int_parsing": "skal være et heltal",
    "int_from_float": "skal være et heltal (uden decimaler)",
    "int_type": "skal være et heltal",
    "float_parsing": "skal være et tal (med punktum som decimaltegn)",
    "float_type": "skal være et tal",
    "bool_parsing": "skal være true eller false (eller 1/0, yes/no, on/off)",
    "bool_type": "skal være true eller false",
    "string_type": "skal være en tekst",
    "missing": "skal være sat",
    "json_invalid": "skal være gyldig JSON",
    "extra_forbidden": "er ikke en indstilling",
}


def _name(error: ErrorDetails) -> str:
    return "CATALOGUE_" + "_".join(str(part) for part in error["loc"]).upper()


def _rule(error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in MESSAGES:
        return MESSAGES[kind]
    bounds = {
        "greater_than": "større end {gt}",
        "greater_than_equal": "mindst {ge}",
        "less_than": "mindre end {lt}",
        "less_than_equal": "højst {le}",
    }
    if kind in bounds:
        return "skal være " + bounds[kind].format(
            **{k: f"{v:g}" if isinstance(v, float) else v for k, v in ctx.items()}
        )
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace(" or ", " eller ")
        return f"skal være en af {expected}"
    if kind == "string_too_short":
        return f"skal have mindst {ctx.get('min_length')} tegn"
    if kind == "string_too_long":
        return f"må højst have {ctx.get('max_length')} tegn"
    if kind == "value_error":  # our validators' own (Danish) words
        return str(error["msg"]).removeprefix("Value error, ")
    return f"er ugyldig ({kind})"


def describe(error: ErrorDetails) -> str:
    """One refused setting: its variable, the rule and (unless secret) the value given."""
    if not error["loc"]:
        return _rule(error)
    if error["type"] == "value_error":
        return f"{_name(error)}: {_rule(error)}"
    field = str(error["loc"][0])
    given: Any = error.get("input")
    shown = "" if field in SECRET_SETTINGS or isinstance(given, dict) else f" (fik {given!r})"
    return f"{_name(error)} {_rule(error)}{shown}."


class SettingsError(ValueError):
    """The service cannot start with these settings; the message says why, in Danish."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems

    @classmethod
    def from_validation(cls, error: ValidationError) -> SettingsError:
        return cls([describe(e) for e in error.errors()])
