"""500 leaders enrol in the same 100-seat run at the same moment, over HTTP.

All 500 ``enrol`` mutations are sent at once (one connection each) to the
multi-worker server. Afterwards the database must show exactly 100 ENROLLED
and 400 WAITLISTED, the waiting list numbered 1..400 in the order the requests
took the run's lock (their ``requested_at`` stamps, taken after the lock). The
time to settle is from the first request sent to the last answer received.

Baseline: the same 500 requests at the same moment, each into its own run of
100 seats, so nobody waits for anybody's lock: what the same work costs
without contention.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench import queries
from catalogue.models import Enrolment, EnrolmentStatus


@dataclass(frozen=True)
class Burst:
    seconds: float
    answered: int
    http_errors: int
    user_errors: int
    settled: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 3),
            "answered": self.answered,
            "http_errors": self.http_errors,
            "user_errors": self.user_errors,
            "settled": self.settled,
        }


async def _burst(base_url: str, tokens: list[str], runs: list[str], deadline: float) -> Burst:
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=deadline) as client:
        start = asyncio.Event()

        async def one(token: str, run: str) -> dict[str, Any] | None:
            await start.wait()
            try:
                response = await client.post(
                    "/graphql",
                    json={"query": queries.ENROL, "variables": {"run": run}},
                    headers={"Authorization": f"Bearer {token}"},
                )
            except httpx.HTTPError:
                return {"unanswered": True}
            if response.status_code != 200:
                return None
            body: dict[str, Any] = response.json()
            return body

        tasks = [asyncio.create_task(one(t, r)) for t, r in zip(tokens, runs, strict=True)]
        await asyncio.sleep(0.2)  # every task is waiting on the event
        started = time.perf_counter()
        start.set()
        answers = await asyncio.gather(*tasks)
        seconds = time.perf_counter() - started
    answered = [a for a in answers if not (a and a.get("unanswered"))]
    http_errors = sum(1 for a in answered if a is None or a.get("errors"))
    user_errors = sum(
        1 for a in answered if a and not a.get("errors") and a["data"]["enrol"]["userErrors"]
    )
    settled = len(answered) == len(answers) and not http_errors
    return Burst(seconds, len(answered), http_errors, user_errors, settled)


def burst(base_url: str, tokens: list[str], runs: list[str], *, deadline: float) -> Burst:
    """Send every request at the same moment; a request not answered in ``deadline`` s is lost."""
    return asyncio.run(_burst(base_url, tokens, runs, deadline))


def check_settled(session: Session, run_id: int, seats: int, requests: int) -> dict[str, Any]:
    """Exactly ``seats`` enrolled, the rest waitlisted 1..n in the order the lock was taken."""
    rows = session.execute(
        select(Enrolment.status, Enrolment.waitlist_position, Enrolment.requested_at, Enrolment.id)
        .where(Enrolment.course_run_id == run_id)
        .order_by(Enrolment.requested_at, Enrolment.id)
    ).all()
    enrolled = [r for r in rows if r.status is EnrolmentStatus.ENROLLED]
    waitlisted = [r for r in rows if r.status is EnrolmentStatus.WAITLISTED]
    positions = [r.waitlist_position for r in waitlisted]
    first_come = all(r.status is EnrolmentStatus.ENROLLED for r in rows[: len(enrolled)])
    in_order = positions == list(range(1, len(waitlisted) + 1))
    ok = (
        len(rows) == requests
        and len(enrolled) == seats
        and len(waitlisted) == requests - seats
        and first_come
        and in_order
    )
    return {
        "ok": ok,
        "enrolments": len(rows),
        "enrolled": len(enrolled),
        "waitlisted": len(waitlisted),
        "seats_first_come_first_served": first_come,
        "waitlist_in_request_order": in_order,
    }
