"""Without a token: the whole profile in document order, and the published catalogue."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import Course, CourseStatus
from catalogue.seeding.files import read_seed_file
from catalogue.seeding.loader import PROFILE_FILE
from catalogue.seeding.schema import ProfileSeed
from tests.api.graphql_client import gql

PROFILE_QUERY = """
{ competenceProfile { title version
    fields { key name description themes { name } statements { key text } }
    themes { name } } }
"""


def test_profile_comes_back_word_for_word_in_document_order(client: TestClient) -> None:
    seed = read_seed_file(PROFILE_FILE, ProfileSeed)
    body = gql(client, PROFILE_QUERY)
    assert "errors" not in body
    profile = body["data"]["competenceProfile"]
    theme_names = {t.key: t.name for t in seed.themes}
    assert profile["title"] == seed.title
    assert profile["version"] == 1
    assert [t["name"] for t in profile["themes"]] == [t.name for t in seed.themes]
    assert profile["fields"] == [
        {
            "key": f.key,
            "name": f.name,
            "description": f.description,
            "themes": sorted(
                ({"name": theme_names[k]} for k in f.themes),
                key=lambda t: [t.name for t in seed.themes].index(t["name"]),
            ),
            "statements": [{"key": s.key, "text": s.text} for s in f.statements],
        }
        for f in seed.fields
    ]


def test_statement_by_key_and_node_round_trip(client: TestClient) -> None:
    body = gql(client, '{ competenceStatement(key: "K7.3") { id key text field { key } } }')
    statement = body["data"]["competenceStatement"]
    assert (
        statement["text"] == "Lede til ”alle sider” – kunne lede både egen enhed, opad og til siden"
    )
    assert statement["field"]["key"] == "K7"
    again = gql(
        client,
        "query($id: ID!) { node(id: $id) { ... on CompetenceStatement { key } } }",
        {"id": statement["id"]},
    )
    assert again["data"]["node"] == {"key": "K7.3"}


def test_courses_lists_only_published_courses_page_by_page(
    client: TestClient, session: Session
) -> None:
    published = session.scalar(
        select(func.count()).select_from(Course).where(Course.status == CourseStatus.PUBLISHED)
    )
    query = """query($after: String) { courses(first: 10, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { code status } } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = gql(client, query, {"after": after})["data"]["courses"]
        assert page["totalCount"] == published
        seen += [edge["node"]["code"] for edge in page["edges"]]
        assert {edge["node"]["status"] for edge in page["edges"]} <= {"PUBLISHED"}
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == published


def test_page_size_above_the_maximum_is_a_clear_error(client: TestClient) -> None:
    body = gql(client, "{ courses(first: 101) { totalCount } }")
    assert body["data"] is None
    error = body["errors"][0]
    assert "højst være 100" in error["message"]
    assert error["extensions"]["code"] == "INVALID"


def test_a_draft_course_is_not_visible_through_node(client: TestClient, session: Session) -> None:
    draft = session.scalar(select(Course).where(Course.status == CourseStatus.DRAFT).limit(1))
    assert draft is not None
    from strawberry.relay import to_base64

    body = gql(
        client, "query($id: ID!) { node(id: $id) { id } }", {"id": to_base64("Course", draft.id)}
    )
    assert body["data"]["node"] is None
