"""An enrolment as an iCalendar file, so a leader can put the run in their calendar.

One VEVENT per enrolment, with a UID that stays the same for the enrolment, so
importing the file again updates the entry instead of adding a second one. The
event's STATUS follows the enrolment: CONFIRMED with a place, TENTATIVE while
requested or waitlisted, CANCELLED when withdrawn, rejected or the run is
cancelled. Times are written in UTC.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from catalogue.models import Course, CourseRun, Enrolment, EnrolmentStatus
from catalogue.models.base import utcnow
from catalogue.services.enrolment_rules import STATUS_LABELS

PRODID = "-//Lyngby-Taarbæk Kommune//Kompetencekatalog//DA"
UID_DOMAIN = "kompetencekatalog.ltk"

TENTATIVE = frozenset({EnrolmentStatus.REQUESTED, EnrolmentStatus.WAITLISTED})
CANCELLED = frozenset({EnrolmentStatus.WITHDRAWN, EnrolmentStatus.REJECTED})


def event_status(enrolment: Enrolment, run: CourseRun) -> str:
    if run.cancelled_at is not None or enrolment.status in CANCELLED:
        return "CANCELLED"
    if enrolment.status in TENTATIVE:
        return "TENTATIVE"
    return "CONFIRMED"


def enrolment_calendar(
    enrolment: Enrolment, run: CourseRun, course: Course, *, now: datetime | None = None
) -> bytes:
    """The .ics bytes for one enrolment."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"enrolment-{enrolment.id}@{UID_DOMAIN}")
    event.add("dtstamp", now or utcnow())
    event.add("last-modified", enrolment.updated_at)
    event.add("dtstart", run.starts_at)
    event.add("dtend", run.ends_at)
    event.add("summary", course.title)
    place = "Online" if run.online else run.location
    if place:
        event.add("location", place)
    lines = [
        f"Hold {run.code}: {STATUS_LABELS[enrolment.status]}.",
        f"Udbyder: {course.provider}." if course.provider else "",
        course.summary,
    ]
    event.add("description", "\n\n".join(line for line in lines if line))
    event.add("status", event_status(enrolment, run))
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics
