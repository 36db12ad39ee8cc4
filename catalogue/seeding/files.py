"""Reading and validating seed files; a bad file is rejected with the file and entry named."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from catalogue.services.errors import DomainError, ErrorCode

ModelT = TypeVar("ModelT", bound=BaseModel)


class SeedFileError(DomainError):
    """A seed file that can't be loaded; names the file and the entry at fault."""

    def __init__(self, path: Path, entry: str, problem: str) -> None:
        super().__init__(ErrorCode.INVALID, f"{path}: {entry}: {problem}", field=entry)
        self.path = path
        self.entry = entry
        self.problem = problem


def _entry_label(document: Any, loc: tuple[int | str, ...]) -> str:
    """Render a location like ``fields[2].statements[3] (K3.4)`` using the entries' keys."""
    label = ""
    node = document
    key_hint: str | None = None
    for part in loc:
        if isinstance(part, int):
            label += f"[{part}]"
        else:
            label += f".{part}" if label else part
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(node, dict):
            for key_name in ("key", "code", "email", "statement"):
                value = node.get(key_name)
                if isinstance(value, str):
                    key_hint = value
                    break
    return f"{label} ({key_hint})" if key_hint else label or "(roden)"


def read_seed_file(path: Path, model: type[ModelT]) -> ModelT:
    """Parse YAML and validate it against ``model``; every failure is a SeedFileError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedFileError(path, "(filen)", f"kan ikke læses: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise SeedFileError(path, "(filen)", "er ikke gyldig UTF-8") from exc
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"linje {mark.line + 1}" if mark is not None else "(filen)"
        raise SeedFileError(path, where, f"ugyldig YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise SeedFileError(path, "(roden)", "filen skal indeholde en YAML-mapping")
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        entry = _entry_label(document, tuple(first["loc"]))
        raise SeedFileError(path, entry, _danish_problem(first)) from exc


_PROBLEMS = {
    "missing": "mangler",
    "extra_forbidden": "er ikke et kendt felt",
    "string_too_short": "må ikke være tom",
    "string_too_long": "er for lang",
    "string_type": "skal være tekst",
    "int_type": "skal være et heltal",
    "int_parsing": "skal være et heltal",
    "bool_type": "skal være true eller false",
    "bool_parsing": "skal være true eller false",
    "list_type": "skal være en liste",
    "dict_type": "skal være en mapping",
    "greater_than_equal": "er for lille",
    "greater_than": "er for lille",
}


def _danish_problem(error: Any) -> str:
    """Pydantic says what is wrong in English; the person loading seeds reads Danish."""
    kind = error["type"]
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"ugyldig værdi {error.get('input')!r}; tilladt er {expected}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return str(_PROBLEMS.get(kind, error["msg"]))
