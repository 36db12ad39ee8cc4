"""Dates as people in the municipality read them: local time, Danish month names.

One place for the time zone and the month names, so a date in an e-mail, a
recommendation, an error message and a web page reads the same.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

#: The municipality's time zone: runs, deadlines and meetings are shown in local time.
LOCAL_TZ = ZoneInfo("Europe/Copenhagen")

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def danish_date(value: date | datetime) -> str:
    """``12. marts 2027``; a moment is read in local time first."""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ).date()
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"
