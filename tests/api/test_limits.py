"""Query depth, alias and token limits: a query at the limit runs, one past it is refused.

The page-size limit is tested with the catalogue in ``test_public_graphql.py``.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from graphql.language import Lexer, Source, TokenKind
from sqlalchemy.orm import Session

from catalogue.models import Role
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import person, token_for


def _codes(body: dict[str, Any]) -> list[str]:
    return [error.get("extensions", {}).get("code") for error in body.get("errors", [])]


def managers_chain(depth: int) -> str:
    """``me`` is at depth 0, so ``depth - 1`` managers put ``name`` at ``depth``."""
    selection = "name"
    for _ in range(depth - 1):
        selection = f"manager {{ {selection} }}"
    return f"{{ me {{ {selection} }} }}"


def aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: __typename" for i in range(count)) + " }"


def token_count(query: str) -> int:
    lexer = Lexer(Source(query))
    count = 0
    while lexer.advance().kind is not TokenKind.EOF:
        count += 1
    return count


def with_tokens(count: int) -> str:
    """A course filter with a long list of kinds, padded to exactly ``count`` tokens."""
    frame = "{{ courses(filter: {{kind: [{}]}}) {{ totalCount }} }}"
    padding = count - token_count(frame.format(""))
    query = frame.format(" ".join(["SHORT_COURSE"] * padding))
    assert token_count(query) == count
    return query


def test_query_depth_up_to_the_limit_runs_and_one_deeper_is_refused(
    client: TestClient, session: Session, settings: Settings
) -> None:
    token = token_for(settings, person(session, is_leader=True), Role.LEADER)
    at_limit = gql(client, managers_chain(settings.max_query_depth), token=token)
    assert "errors" not in at_limit
    assert "manager" in at_limit["data"]["me"]

    too_deep = gql(client, managers_chain(settings.max_query_depth + 1), token=token)
    assert too_deep["data"] is None
    assert _codes(too_deep) == ["QUERY_TOO_DEEP"]
    assert too_deep["errors"][0]["message"] == (
        f"Forespørgslen er for dyb: højst {settings.max_query_depth} niveauer er tilladt."
    )


def test_aliases_up_to_the_limit_run_and_one_more_is_refused(
    client: TestClient, settings: Settings
) -> None:
    at_limit = gql(client, aliases(settings.max_aliases))
    assert "errors" not in at_limit
    assert len(at_limit["data"]) == settings.max_aliases

    too_many = gql(client, aliases(settings.max_aliases + 1))
    assert too_many["data"] is None
    assert _codes(too_many) == ["TOO_MANY_ALIASES"]
    assert too_many["errors"][0]["message"] == (
        f"Forespørgslen bruger {settings.max_aliases + 1} aliasser; "
        f"højst {settings.max_aliases} er tilladt."
    )


def test_tokens_up_to_the_limit_run_and_one_more_is_refused(
    client: TestClient, settings: Settings
) -> None:
    at_limit = gql(client, with_tokens(settings.max_tokens))
    assert "errors" not in at_limit
    assert at_limit["data"]["courses"]["totalCount"] >= 0

    too_long = gql(client, with_tokens(settings.max_tokens + 1))
    assert too_long["data"] is None
    assert _codes(too_long) == ["TOO_MANY_TOKENS"]
    assert too_long["errors"][0]["message"] == (
        f"Forespørgslen er for lang: højst {settings.max_tokens} tokens er tilladt."
    )


def test_the_limits_are_checked_before_anything_runs(
    client: TestClient, session: Session, settings: Settings
) -> None:
    """A refused query is refused whole: no partial data from the fields within the limit."""
    token = token_for(settings, person(session, is_leader=True), Role.LEADER)
    query = managers_chain(settings.max_query_depth + 1).replace(
        "{ me", "{ courses { totalCount } me", 1
    )
    body = gql(client, query, token=token)
    assert body["data"] is None
    assert _codes(body) == ["QUERY_TOO_DEEP"]
