"""Checking input fields, collecting every problem so a person can fix them all at once."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.services.errors import DomainError, DomainValidationError, ErrorCode
from catalogue.services.text_rules import clean_text, is_blank

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,63}$")


class Checks:
    """One input's problems, collected so ``done`` reports them all at once.

    A service adds every check an input needs (its own fields, codes, clashes with
    stored rows) before it calls ``done``; raising on the first problem would make
    a person fix one field, resend, and meet the next.
    """

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def code(self, session: Session, code_column: Any, code: str, *, what: str) -> str:
        """A well-formed code (upper-cased) that no other ``what`` has yet."""
        code = code.strip().upper()
        if not CODE_PATTERN.match(code):
            self.fail(
                "code",
                ErrorCode.INVALID,
                "Koden må kun indeholde A-Z, 0-9, punktum og bindestreg (højst 64 tegn).",
            )
        elif session.scalar(select(code_column).where(code_column == code)) is not None:
            self.fail("code", ErrorCode.DUPLICATE, f"Der findes allerede {what} med koden {code}.")
        return code

    def capture(self, error: DomainError) -> None:
        """Keep a problem a lookup raised (an unknown id), to report with the rest."""
        if isinstance(error, DomainValidationError):
            self.errors.extend(error.errors)
        else:
            self.errors.append(error)

    def fail(self, field: str, code: ErrorCode, message: str) -> None:
        self.errors.append(DomainError(code, message, field=field))

    def text(
        self,
        field: str,
        value: str | None,
        *,
        label: str,
        max_length: int,
        required: bool = True,
        multiline: bool = False,
    ) -> str | None:
        """Text cleaned by the one text rule (``text_rules``); blank counts as missing."""
        if value is None:
            if required:
                self.fail(field, ErrorCode.REQUIRED, f"{label} skal udfyldes.")
            return None
        cleaned, problem = clean_text(value, label=label, multiline=multiline)
        if is_blank(cleaned):
            if required:
                self.fail(field, ErrorCode.REQUIRED, f"{label} skal udfyldes.")
            return ""
        if problem is not None:
            self.fail(field, problem.code, problem.message)
        elif len(cleaned) > max_length:
            self.fail(
                field,
                ErrorCode.TOO_LONG,
                f"{label} må højst være {max_length} tegn (er {len(cleaned)}).",
            )
        return cleaned

    def number(
        self,
        field: str,
        value: float | None,
        *,
        label: str,
        minimum: float = 0,
        maximum: float | None = None,
        strictly_positive: bool = False,
    ) -> None:
        if value is None:
            return
        if value != value or (strictly_positive and value <= minimum) or value < minimum:
            relation = "større end" if strictly_positive else "mindst"
            self.fail(field, ErrorCode.INVALID, f"{label} skal være {relation} {minimum:g}.")
        elif maximum is not None and value > maximum:
            self.fail(field, ErrorCode.INVALID, f"{label} må højst være {maximum:g}.")

    def aware(self, field: str, value: datetime | None, *, label: str) -> None:
        if value is not None and value.tzinfo is None:
            self.fail(
                field,
                ErrorCode.INVALID,
                f"{label} skal have en tidszone, fx 2027-03-01T09:00+01:00.",
            )

    def done(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DomainValidationError(self.errors)
