"""graphql-core's and Strawberry's messages about a client's input, in Danish.

Messages for people are Danish, but a variable of the wrong type, an unknown enum
value or a malformed id is refused by graphql-core (or Strawberry) before any
code of ours runs, in English: "Variable '$first' has invalid value: Int cannot
represent non-integer value: 'x'". ``in_danish`` rewords the messages those
libraries give for input that does not coerce (and the commonest validation
messages), keeping the variable, argument, field and type names and the bad
value, so the client can still see exactly what was wrong and where. A message
it does not know is returned unchanged: a new library message stays readable
rather than becoming a vague Danish one. ``client_errors`` applies it at the edge.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]

EXPECTED = {
    "Int": "et heltal",
    "Float": "et tal",
    "String": "en tekst",
    "Boolean": "true eller false",
    "ID": "en tekst eller et heltal",
}


def _where(path: str | None) -> str:
    """graphql-core's " at .input.title" as " i feltet input.title"."""
    return f" i feltet {path.lstrip('.')}" if path else ""


def _hint(hint: str) -> str:
    """ " Did you mean 'A', 'B', or 'C'?" as " Mente du 'A', 'B' eller 'C'?"."""
    hint = hint.strip()
    found = re.fullmatch(r"Did you mean (?:the enum value )?(.*)\?", hint)
    if not found:
        return f" {hint}" if hint else ""
    choices = re.sub(r",? or ", " eller ", found.group(1))
    return f" Mente du {choices}?"


def _leaf(match: re.Match[str]) -> str:
    scalar, value = match["scalar"], match["value"]
    return f"{scalar} kan ikke være {value}: {EXPECTED[scalar]} forventes."


