"""HR's forms read into the services' input: plain values, and what could not be read.

A browser sends text; the services take numbers, enums and aware datetimes. Reading
is the adapter's work (as GraphQL's coercion is for the API): a value that is no
number or no date is reported in Danish at its field, and the form is shown again
with what was typed. Whether a value is allowed is the service's call, never ours.

The ``*_FIELDS`` maps name, for each service input field (GraphQL's camelCase), the
form field its message belongs next to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import TypeVar

from starlette.datastructures import FormData

from catalogue.models import ActivityKind, CourseKind, LinkStrength
from catalogue.services.activity_admin import ActivityData
from catalogue.services.course_admin import CourseData
from catalogue.services.run_admin import RunData
from catalogue.services.run_sessions import MAX_SESSIONS, SessionData
from catalogue.web.formatting import LOCAL_TIME
from catalogue.web.forms import number, text

E = TypeVar("E", bound=StrEnum)

#: Longest value we read from one text box; the services' own limits are far below.
MAX_FIELD_CHARACTERS = 20_000
#: How many empty session rows the run form offers for new teaching days.
NEW_SESSION_ROWS = 3

COURSE_FIELDS = {
    "title": "title",
    "summary": "summary",
    "kind": "kind",
    "provider": "provider",
    "language": "language",
    "durationHours": "duration_hours",
    "ects": "ects",
    "priceDkk": "price_dkk",
    "audience": "audience",
    "lmsCourseId": "lms_course_id",
    "code": "code",
    "expectedUpdatedAt": "title",
    "id": "title",
    "reason": "reason",
}
ACTIVITY_FIELDS = {
    "title": "activity_title",
    "kind": "activity_kind",
    "durationHours": "activity_duration_hours",
    "position": "activity_position",
    "lmsModuleId": "activity_lms_module_id",
    "courseId": "activity_title",
    "id": "activity_title",
}
RUN_FIELDS = {
    "startsAt": "starts_at",
    "endsAt": "ends_at",
    "location": "location",
    "capacity": "capacity",
    "unlimited": "capacity",
    "enrolmentDeadline": "enrolment_deadline",
    "courseId": "starts_at",
    "id": "starts_at",
    "reason": "reason",
}
LINK_FIELDS = {
    "statementKey": "statement_key",
    "rationale": "rationale",
    "strength": "strength",
    "target": "statement_key",
    "courseId": "statement_key",
    "activityId": "activity_id",
    "expectedUpdatedAt": "rationale",
    "id": "rationale",
}


def session_fields(rows: list[int]) -> dict[str, str]:
    """``sessions[i].endsAt`` -> ``session-<row>-ends``: each message at its own form row.

    ``rows[i]`` is the form row the service's ``sessions[i]`` came from (empty rows
    are not sent to the service, so the two numberings differ).
    """
    parts = {"startsAt": "starts", "endsAt": "ends", "title": "title", "location": "location"}
    found: dict[str, str] = {"sessions": "session-0-starts"}
    for index, row in enumerate(rows):
        found[f"sessions[{index}]"] = f"session-{row}-starts"
        for part, name in parts.items():
            found[f"sessions[{index}].{part}"] = f"session-{row}-{name}"
    return found


@dataclass
class FormReader:
    """Reads one posted form; ``errors`` holds what could not be read, per form field."""

    form: FormData
    errors: dict[str, str] = field(default_factory=dict)

    def text(self, name: str) -> str:
        """The field's text; a NUL is refused here, as the API refuses it before execution
        (no database stores it, so no service is asked about it)."""
        value = text(self.form, name)
        if "\x00" in value:
            self.errors[name] = "Feltet må ikke indeholde NUL-tegnet (U+0000)."
            return value.replace("\x00", "")
        if len(value) > MAX_FIELD_CHARACTERS:
            self.errors[name] = f"Feltet må højst være {MAX_FIELD_CHARACTERS} tegn."
            return value[:MAX_FIELD_CHARACTERS]
        return value

    def optional_text(self, name: str) -> str | None:
        """Empty stays empty (the service clears or refuses it); None only when not sent."""
        return self.text(name) if name in self.form else None

    def checkbox(self, name: str) -> bool:
        return self.text(name) in {"on", "true", "1"}

    def decimal(self, name: str, label: str) -> float | None:
        raw = self.text(name).strip().replace(" ", "")
        if not raw:
            return None
        if not re.fullmatch(r"-?\d{1,9}([.,]\d{1,4})?", raw):
            self.errors[name] = f"{label} skal være et tal, fx 7,5."
            return None
        return float(raw.replace(",", "."))

    def whole(self, name: str, label: str) -> int | None:
        raw = self.text(name).strip().replace(" ", "").replace(".", "")
        if not raw:
            return None
        if not re.fullmatch(r"-?\d{1,12}", raw):
            self.errors[name] = f"{label} skal være et helt tal."
            return None
        return int(raw)

    def choice(self, name: str, enum: type[E], label: str) -> E | None:
        raw = self.text(name).strip()
        if not raw:
            return None
        try:
            return enum(raw)
        except ValueError:
            self.errors[name] = f"Vælg {label} fra listen."
            return None

    def moment(self, name: str, label: str) -> datetime | None:
        """A ``datetime-local`` value in the municipality's time, as an aware datetime."""
        raw = self.text(name).strip()
        if not raw:
            return None
        try:
            local = datetime.fromisoformat(raw)
        except ValueError:
            self.errors[name] = f"{label} skal være en dato og et klokkeslæt, fx 2027-03-01 09:00."
            return None
        if local.tzinfo is not None:
            return local
        return local.replace(tzinfo=LOCAL_TIME)

    def day_and_time(self, day_name: str, time_name: str, label: str) -> datetime | None:
        raw_day, raw_time = self.text(day_name).strip(), self.text(time_name).strip()
        if not raw_day and not raw_time:
            return None
        try:
            when = datetime.combine(date.fromisoformat(raw_day), time.fromisoformat(raw_time))
        except ValueError:
            self.errors[time_name] = f"{label} skal være en dato og et klokkeslæt."
            return None
        return when.replace(tzinfo=LOCAL_TIME)

    def stamp(self, name: str) -> datetime | None:
        """The ``updated_at`` the editor read (a hidden field), for optimistic locking."""
        raw = self.text(name).strip()
        if not raw:
            return None
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            self.errors["title"] = "Formularen er beskadiget; genindlæs siden og prøv igen."
            return None

    def record_id(self, name: str) -> int | None:
        return number(self.text(name).strip() or None)


