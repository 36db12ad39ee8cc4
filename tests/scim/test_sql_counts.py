"""A SCIM list costs the same statements for 3 resources as for 12 (no N+1)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from tests.scim.conftest import patch_body, unique, user_body


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_listing_users_and_groups_does_not_grow_with_the_page(
    scim: TestClient, scim_engine: Engine
) -> None:
    def make(size: int) -> str:
        tag = unique("sql").replace(".", "")
        ids = []
        for n in range(size):
            body = user_body("Sql") | {"userName": f"{tag}-{n}@ltk.example"}
            ids.append(scim.post("/Users", json=body).json()["id"])
        group = scim.post(
            "/Groups",
            json={
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": f"{tag} gruppe",
            },
        ).json()
        scim.patch(
            f"/Groups/{group['id']}",
            json=patch_body({"op": "add", "path": "members", "value": [{"value": i} for i in ids]}),
        )
        return tag

    small, large = make(3), make(12)

    def cost(path: str, text: str) -> int:
        with counted(scim_engine) as statements:
            response = scim.get(path, params={"filter": text})
        assert response.status_code == 200
        return len(statements)

    assert cost("/Users", f'userName sw "{small}"') == cost("/Users", f'userName sw "{large}"')
    assert cost("/Groups", f'displayName sw "{small}"') == cost(
        "/Groups", f'displayName sw "{large}"'
    )
