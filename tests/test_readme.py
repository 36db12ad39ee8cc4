"""The README's commands and GraphQL examples are the ones that work."""

from __future__ import annotations

import re

import yaml

from catalogue.graphql.schema import build_schema
from catalogue.settings import PROJECT_ROOT, Settings
from graphql import parse, validate

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands == ["make run", "make test"]


def test_every_graphql_example_is_valid_against_the_schema() -> None:
    blocks = re.findall(r"```graphql\n(.*?)```", README, flags=re.DOTALL)
    # A block may hold several examples, each introduced by a "# ROLE: ..." comment line.
    examples = [
        example
        for block in blocks
        for example in re.split(r"^#.*$", block, flags=re.MULTILINE)
        if example.strip()
    ]
    assert len(examples) >= 9
    schema = build_schema(Settings())._schema
    for example in examples:
        document = parse(re.sub(r'"<[^>]+>"', '"X"', example))
        errors = validate(schema, document)
        assert errors == [], (example, errors)


# --- what the README says about people, settings and tokens (issue 13, point 17) ---

SETTINGS_ROW = re.compile(r"^\| (?P<names>`CATALOGUE_[^|]*) \| (?P<default>[^|]*) \|", re.M)
COMPOSE_VALUE = re.compile(r"^\$\{(?P<name>\w+)(?::-(?P<default>[^}]*)|:\?[^}]*)\}$")


def _demo_people() -> dict[str, list[str]]:
    demo = yaml.safe_load((PROJECT_ROOT / "seed" / "demo.yaml").read_text(encoding="utf-8"))
    return {p["email"]: list(p.get("roles", [])) for p in demo["people"]}


def _as_text(value: object) -> str | None:
    """A default as the README writes it: true/false, 5 for 5.0, an enum's value; None unset."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(getattr(value, "value", value))


def _defaults() -> dict[str, str | None]:
    return {
        f"CATALOGUE_{name.upper()}": _as_text(field.get_default(call_default_factory=True))
        for name, field in Settings.model_fields.items()
    }


def test_every_demo_person_named_has_the_role_of_their_row() -> None:
    table = README.split("The demo people to try:", 1)[1].split("\n\n", 2)[1]
    rows = re.findall(r"^\| (?P<role>[A-Z]+) \| `(?P<email>[^`]+)` \|", table, flags=re.M)
    assert {role for role, _ in rows} == {"LEADER", "CHEF", "HR", "ADMIN", "LMS"}, table
    people = _demo_people()
    for role, email in rows:
        assert role in people.get(email, []), f"{email} is no {role} in seed/demo.yaml"


def test_the_settings_tables_give_the_defaults_of_settings_py() -> None:
    defaults = _defaults()
    checked = 0
    for row in SETTINGS_ROW.finditer(README):
        names = re.findall(r"`(CATALOGUE_\w+)`", row["names"])
        given = row["default"].strip()
        values: list[str | None]
        if given == "unset":
            values = [None] * len(names)
        elif re.fullmatch(r"`[^`]*`(, `[^`]*`)*", given):
            values = re.findall(r"`([^`]*)`", given)
        else:
            continue  # words, e.g. "on in dev, off in prod"
        if len(values) != len(names) or any(name not in defaults for name in names):
            continue
        for name, value in zip(names, values, strict=True):
            if name == "CATALOGUE_DATABASE_URL":
                continue  # the README writes <repo> for the checkout's path
            assert defaults[name] == value, (
                f"README: {name} = {value}, settings.py: {defaults[name]}"
            )
            checked += 1
    assert checked >= 25
    assert "`CATALOGUE_LMS_PERSISTED_ONLY` | `false`" in README


def test_what_docker_compose_sets_differently_is_named() -> None:
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    environment: dict[str, object] = compose["x-catalogue-env"]
    defaults = _defaults()
    paragraph = README.split("`docker-compose.yml` sets these differently from the defaults", 1)
    assert len(paragraph) == 2, "the README says what docker-compose.yml sets differently"
    named = paragraph[1].split("\n\n", 1)[0]
    differing = []
    for name, raw in environment.items():
        text = str(raw).lower() if isinstance(raw, bool) else str(raw)
        interpolated = COMPOSE_VALUE.match(text)
        if interpolated and interpolated["default"] is None:
            value = None  # required: the operator's own value
        else:
            value = _as_text(interpolated["default"] if interpolated else text)
            if value == defaults.get(name) or (value is None and defaults.get(name) is None):
                continue
        differing.append(name)
        if value is not None and re.fullmatch(r"[\w.-]+", value):
            assert f"`{name}={value}`" in named, f"{name}={value} is not named"
        else:  # a URL or a secret of the set-up: its name is enough
            assert f"`{name}`" in named, f"{name} is not named"
    assert "CATALOGUE_LMS_PERSISTED_ONLY" in differing


def test_the_readme_says_what_a_request_without_a_token_gets() -> None:
    """tests/api/test_identity.py checks the behaviour; this the words for it."""
    section = README.split("## Tokens and roles", 1)[1].split("## ", 1)[0]
    flat = " ".join(section.split())
    assert "A request without a token is anonymous" in flat
    assert "`UNAUTHENTICATED` error in the usual GraphQL answer, HTTP 200" in flat
    assert "gets HTTP 401 with an `UNAUTHENTICATED` error" in flat
    assert "A missing, expired" not in flat
