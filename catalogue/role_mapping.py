"""The identity provider's groups as the catalogue's roles: the mapping file, read at start-up.

A municipality's provider names groups its own way (Entra ID sends group object ids
in ``groups``, others send names), so which group makes a person HR or ADMIN is
configuration, not code. The file is small YAML, one group a line::

    # group name or id: role, or a list of roles
    "Ledere i Lyngby-Taarbæk": LEADER
    "3f2c9a0e-8d1b-4c55-9a51-0d7f1b2e6c10": [HR, ADMIN]

It is read once by ``Settings`` so a wrong file stops start-up with every problem
named in Danish, its line included, instead of refusing people one request at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from catalogue.models.person import Role

#: Longer is no group name or id of any provider we know; it is a pasted mistake.
GROUP_MAX_LENGTH = 256
KNOWN_ROLES = ", ".join(role.value for role in Role)


class RoleMappingError(ValueError):
    """The mapping cannot be used; the message names the file, the place and the rule."""


def _group_problem(group: object) -> str | None:
    if not isinstance(group, str):
        return f"gruppen {group!r} skal være en tekst (sæt den i anførselstegn)"
    if not group.strip():
        return "et gruppenavn er tomt"
    if len(group) > GROUP_MAX_LENGTH:
        return f"gruppen {group[:40]!r}… er over {GROUP_MAX_LENGTH} tegn"
    if not group.isprintable():
        return f"gruppen {group!r} rummer styretegn"
    return None


def _roles(group: str, value: object) -> tuple[frozenset[Role], list[str]]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names:
        return frozenset(), [
            f"gruppen {group!r} skal have en rolle eller en liste af roller ({KNOWN_ROLES})"
        ]
    roles: set[Role] = set()
    problems: list[str] = []
    for name in names:
        if isinstance(name, str) and name.strip().upper() in Role.__members__:
            roles.add(Role(name.strip().upper()))
        else:
            problems.append(
                f"gruppen {group!r} giver rollen {name!r}, som ikke findes; "
                f"kendte roller: {KNOWN_ROLES}"
            )
    return frozenset(roles), problems


def parse_role_mapping(raw: object, *, source: str) -> dict[str, frozenset[Role]]:
    """Group -> roles from already parsed YAML or JSON, or RoleMappingError with every problem."""
    if not isinstance(raw, Mapping):
        raise RoleMappingError(
            f"{source}: skal være en liste af linjer 'gruppe: rolle', ikke {type(raw).__name__}"
        )
    mapping: dict[str, frozenset[Role]] = {}
    problems: list[str] = []
    for group, value in raw.items():
        problem = _group_problem(group)
        if problem is not None:
            problems.append(problem)
            continue
        roles, role_problems = _roles(group.strip(), value)
        problems += role_problems
        mapping[group.strip()] = roles
    if problems:
        raise RoleMappingError(f"{source}: " + "; ".join(problems) + ".")
    return mapping


def load_role_mapping(path: Path) -> dict[str, frozenset[Role]]:
    """The mapping in ``path``; a missing, unreadable or malformed file says what and where."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RoleMappingError(f"rollefilen {path} findes ikke") from None
    except UnicodeDecodeError:
        raise RoleMappingError(f"rollefilen {path} er ikke UTF-8") from None
    except OSError as exc:
        raise RoleMappingError(f"rollefilen {path} kan ikke læses ({exc.strerror})") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" i linje {mark.line + 1}, kolonne {mark.column + 1}" if mark else ""
        raise RoleMappingError(f"rollefilen {path} er ikke gyldig YAML{where}") from None
    except yaml.YAMLError:
        raise RoleMappingError(f"rollefilen {path} er ikke gyldig YAML") from None
    if raw is None:
        raise RoleMappingError(f"rollefilen {path} er tom")
    return parse_role_mapping(raw, source=f"rollefilen {path}")
