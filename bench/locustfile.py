"""Locust users for the latency benchmark: one class per scenario, run one at a time.

``python -m locust -f bench/locustfile.py <Class> --headless -u 32 ...`` is
started by ``bench.measure.latency`` against the loopback server; the tokens,
run ids and statement keys come from the JSON file named by
``BENCH_LOCUST_DATA``. Every user sends its next request as soon as the last
answer arrived (no think time): 32 users are 32 concurrent clients. A request
counts as failed on a non-200 status, GraphQL ``errors`` or ``userErrors``.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from typing import Any

from locust import task
from locust.contrib.fasthttp import FastHttpUser

from bench import queries

DATA: dict[str, Any] = {}
if os.environ.get("BENCH_LOCUST_DATA"):
    with open(os.environ["BENCH_LOCUST_DATA"], encoding="utf-8") as handle:
        DATA = json.load(handle)
#: (token index, run id) pairs, each used once: every enrol request is a new enrolment.
ENROL_PAIRS = itertools.product(
    range(len(DATA.get("enrol_tokens", []))), DATA.get("enrol_runs", [])
)


class _GraphQL(FastHttpUser):
    abstract = True

    def graphql(self, name: str, payload: dict[str, Any], token: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        with self.client.post(
            "/graphql", json=payload, headers=headers, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            body = response.json()
            if body.get("errors"):
                response.failure(str(body["errors"])[:200])
                return
            payloads = [v for v in (body.get("data") or {}).values() if isinstance(v, dict)]
            if any(p.get("userErrors") for p in payloads):
                response.failure(str(payloads)[:200])


class Healthz(FastHttpUser):
    """The baseline: a trivial endpoint of the same app under the same load."""

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz")


class CataloguePage(_GraphQL):
    """A leader browsing: the first page of courses for one of the profile's statements."""

    @task
    def page(self) -> None:
        key = random.choice(DATA["statement_keys"])
        self.graphql(
            "catalogue_page", {"query": queries.CATALOGUE_PAGE, "variables": {"statement": key}}
        )


class Progress(_GraphQL):
    """A leader opening their own progress against the profile."""

    @task
    def progress(self) -> None:
        self.graphql(
            "progress", {"query": queries.PROGRESS}, random.choice(DATA["progress_tokens"])
        )


class Enrol(_GraphQL):
    """A leader enrolling in a run they are not on yet."""

    @task
    def enrol(self) -> None:
        pair = next(ENROL_PAIRS, None)
        if pair is None:
            assert self.environment.runner is not None
            self.environment.runner.quit()
            return
        token, run = pair
        self.graphql(
            "enrol",
            {"query": queries.ENROL, "variables": {"run": run}},
            DATA["enrol_tokens"][token],
        )
