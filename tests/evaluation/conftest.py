"""Fixtures of the evaluation tests: a local SMTP server and settings that send to it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from catalogue.settings import Settings
from tests.evaluation.smtp import Inbox, smtp_server


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def inbox(smtp: tuple[Inbox, int]) -> Inbox:
    return smtp[0]


@pytest.fixture
def mail_settings(settings: Settings, smtp: tuple[Inbox, int]) -> Settings:
    return settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": smtp[1], "public_url": "https://ltk.test"}
    )