RULES: list[Rule] = [
    # The wrappers: which variable or argument, and where inside it.
    (
        re.compile(
            r"Variable '\$(?P<name>[^']+)' has invalid value(?: at (?P<path>\S+?))?: (?P<inner>.*)",
            re.S,
        ),
        lambda m: (
            f"Variablen ${m['name']} har en ugyldig værdi{_where(m['path'])}: "
            f"{in_danish(m['inner'])}"
        ),
    ),
    (  # graphql-core 3.2's wording
        re.compile(
            r"Variable '\$(?P<name>[^']+)' got invalid value (?P<value>.+?)"
            r"(?: at '(?P<path>[^']+)')?; (?P<inner>.*)",
            re.S,
        ),
        lambda m: (
            f"Variablen ${m['name']} har en ugyldig værdi{_where(m['path'])} "
            f"({m['value']}): {in_danish(m['inner'])}"
        ),
    ),
    (
        re.compile(
            r"Argument '(?P<name>[^']+)' has invalid value(?: at (?P<path>\S+?))?: "
            r"(?P<inner>.*)",
            re.S,
        ),
        lambda m: (
            f"Argumentet {m['name']} har en ugyldig værdi{_where(m['path'])}: "
            f"{in_danish(m['inner'])}"
        ),
    ),
    (
        re.compile(
            r"(?P<what>Variable|Argument) '\$?(?P<name>[^']+)' of required type "
            r"'(?P<type>[^']+)' was not provided\."
        ),
        lambda m: (
            f"{'Variablen $' if m['what'] == 'Variable' else 'Argumentet '}{m['name']} "
            f"af typen {m['type']} mangler."
        ),
    ),
    (
        re.compile(
            r"Variable '\$(?P<name>[^']+)' of non-null type '(?P<type>[^']+)' "
            r"must not be null\."
        ),
        lambda m: f"Variablen ${m['name']} af typen {m['type']} må ikke være null.",
    ),
    (
        re.compile(
            r"Field '(?P<field>[^']+)' argument '(?P<name>[^']+)' of type "
            r"'(?P<type>[^']+)' is required, but it was not provided\."
        ),
        lambda m: (
            f"Feltet {m['field']} kræver argumentet {m['name']} af typen {m['type']}, "
            "men det mangler."
        ),
    ),
    (
        re.compile(r"Variable '\$(?P<name>[^']+)' is never used(?: in operation '[^']+')?\."),
        lambda m: f"Variablen ${m['name']} er erklæret, men bruges ikke.",
    ),
    (
        re.compile(r"Variable '\$(?P<name>[^']+)' is not defined(?: by operation '[^']+')?\."),
        lambda m: f"Variablen ${m['name']} bruges, men er ikke erklæret.",
    ),
    (
        re.compile(
            r"Variable '\$(?P<name>[^']+)' of type '(?P<type>[^']+)' used in position "
            r"expecting type '(?P<expected>[^']+)'\."
        ),
        lambda m: (
            f"Variablen ${m['name']} har typen {m['type']}, men bruges, hvor typen "
            f"{m['expected']} forventes."
        ),
    ),
    # The values themselves.
    (
        re.compile(r"Int cannot represent non 32-bit signed integer value: (?P<value>.*)", re.S),
        lambda m: (
            f"Int kan ikke være {m['value']}: et heltal mellem -2147483648 og 2147483647 forventes."
        ),
    ),
    (
        re.compile(
            r"(?P<scalar>Int|Float|String|Boolean|ID) cannot represent "
            r"(?:a )?(?:non[- ](?:integer|numeric|string|boolean) )?value: "
            r"(?P<value>.*?)(?: \(value (?:is too large|would lose precision)\))?",
            re.S,
        ),
        _leaf,
    ),
    (
        re.compile(
            r"Value '(?P<value>.*)' does not exist in '(?P<enum>[^']+)' enum\."
            r"(?P<hint>.*)",
            re.S,
        ),
        lambda m: f"Værdien '{m['value']}' findes ikke i enum-typen {m['enum']}.{_hint(m['hint'])}",
    ),
    (
        re.compile(
            r"Enum '(?P<enum>[^']+)' cannot represent non-(?P<kind>enum|string) value: "
            r"(?P<value>.*?)\.(?P<hint>(?: Did you mean .*)?)",
            re.S,
        ),
        lambda m: (
            f"Enum-typen {m['enum']} kan ikke være {m['value']}: "
            + (
                "skriv en af dens værdier uden anførselstegn."
                if m["kind"] == "enum"
                else "en af dens værdier forventes som tekst."
            )
            + _hint(m["hint"])
        ),
    ),
    (
        re.compile(r"Expected a value of non-null type '(?P<type>[^']+)' to be provided\."),
        lambda m: f"En værdi af typen {m['type']} skal angives.",
    ),
    (
        re.compile(
            r"Expected (?:value of )?non-null(?:able)? type '(?P<type>[^']+)' "
            r"not to be (?:None|null)\."
        ),
        lambda m: f"Værdien af typen {m['type']} må ikke være null.",
    ),
    (
        re.compile(
            r"Expected value of type '(?P<type>[^']+)' to be an object, "
            r"found: (?P<value>.*)\.",
            re.S,
        ),
        lambda m: f"Der forventes et objekt af typen {m['type']}, men fandt {m['value']}.",
    ),
    (
        re.compile(
            r"Expected value of type '(?P<type>[^']+)' to include required field "
            r"'(?P<field>[^']+)', found: (?P<value>.*)\.",
            re.S,
        ),
        lambda m: f"Feltet {m['field']} i {m['type']} skal angives (fandt {m['value']}).",
    ),
    (
        re.compile(
            r"Expected value of type '(?P<type>[^']+)' not to include unknown field "
            r"'(?P<field>[^']+)'(?:\.(?P<hint> Did you mean .*?\?) Found|, found): "
            r"(?P<value>.*)\.",
            re.S,
        ),
        lambda m: (
            f"{m['type']} har intet felt {m['field']}{_hint(m['hint'] or '')} (fandt {m['value']})."
        ),
    ),
    (
        re.compile(
            r"Expected value of type '(?P<type>[^']+)'(?:, but encountered error "
            r"'(?P<error>.*)'; found|, found|;? found): (?P<value>.*?)\.?",
            re.S,
        ),
        lambda m: (
            f"Der forventes en værdi af typen {m['type']}, men fandt {m['value']}."
            + (f" {in_danish(m['error'])}" if m["error"] else "")
        ),
    ),
    (
        re.compile(
            r"Expected value of type '(?P<type>[^']+)', found (?P<value>.*?)"
            r"(?:; (?P<inner>.*))?",
            re.S,
        ),
        lambda m: (
            f"Der forventes en værdi af typen {m['type']}, men fandt {m['value']}."
            + (f" {in_danish(m['inner'])}" if m["inner"] else "")
        ),
    ),
    (
        re.compile(r'Value cannot represent a GlobalID: "(?P<value>.*)"\.', re.S),
        lambda m: (
            f'"{m["value"]}" er ikke et gyldigt globalt id: et id skal være et id, '
            "som API'et har givet (base64 af 'Type:nummer')."
        ),
    ),
    (
        re.compile(
            r'Value cannot represent a (?P<type>\w+): "(?P<value>.*)"\.'
            r"(?P<detail>.*)",
            re.S,
        ),
        lambda m: (
            f'"{m["value"]}" kan ikke være en {m["type"]}'
            + (": en tekst forventes." if m["detail"].strip() == "Expected a string." else ".")
        ),
    ),
    # The commonest mistakes in the document itself.
    (
        re.compile(
            r"Cannot query field '(?P<field>[^']+)' on type '(?P<type>[^']+)'\."
            r"(?P<hint>.*)",
            re.S,
        ),
        lambda m: f"Feltet {m['field']} findes ikke på typen {m['type']}.{_hint(m['hint'])}",
    ),
    (
        re.compile(
            r"Unknown argument '(?P<name>[^']+)' on field '(?P<field>[^']+)'\."
            r"(?P<hint>.*)",
            re.S,
        ),
        lambda m: f"Feltet {m['field']} har intet argument {m['name']}.{_hint(m['hint'])}",
    ),
    (
        re.compile(r"Unknown type '(?P<type>[^']+)'\.(?P<hint>.*)", re.S),
        lambda m: f"Typen {m['type']} findes ikke.{_hint(m['hint'])}",
    ),
]


def in_danish(message: str) -> str:
    """``message`` reworded in Danish if it is one graphql-core or Strawberry gives for input."""
    for pattern, reword in RULES:
        match = pattern.fullmatch(message)
        if match:
            return reword(match)
    return message
