"""The LMS's named operations: valid against the schema, runnable as text and by hash."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.app import create_app
from catalogue.graphql.core.persisted import (
    OPERATIONS_DIR,
    PersistedOperation,
    PersistedOperations,
    document_hash,
)
from catalogue.graphql.schema import build_schema
from catalogue.models import Course, CourseStatus, Role
from catalogue.settings import PROJECT_ROOT, Settings
from graphql import OperationDefinitionNode, parse, validate
from tests.api.lms_operations import OPERATIONS, example_variables
from tests.api.tokens import person, token_for

EXPECTED = {
    "LeaderDevelopmentPlan",
    "LmsCataloguePage",
    "LmsCatalogueChanges",
    "LmsCompetenceFramework",
    "LmsPersonProgress",
}


def _post(client: TestClient, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql", json=body, headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _by_hash(sha256: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256}},
        "variables": variables or {},
    }


def _codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.fixture
def lms_token(session: Session, settings: Settings) -> str:
    return token_for(settings, person(session, is_lms=True), Role.LMS)


def test_the_operations_folder_holds_the_lms_operations_and_is_no_python_package() -> None:
    assert set(OPERATIONS) == EXPECTED
    assert OPERATIONS_DIR == PROJECT_ROOT / "graphql" / "operations"
    assert not (PROJECT_ROOT / "graphql" / "__init__.py").exists()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_operation_validates_against_the_schema(name: str, settings: Settings) -> None:
    operation = OPERATIONS[name]
    document = parse(operation.document)
    assert validate(build_schema(settings)._schema, document) == []
    [definition] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert definition.name is not None
    assert definition.name.value == name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_operation_runs_for_the_lms_as_text_and_by_hash_with_the_same_answer(
    name: str, client: TestClient, session: Session, lms_token: str
) -> None:
    operation = OPERATIONS[name]
    variables = example_variables(name, session)
    as_text = _post(client, {"query": operation.document, "variables": variables}, lms_token)
    assert "errors" not in as_text, as_text["errors"]
    assert all(value is not None for value in as_text["data"].values())
    by_hash = _post(client, _by_hash(operation.sha256, variables), lms_token)
    assert by_hash == as_text


def test_the_hash_is_sha256_of_the_file_as_sha256sum_prints_it() -> None:
    for operation in OPERATIONS.values():
        assert operation.sha256 == document_hash(operation.path.read_text(encoding="utf-8"))
        assert len(operation.sha256) == 64


def test_catalogue_page_pages_through_every_published_course(
    client: TestClient, session: Session, lms_token: str
) -> None:
    sha256 = OPERATIONS["LmsCataloguePage"].sha256
    published = set(
        session.scalars(select(Course.code).where(Course.status == CourseStatus.PUBLISHED))
    )
    seen: list[str] = []
    after = None
    while True:
        body = _post(client, _by_hash(sha256, {"first": 20, "after": after}), lms_token)
        page = body["data"]["courses"]
        seen += [course["code"] for course in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(published)


def test_changes_since_carry_an_archived_course_as_a_tombstone(
    client: TestClient, session: Session, lms_token: str
) -> None:
    course = session.scalars(
        select(Course).where(Course.status == CourseStatus.PUBLISHED).order_by(Course.id)
    ).first()
    assert course is not None
    before = datetime.now(UTC)
    course.status = CourseStatus.ARCHIVED
    course.archived_at = before
    session.commit()
    body = _post(
        client,
        _by_hash(OPERATIONS["LmsCatalogueChanges"].sha256, {"since": before.isoformat()}),
        lms_token,
    )
    assert "errors" not in body, body["errors"]
    nodes = body["data"]["courses"]["nodes"]
    assert [(n["code"], n["status"]) for n in nodes] == [(course.code, "ARCHIVED")]
    assert nodes[0]["archivedAt"] is not None


def test_an_unknown_hash_gets_a_clear_error(client: TestClient, lms_token: str) -> None:
    body = _post(client, _by_hash("0" * 64), lms_token)
    assert body["data"] is None
    assert _codes(body) == ["PERSISTED_QUERY_NOT_FOUND"]
    assert "Ukendt persisteret operation" in body["errors"][0]["message"]


def test_a_hash_with_other_text_or_another_version_is_refused(client: TestClient) -> None:
    operation = OPERATIONS["LmsCompetenceFramework"]
    mismatch = _post(client, {**_by_hash(operation.sha256), "query": "{ __typename }"})
    assert _codes(mismatch) == ["PERSISTED_QUERY_MISMATCH"]
    version_2 = {"extensions": {"persistedQuery": {"version": 2, "sha256Hash": operation.sha256}}}
    assert _codes(_post(client, version_2)) == ["PERSISTED_QUERY_NOT_SUPPORTED"]


def test_a_persisted_operation_can_be_fetched_with_get(client: TestClient) -> None:
    """GET with the hash in ``extensions`` lets a cache in front of the API serve the LMS.

    Without a query and with ``Accept: */*`` a GET is taken for a browser wanting GraphiQL.
    """
    operation = OPERATIONS["LmsCompetenceFramework"]
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": operation.sha256}})
    response = client.get(
        "/graphql", params={"extensions": extensions}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    assert response.json()["data"]["competenceProfile"]["version"] == 1


@pytest.fixture
def persisted_only_client(
    settings: Settings, engine: Engine, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    strict = settings.model_copy(update={"lms_persisted_only": True})
    with TestClient(create_app(strict, engine=engine, session_factory=session_factory)) as client:
        yield client


def test_persisted_only_refuses_the_lms_an_ad_hoc_query(
    persisted_only_client: TestClient, lms_token: str
) -> None:
    body = _post(persisted_only_client, {"query": "{ courses { totalCount } }"}, lms_token)
    assert body["data"] is None
    assert _codes(body) == ["PERSISTED_QUERY_REQUIRED"]
    assert "LMS-kontoen må kun køre de persisterede operationer" in body["errors"][0]["message"]


def test_persisted_only_lets_the_lms_run_its_operations_by_hash_or_by_exact_text(
    persisted_only_client: TestClient, lms_token: str
) -> None:
    operation = OPERATIONS["LmsCompetenceFramework"]
    by_hash = _post(persisted_only_client, _by_hash(operation.sha256), lms_token)
    as_text = _post(persisted_only_client, {"query": operation.document}, lms_token)
    assert "errors" not in by_hash
    assert as_text == by_hash


def test_persisted_only_leaves_hr_and_the_public_free_to_ask_ad_hoc(
    persisted_only_client: TestClient, session: Session, settings: Settings
) -> None:
    hr_token = token_for(settings, person(session, is_hr=True), Role.HR)
    query = {"query": "{ courses(first: 1) { totalCount } }"}
    assert "errors" not in _post(persisted_only_client, query, hr_token)
    assert "errors" not in _post(persisted_only_client, query)


def test_a_missing_operations_folder_stops_start_up_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="mappen med de persisterede operationer findes ikke"):
        PersistedOperations.from_directory(tmp_path / "operations")


def test_a_broken_operation_file_stops_start_up_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "Wrong.graphql").write_text("query Other { __typename }", encoding="utf-8")
    with pytest.raises(ValueError, match=r"Wrong\.graphql: operationen hedder Other"):
        PersistedOperations.from_directory(tmp_path)
    (tmp_path / "Wrong.graphql").write_text("query Wrong {", encoding="utf-8")
    with pytest.raises(ValueError, match="ugyldigt GraphQL-dokument"):
        PersistedOperations.from_directory(tmp_path)


def test_operations_are_keyed_by_hash(tmp_path: Path) -> None:
    text = "query Ping { __typename }\n"
    (tmp_path / "Ping.graphql").write_text(text, encoding="utf-8")
    operations = PersistedOperations.from_directory(tmp_path)
    assert operations[document_hash(text)] == PersistedOperation(
        name="Ping", document=text, sha256=document_hash(text), path=tmp_path / "Ping.graphql"
    )
