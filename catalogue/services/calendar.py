"""An enrolment as an iCalendar file, so a leader's calendar shows the hours actually taught.

A run of three months is not one event blocking the calendar from its first day
to its last. What the file holds:

- a run with sessions (``CourseRunSession``): one VEVENT per session, busy
  (TRANSP:OPAQUE), at the session's times and place;
- a run without sessions that starts and ends on the same day (in Danish local
  time): one VEVENT from start to end, busy; it keeps the UID the single event of
  earlier versions had, so a file imported before still updates;
- a longer run without sessions: two all-day VEVENTs, its first and its last day,
  marked free (TRANSP:TRANSPARENT), as the days in between are not known.

Every UID is stable (the enrolment's id, and the session's id or the day's role),
so importing the file again updates the entries instead of adding new ones. The
STATUS follows the enrolment: CONFIRMED with a place, TENTATIVE while requested or
waitlisted, CANCELLED when withdrawn, rejected or the run is cancelled; a cancelled
file carries the same UIDs, so a calendar removes the entries it has. Times are
written in UTC; the all-day dates are the days in Danish local time.

A session HR removed (a tombstone) stays in the file as a CANCELLED VEVENT under its
UID, with the higher SEQUENCE its removal gave it (RFC 5545: a calendar takes over a
changed entry only with a SEQUENCE above the one it has), so a leader who imported
the file sees the day go. Tombstones removed before the enrolment existed were never
in its file and are left out. SEQUENCE is the session's change count, plus one when
the run or the enrolment is cancelled (both final), so a cancellation always outranks
the entry it cancels.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from catalogue.models import Course, CourseRun, CourseRunSession, Enrolment, EnrolmentStatus
from catalogue.models.base import utcnow
from catalogue.services.danish_dates import LOCAL_TZ
from catalogue.services.enrolment_rules import STATUS_LABELS

PRODID = "-//Lyngby-Taarbæk Kommune//Kompetencekatalog//DA"
UID_DOMAIN = "kompetencekatalog.ltk"
#: Whose days the all-day entries are: the municipality's.

TENTATIVE = frozenset({EnrolmentStatus.REQUESTED, EnrolmentStatus.WAITLISTED})
CANCELLED = frozenset({EnrolmentStatus.WITHDRAWN, EnrolmentStatus.REJECTED})


def event_status(enrolment: Enrolment, run: CourseRun) -> str:
    if run.cancelled_at is not None or enrolment.status in CANCELLED:
        return "CANCELLED"
    if enrolment.status in TENTATIVE:
        return "TENTATIVE"
    return "CONFIRMED"


def _uid(enrolment: Enrolment, part: str | None = None) -> str:
    suffix = f"-{part}" if part else ""
    return f"enrolment-{enrolment.id}{suffix}@{UID_DOMAIN}"


def _local_day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


class _Events:
    """The VEVENTs of one enrolment, sharing what every one of them says."""

    def __init__(
        self, enrolment: Enrolment, run: CourseRun, course: Course, *, now: datetime
    ) -> None:
        self.enrolment = enrolment
        self.run = run
        self.course = course
        self.now = now
        self.status = event_status(enrolment, run)
        #: Added to each entry's SEQUENCE: a cancellation outranks the entry it cancels.
        self.cancelled = 1 if self.status == "CANCELLED" else 0
        self.place = "Online" if run.online else run.location
        lines = [
            f"Hold {run.code}: {STATUS_LABELS[enrolment.status]}.",
            f"Udbyder: {course.provider}." if course.provider else "",
            course.summary,
        ]
        self.description = "\n\n".join(line for line in lines if line)

    def event(
        self,
        uid: str,
        *,
        start: datetime | date,
        end: datetime | date,
        summary: str,
        busy: bool,
        place: str | None,
        modified: datetime,
        sequence: int = 0,
        status: str | None = None,
    ) -> Event:
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", self.now)
        event.add("last-modified", max(modified, self.enrolment.updated_at))
        # A tombstone (``status`` given) is cancelled by its removal, already counted.
        event.add("sequence", sequence + (self.cancelled if status is None else 0))
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", summary)
        if place:
            event.add("location", place)
        event.add("description", self.description)
        event.add("status", status or self.status)
        event.add("transp", "OPAQUE" if busy else "TRANSPARENT")
        return event

    def sessions(self, sessions: Sequence[CourseRunSession]) -> list[Event]:
        count = len(sessions)
        return [
            self.event(
                _uid(self.enrolment, f"session-{s.id}"),
                start=s.starts_at,
                end=s.ends_at,
                summary=f"{self.course.title} ({number}/{count}"
                + (f": {s.title})" if s.title else ")"),
                busy=True,
                place=s.location or self.place,
                modified=s.updated_at,
                sequence=s.sequence,
            )
            for number, s in enumerate(sessions, 1)
        ]

    def removed(self, sessions: Sequence[CourseRunSession]) -> list[Event]:
        """The tombstones this enrolment's file may have held, each cancelled."""
        return [
            self.event(
                _uid(self.enrolment, f"session-{s.id}"),
                start=s.starts_at,
                end=s.ends_at,
                summary=f"Aflyst: {self.course.title}" + (f" ({s.title})" if s.title else ""),
                busy=False,
                place=s.location or self.place,
                modified=s.removed_at or s.updated_at,
                sequence=s.sequence,
                status="CANCELLED",
            )
            for s in sessions
            if s.removed_at is not None and s.removed_at >= self.enrolment.created_at
        ]

    def whole_run(self) -> list[Event]:
        run = self.run
        first, last = _local_day(run.starts_at), _local_day(run.ends_at)
        if first == last:
            return [
                self.event(
                    _uid(self.enrolment),
                    start=run.starts_at,
                    end=run.ends_at,
                    summary=self.course.title,
                    busy=True,
                    place=self.place,
                    modified=run.updated_at,
                )
            ]
        day = timedelta(days=1)
        return [
            self.event(
                _uid(self.enrolment, role),
                start=on,
                end=on + day,
                summary=f"{label}: {self.course.title}",
                busy=False,
                place=self.place,
                modified=run.updated_at,
            )
            for role, on, label in (
                ("first-day", first, "Første dag"),
                ("last-day", last, "Sidste dag"),
            )
        ]


def enrolment_calendar(
    enrolment: Enrolment,
    run: CourseRun,
    course: Course,
    sessions: Sequence[CourseRunSession] = (),
    removed: Sequence[CourseRunSession] = (),
    *,
    now: datetime | None = None,
) -> bytes:
    """The .ics bytes for one enrolment.

    ``sessions`` are the run's live sessions in order of start, ``removed`` its
    tombstones (``CourseRun.removed_sessions``).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    events = _Events(enrolment, run, course, now=now or utcnow())
    for event in events.sessions(sessions) if sessions else events.whole_run():
        calendar.add_component(event)
    for event in events.removed(removed):
        calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics
