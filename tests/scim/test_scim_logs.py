"""The provisioning token never reaches a log, also when a SCIM request fails inside."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from catalogue.app import create_app
from catalogue.scim import users
from tests.scim.conftest import SCIM_TOKEN, error_of, scim_settings

WRONG = "wrong-provisioning-token-" + "w" * 20


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """create_app installs its handler on the root logger; put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _fail(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError("scim-fault-marker: listen fejlede")


@pytest.mark.parametrize("log_json", [False, True], ids=["console", "json"])
def test_no_scim_path_logs_the_provisioning_token(
    scim_database_url: str,
    scim_engine: Engine,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    log_json: bool,
) -> None:
    settings = scim_settings(scim_database_url, log_json=log_json)
    capsys.readouterr()
    with TestClient(create_app(settings, engine=scim_engine)) as client:
        assert (
            client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {WRONG}"}).status_code
            == 401
        )
        monkeypatch.setattr(users, "users_statement", _fail)
        failed = client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {SCIM_TOKEN}"})
    assert failed.status_code == 500
    assert "fejl-id" in error_of(failed)["detail"]
    logged = capsys.readouterr().err
    assert "scim-fault-marker" in logged
    assert "Traceback" in logged
    assert SCIM_TOKEN not in logged
    assert WRONG not in logged
    assert SCIM_TOKEN not in repr(settings)
