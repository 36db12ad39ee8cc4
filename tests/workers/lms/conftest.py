"""Fixtures: a fresh simulated Moodle per test and a connector wired to it in-process."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.fakes.moodle import MoodleSimulator
from workers.lms.moodle import MoodleConnector


@pytest.fixture
def sim() -> MoodleSimulator:
    return MoodleSimulator()


@pytest.fixture
def http_client(sim: MoodleSimulator) -> Iterator[httpx.Client]:
    with sim.client() as client:
        yield client


@pytest.fixture
def connector(sim: MoodleSimulator, http_client: httpx.Client) -> MoodleConnector:
    return MoodleConnector(sim.service.site_url, sim.service.token, client=http_client)
