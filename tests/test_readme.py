"""The README's commands and GraphQL examples are the ones that work."""

from __future__ import annotations

import re

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
