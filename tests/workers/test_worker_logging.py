"""A worker's log lines mask the LMS token, as the API's mask the signing secret.

The worker logs through the catalogue's setup (``workers.celery_app``); the LMS
token is the secret it holds, and a connector error or a library may print it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import structlog

from catalogue import settings as settings_module
from workers import celery_app

TOKEN = "moodle-ws-token-0123456789abcdef0123"


@pytest.fixture
def worker_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    monkeypatch.setenv("CATALOGUE_LMS_KIND", "moodle")
    monkeypatch.setenv("CATALOGUE_MOODLE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("CATALOGUE_MOODLE_TOKEN", TOKEN)
    settings_module.get_settings.cache_clear()
    yield
    settings_module.get_settings.cache_clear()
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


def test_the_worker_log_setup_masks_the_lms_token(
    worker_settings: None, capsys: pytest.CaptureFixture[str]
) -> None:
    celery_app._log_like_the_catalogue()
    structlog.get_logger("workers.test").error("moodle refused", detail=f"wstoken={TOKEN}")
    logging.getLogger("httpx").warning("POST /webservice/rest/server.php?wstoken=%s", TOKEN)
    written = capsys.readouterr().err
    assert "moodle refused" in written
    assert "server.php" in written
    assert TOKEN not in written
