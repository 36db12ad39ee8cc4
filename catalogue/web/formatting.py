"""How the pages write dates, seats and statuses in Danish; template filters only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from catalogue.models import CourseKind, EnrolmentStatus
from catalogue.services.danish_dates import LOCAL_TZ
from catalogue.services.danish_dates import danish_date as format_danish_date
from catalogue.services.enrolment_rules import STATUS_LABELS

#: The municipality's time zone: runs and deadlines are shown in local time.
LOCAL_TIME = LOCAL_TZ

KIND_LABELS: dict[CourseKind, str] = {
    CourseKind.EDUCATION: "Uddannelse",
    CourseKind.SHORT_COURSE: "Kortere kursus",
    CourseKind.E_LEARNING: "E-læring",
    CourseKind.NETWORK: "Netværk",
    CourseKind.MENTORING: "Mentorforløb",
    CourseKind.COACHING: "Coaching",
    CourseKind.ON_THE_JOB: "Læring i jobbet",
    CourseKind.EVENT: "Arrangement",
}


def danish_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return format_danish_date(value)


def danish_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(LOCAL_TIME)
    return f"{danish_date(local)} kl. {local:%H.%M}"


def danish_number(value: float | None) -> str:
    """13 for 13.0, 1,5 for 1.5: a number as Danish is written."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


def status_label(status: EnrolmentStatus | str) -> str:
    return STATUS_LABELS.get(EnrolmentStatus(status), str(status))


def kind_label(kind: CourseKind | str) -> str:
    return KIND_LABELS[CourseKind(kind)]


FILTERS: dict[str, Callable[..., Any]] = {
    "dato": danish_date,
    "dato_tid": danish_datetime,
    "status": status_label,
    "kursustype": kind_label,
    "tal": danish_number,
}
GLOBALS: dict[str, Any] = {}