def course_data(reader: FormReader) -> CourseData:
    return CourseData(
        title=reader.text("title"),
        summary=reader.text("summary"),
        kind=reader.choice("kind", CourseKind, "en slags tilbud"),
        provider=reader.text("provider"),
        language=reader.text("language").strip() or None,
        duration_hours=reader.decimal("duration_hours", "Varigheden"),
        ects=reader.decimal("ects", "ECTS"),
        price_dkk=reader.whole("price_dkk", "Prisen"),
        audience=reader.text("audience"),
        lms_course_id=reader.text("lms_course_id"),
    )


def activity_data(reader: FormReader) -> ActivityData:
    return ActivityData(
        title=reader.text("activity_title"),
        kind=reader.choice("activity_kind", ActivityKind, "en slags aktivitet"),
        required=reader.checkbox("activity_required"),
        duration_hours=reader.decimal("activity_duration_hours", "Varigheden"),
        position=reader.whole("activity_position", "Placeringen"),
        lms_module_id=reader.text("activity_lms_module_id"),
    )


def run_data(reader: FormReader, *, with_sessions: bool) -> tuple[RunData, list[int]]:
    """The run's input, and for each session sent the form row it came from."""
    sessions: list[SessionData] | None = None
    rows_sent: list[int] = []
    if with_sessions:
        sessions = []
        rows = min(reader.whole("session_rows", "Antal sessioner") or 0, MAX_SESSIONS + 1)
        for index in range(rows):
            prefix = f"session-{index}"
            starts = reader.day_and_time(f"{prefix}-day", f"{prefix}-starts", "Starten")
            ends = reader.day_and_time(f"{prefix}-day", f"{prefix}-ends", "Slutningen")
            title = reader.text(f"{prefix}-title").strip() or None
            location = reader.text(f"{prefix}-location").strip() or None
            if starts is None and ends is None and title is None and location is None:
                continue
            rows_sent.append(index)
            sessions.append(
                SessionData(
                    starts_at=starts,
                    ends_at=ends,
                    title=title,
                    location=location,
                    id=reader.record_id(f"{prefix}-id"),
                )
            )
    capacity = reader.whole("capacity", "Antal pladser")
    data = RunData(
        starts_at=reader.moment("starts_at", "Starten"),
        ends_at=reader.moment("ends_at", "Slutningen"),
        location=reader.text("location"),
        online=reader.checkbox("online"),
        capacity=capacity,
        unlimited=capacity is None,
        enrolment_deadline=reader.moment("enrolment_deadline", "Tilmeldingsfristen"),
        approval_required=reader.checkbox("approval_required"),
        sessions=sessions,
    )
    return data, rows_sent


def strength(reader: FormReader) -> LinkStrength | None:
    return reader.choice("strength", LinkStrength, "en styrke")
