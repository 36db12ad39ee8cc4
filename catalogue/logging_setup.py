"""Structured logs: one line per event, with the request id bound for the request's life.

No log line may hold a secret, a token or a password, in either format:

- Tracebacks are plain text without local variables. structlog's console default
  (rich, ``show_locals=True``) printed every frame's locals: the whole Settings
  with its signing key, the start of bearer tokens, SQL parameters.
- Every rendered value passes ``redact_secrets``: the configured secrets
  themselves, anything shaped like a JWT or an evaluation link token (``ev_``...),
  and the password of a URL become
  ``**********``, whatever logged them (our code, a library, an exception text).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, MutableMapping
from typing import Any

import structlog

from catalogue.services.evaluation_tokens import TOKEN_PATTERN as _EVALUATION_TOKEN

MASK = "**********"

# A JWT (header.payload[.signature], base64url, the header always starts with '{"').
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?")
# The password in scheme://user:password@host.
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@\s]+(?=@)")


class SecretRedactor:
    """A structlog processor that masks secrets in every string of the event."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is masked whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        text = _JWT.sub(MASK, text)
        text = _EVALUATION_TOKEN.sub(MASK, text)
        return _URL_PASSWORD.sub(lambda m: m["head"] + MASK, text)

    def _value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {key: self._value(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self._value(item) for item in value]
        if isinstance(value, int | float | bool) or value is None:
            return value
        # Anything else would be rendered through repr/str: redact that text.
        return self.redact(repr(value))

    def __call__(
        self, _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        return {key: self._value(value) for key, value in event_dict.items()}


def configure_logging(
    *, level: str = "INFO", json: bool = False, secrets: Iterable[str] = ()
) -> None:
    """Log to stderr through structlog; ``secrets`` are values never to appear in a line."""
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=structlog.dev.plain_traceback
        )
    )
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                # The traceback as plain text (no locals) in both formats, so it is redacted too.
                structlog.processors.format_exc_info,
                SecretRedactor(secrets),
                renderer,
            ],
            foreign_pre_chain=shared,
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
