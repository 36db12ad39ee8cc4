"""Faults a test can switch on: failures, slowness, rate limiting, odd answers."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class HttpFault:
    """An answer from "in front of" Moodle (proxy, load balancer, PHP-FPM)."""

    status: int
    body: str = ""
    retry_after: str | None = None

    def headers(self) -> dict[str, str]:
        return {"Retry-After": self.retry_after} if self.retry_after is not None else {}


@dataclass
class Faults:
    clock: Callable[[], float] = time.monotonic
    queued: deque[HttpFault] = field(default_factory=deque)
    delay: float = 0.0
    rate_max: int | None = None
    rate_window: float = 1.0
    _window_start: float = 0.0
    _window_count: int = 0
    #: wsfunction -> JSON values to answer instead of running the function
    overrides: dict[str, deque[Any]] = field(default_factory=dict)
    #: wsfunction -> warnings to append to the next answer
    warnings: dict[str, deque[list[dict[str, Any]]]] = field(default_factory=dict)
    #: (wsfunction, which validated parameters, the Moodle exception to raise) until cleared
    errors: list[tuple[str, Callable[[dict[str, Any]], bool], Exception]] = field(
        default_factory=list
    )

    def http_fault(self) -> HttpFault | None:
        """The proxy-level answer for this request, if any; counts it for the rate limit."""
        if self.rate_max is not None:
            now = self.clock()
            if now - self._window_start >= self.rate_window:
                self._window_start, self._window_count = now, 0
            self._window_count += 1
            if self._window_count > self.rate_max:
                wait = max(1, math.ceil(self._window_start + self.rate_window - now))
                return HttpFault(429, "Too Many Requests", retry_after=str(wait))
        return self.queued.popleft() if self.queued else None

    def take_override(self, wsfunction: str) -> tuple[bool, Any]:
        queue = self.overrides.get(wsfunction)
        if queue:
            return True, queue.popleft()
        return False, None

    def error_for(self, wsfunction: str, params: dict[str, Any]) -> Exception | None:
        for name, matches, error in self.errors:
            if name == wsfunction and matches(params):
                return error
        return None

    def take_warnings(self, wsfunction: str) -> list[dict[str, Any]]:
        queue = self.warnings.get(wsfunction)
        return queue.popleft() if queue else []
