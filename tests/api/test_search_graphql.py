"""Search through GraphQL: matchedOn explains each hit, HR keeps the synonyms, and a page of
explained hits costs the same few statements however many courses there are."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from catalogue.models import AuditLogEntry, Role, SearchSynonym
from catalogue.services.search_index import reindex_all
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.test_sql_counts import counted_statements, grow_catalogue_tenfold
from tests.api.tokens import person, token_for

SEARCH = """query($text: String!, $first: Int) {
  courses(filter: {search: $text}, orderBy: RELEVANCE, first: $first) {
    totalCount nodes { code title
      matchedOn { word field via terms statementKey activityTitle synonym } } } }"""

ADD = """mutation($word: String!, $synonym: String!) {
  searchSynonymAdd(input: {word: $word, synonym: $synonym}) {
    searchSynonym { id first second } userErrors { field message code } } }"""

REMOVE = """mutation($id: ID!) {
  searchSynonymRemove(input: {id: $id}) {
    searchSynonym { id } userErrors { field message code } } }"""


@pytest.fixture
def hr_token(session: Session, settings: Settings) -> str:
    return token_for(settings, person(session, is_hr=True), Role.HR)


@pytest.fixture
def leader_token(session: Session, settings: Settings) -> str:
    return token_for(
        settings, person(session, is_hr=False, is_admin=False, is_lms=False), Role.LEADER
    )


def _hits(client: TestClient, text: str, first: int = 50) -> list[dict[str, Any]]:
    body = gql(client, SEARCH, {"text": text, "first": first})
    assert "errors" not in body, body
    nodes: list[dict[str, Any]] = body["data"]["courses"]["nodes"]
    return nodes


def test_each_hit_says_where_and_how_each_word_was_found(client: TestClient) -> None:
    hits = {hit["code"]: hit["matchedOn"] for hit in _hits(client, "forandringsledelse")}
    title = hits["DIP-LED-04"][0]
    assert title["field"] == "TITLE"
    assert title["via"] == "COMPOUND"
    assert title["word"] == "forandringsledelse"
    assert set(title["terms"]) == {"forandring", "led"}


def test_a_hit_through_a_statement_names_the_statement(client: TestClient) -> None:
    hits = {hit["code"]: hit["matchedOn"] for hit in _hits(client, "feedback")}
    assert {"field": "STATEMENT", "statementKey": "K3.3"}.items() <= hits["DIP-LED-09"][0].items()
    assert any(m["statementKey"] == "K1.3" for m in hits["COA-360"])
    activity = [m for m in hits["KUR-FEEDBACK"] if m["field"] == "ACTIVITY"]
    assert "Kursusdag 2: Fra feedback til handling" in {m["activityTitle"] for m in activity}


def test_without_a_search_matched_on_is_empty(client: TestClient) -> None:
    body = gql(client, "{ courses(first: 3) { nodes { code matchedOn { field } } } }")
    assert all(node["matchedOn"] == [] for node in body["data"]["courses"]["nodes"])


def test_hr_adds_a_synonym_searches_use_it_and_the_audit_log_has_it(
    client: TestClient, session: Session, hr_token: str
) -> None:
    assert _hits(client, "MUS") == []
    added = gql(client, ADD, {"word": "MUS", "synonym": "medarbejdersamtale"}, token=hr_token)
    payload = added["data"]["searchSynonymAdd"]
    assert payload["userErrors"] == []
    hits = _hits(client, "mus")
    assert hits[0]["code"] == "DIP-LED-03"
    reason = hits[0]["matchedOn"][0]
    assert (reason["via"], reason["synonym"], reason["field"]) == (
        "SYNONYM",
        "medarbejdersamtale",
        "ACTIVITY",
    )
    listed = gql(client, "{ searchSynonyms { first second } }", token=hr_token)
    assert listed["data"]["searchSynonyms"] == [{"first": "medarbejdersamtale", "second": "MUS"}]
    assert session.scalar(
        select(func.count())
        .select_from(AuditLogEntry)
        .where(AuditLogEntry.action == "SEARCH_SYNONYM_ADDED")
    )
    removed = gql(client, REMOVE, {"id": payload["searchSynonym"]["id"]}, token=hr_token)
    assert removed["data"]["searchSynonymRemove"]["userErrors"] == []
    assert _hits(client, "MUS") == []
    assert session.scalar(
        select(func.count())
        .select_from(AuditLogEntry)
        .where(AuditLogEntry.action == "SEARCH_SYNONYM_REMOVED")
    )
    again = gql(client, REMOVE, {"id": payload["searchSynonym"]["id"]}, token=hr_token)
    assert again["data"]["searchSynonymRemove"]["userErrors"][0]["code"] == "NOT_FOUND"


def test_only_hr_may_edit_or_list_synonyms(
    client: TestClient, session: Session, leader_token: str, hr_token: str
) -> None:
    anonymous = gql(client, ADD, {"word": "MUS", "synonym": "medarbejdersamtale"})
    assert anonymous["data"]["searchSynonymAdd"]["userErrors"][0]["code"] == "UNAUTHENTICATED"
    leader = gql(client, ADD, {"word": "MUS", "synonym": "medarbejdersamtale"}, token=leader_token)
    assert leader["data"]["searchSynonymAdd"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert session.scalar(select(func.count()).select_from(SearchSynonym)) == 0
    listed = gql(client, "{ searchSynonyms { first } }", token=leader_token)
    assert listed["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    added = gql(client, ADD, {"word": "MUS", "synonym": "medarbejdersamtale"}, token=hr_token)
    synonym_id = added["data"]["searchSynonymAdd"]["searchSynonym"]["id"]
    node = """query($id: ID!) { node(id: $id) { ... on SearchSynonym { first } } }"""
    assert gql(client, node, {"id": synonym_id}, token=leader_token)["data"]["node"] is None
    assert gql(client, node, {"id": synonym_id}, token=hr_token)["data"]["node"] == {
        "first": "medarbejdersamtale"
    }
    removed = gql(client, REMOVE, {"id": synonym_id}, token=leader_token)
    assert removed["data"]["searchSynonymRemove"]["userErrors"][0]["code"] == "FORBIDDEN"


def test_bad_synonyms_are_user_errors_and_store_nothing(
    client: TestClient, session: Session, hr_token: str
) -> None:
    cases = [
        ({"word": "", "synonym": "x"}, "word", "REQUIRED"),
        ({"word": "trivsel", "synonym": "TRIVSEL"}, "synonym", "INVALID"),
        ({"word": "trivsel", "synonym": "a\u0007b"}, "synonym", "INVALID"),
        ({"word": "trivsel", "synonym": "ord " * 30}, "synonym", "TOO_LONG"),
    ]
    for variables, field, code in cases:
        body = gql(client, ADD, variables, token=hr_token)
        error = body["data"]["searchSynonymAdd"]["userErrors"][0]
        assert (error["field"], error["code"]) == (field, code), variables
        assert error["message"]
    gql(client, ADD, {"word": "trivsel", "synonym": "arbejdsmiljø"}, token=hr_token)
    twice = gql(client, ADD, {"word": "Arbejdsmiljø", "synonym": "trivsel"}, token=hr_token)
    assert twice["data"]["searchSynonymAdd"]["userErrors"][0]["code"] == "DUPLICATE"
    assert session.scalar(select(func.count()).select_from(SearchSynonym)) == 1
    course_id = gql(client, "{ courses(first: 1) { nodes { id } } }")["data"]["courses"]
    forged = gql(client, REMOVE, {"id": course_id["nodes"][0]["id"]}, token=hr_token)
    assert "errors" in forged or forged["data"]["searchSynonymRemove"]["userErrors"]


def test_a_bad_search_text_is_a_clear_error_on_the_field(client: TestClient) -> None:
    body = gql(client, SEARCH, {"text": "ledelse\u0007"})
    assert body["errors"][0]["extensions"]["field"] == "filter.search"
    assert body["errors"][0]["extensions"]["code"] == "INVALID"


def test_a_page_of_explained_hits_takes_the_same_statements_with_tenfold_courses(
    client: TestClient, connection: Connection, session: Session
) -> None:
    with counted_statements(connection) as small:
        before = _hits(client, "modul", first=20)
    grow_catalogue_tenfold(session)  # "Modul 1", "Modul 2"... activities on new courses
    reindex_all(session)
    with counted_statements(connection) as big:
        after = _hits(client, "modul", first=20)
    assert len(before) < 20 == len(after)
    assert all(hit["matchedOn"] for hit in after)
    assert len(big) == len(small)
