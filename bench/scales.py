"""The three data scales and how long each measurement may run at each.

S is the demo seed as ``catalogue seed`` loads it; M is one large municipality;
L is all 98 Danish municipalities on one instance. The counts are what the
generator adds on top of the demo seed (which every scale starts from, so the
profile, HR and the LMS service account are the demo's).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    municipalities: int
    leaders: int
    courses: int
    activities: int
    links: int
    enrolments: int
    completions: int
    #: Seconds of load per latency scenario (locust ``--run-time``).
    latency_seconds: int
    #: Seconds the completion sync may run before it is stopped; the rate is measured over it.
    sync_seconds: int

    @property
    def generated(self) -> bool:
        return self.leaders > 0


SCALES: dict[str, Scale] = {
    "S": Scale("S", 0, 0, 0, 0, 0, 0, 0, latency_seconds=3, sync_seconds=20),
    "M": Scale("M", 1, 1_000, 500, 2_000, 4_000, 50_000, 200_000, 20, 45),
    "L": Scale("L", 98, 30_000, 5_000, 20_000, 40_000, 500_000, 2_000_000, 30, 180),
}
ORDER = ("S", "M", "L")


def up_to(name: str) -> list[Scale]:
    """``name`` and every smaller scale, smallest first: the by-scale metrics compare them."""
    return [SCALES[n] for n in ORDER[: ORDER.index(name) + 1]]
