"""The catalogue search form: query parameters in, a ``CourseFilter`` out, problems per field.

The form is a GET, so a search is a link a leader can keep or send. Each parameter is
checked for shape here (dates, kinds, text through the shared text rule); whether a
key exists in the profile and how long a search may be is the search service's call,
and its messages come back to the same fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from starlette.datastructures import QueryParams

from catalogue.models import CourseKind
from catalogue.services.course_search import CourseFilter
from catalogue.services.text_rules import clean_text

#: Service field -> form field, so the service's messages stand at the right input.
SERVICE_FIELDS: Mapping[str, str] = {
    "filter.statementKey": "udsagn",
    "filter.fieldKey": "felt",
    "filter.themeKey": "tema",
    "filter.search": "q",
    "filter.kind": "type",
    "filter.startsAfter": "fra",
    "filter.startsBefore": "til",
}
#: Longest value a parameter may have before it is read at all.
PARAMETER_MAX_LENGTH = 300


@dataclass
class SearchForm:
    """What the leader typed (shown back as typed), and what was wrong with it."""

    values: dict[str, str] = field(default_factory=dict)
    kinds: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    criteria: CourseFilter | None = None


def _date(value: str, label: str) -> tuple[date | None, str | None]:
    if not value:
        return None, None
    try:
        return date.fromisoformat(value), None
    except ValueError:
        return None, f"{label} skal være en dato som 2027-01-31."


def parse_search(params: QueryParams) -> SearchForm:
    form = SearchForm()
    for name in ("q", "udsagn", "felt", "tema", "fra", "til", "ledige"):
        raw = params.get(name, "")
        form.values[name] = raw[:PARAMETER_MAX_LENGTH]
        if len(raw) > PARAMETER_MAX_LENGTH:
            form.errors[name] = f"Feltet må højst være {PARAMETER_MAX_LENGTH} tegn."
    search, problem = clean_text(form.values["q"], label="Søgeteksten", multiline=False)
    if problem is not None:
        form.errors["q"] = problem.message
    for name, label in (("udsagn", "Udsagnet"), ("felt", "Feltet"), ("tema", "Temaet")):
        form.values[name], key_problem = clean_text(form.values[name], label=label, multiline=False)
        if key_problem is not None:
            form.errors[name] = key_problem.message
    kinds: list[CourseKind] = []
    for raw_kind in params.getlist("type")[:20]:
        if raw_kind in CourseKind.__members__:
            kinds.append(CourseKind(raw_kind))
            form.kinds.append(raw_kind)
        else:
            form.errors["type"] = "Vælg kursustyper fra listen."
    starts_after, after_problem = _date(form.values["fra"], "Fra-datoen")
    starts_before, before_problem = _date(form.values["til"], "Til-datoen")
    if after_problem:
        form.errors["fra"] = after_problem
    if before_problem:
        form.errors["til"] = before_problem
    if starts_after and starts_before and starts_before < starts_after:
        form.errors["til"] = "Til-datoen skal ligge efter fra-datoen."
    if form.errors:
        return form
    form.criteria = CourseFilter(
        statement_key=form.values["udsagn"] or None,
        field_key=form.values["felt"] or None,
        theme_key=form.values["tema"] or None,
        kinds=kinds,
        has_free_seats=True if form.values["ledige"] else None,
        starts_after=_start_of(starts_after),
        # "til" is the last day included: runs starting before the next midnight.
        starts_before=_start_of(starts_before + timedelta(days=1) if starts_before else None),
        search=search or None,
    )
    return form


def _start_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None
