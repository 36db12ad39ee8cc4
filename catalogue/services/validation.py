"""Checking input fields, collecting every problem so a person can fix them all at once."""

from __future__ import annotations

from datetime import datetime

from catalogue.services.errors import DomainError, DomainValidationError, ErrorCode


class Checks:
    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def fail(self, field: str, code: ErrorCode, message: str) -> None:
        self.errors.append(DomainError(code, message, field=field))

    def text(
        self, field: str, value: str | None, *, label: str, max_length: int, required: bool = True
    ) -> str | None:
        """Trimmed text; empty counts as missing."""
        if value is None or not value.strip():
            if required:
                self.fail(field, ErrorCode.REQUIRED, f"{label} skal udfyldes.")
            return None if value is None else ""
        cleaned = value.strip()
        if len(cleaned) > max_length:
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
