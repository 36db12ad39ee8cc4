"""Completion pull: the LMS's completion facts recorded in the catalogue.

For every enrolment holding a place on a course mapped to the LMS, the
person's activity completions are read and each completed, mapped activity is
recorded as the LMS service account (source LMS) and rolled up into the
enrolment's status, and so into the leader's progress. A course the LMS itself
reports completed is recorded as a course completion too. Recording is
idempotent: a completion seen twice counts once.

How, for speed at the scale of every municipality:

- Enrolments go a page at a time (``PAGE_SIZE``); a page's unlinked LMS users
  are looked up in one call, then each enrolment's completions are read (one
  call each: Moodle's web services offer nothing wider).
- A page's reports are recorded by ``services.completion_batches`` in one
  short transaction of a handful of statements, whatever the page holds, and
  committed. Should that batch fail on one enrolment's data, the page is
  recorded again one enrolment at a time, so only that one fails.
- The next page's answers are read on a reader thread while a page is
  recorded, so the LMS and the database work at the same time (scale L:
  4,910 -> 6,084 completions/s). The thread only makes HTTP calls; everything
  that touches the session or the tally stays on the caller's thread; it runs
  in a copy of the caller's context, so its log lines keep the task's id.
- A run that stops midway (the LMS down, a budget spent) first records what it
  had read.
- Course completions, for enrolments still underway after their activities,
  go one at a time through ``services.completions.record_completion``.

What the run counts, per enrolment polled: "oprettet" for each activity
completion recorded, "opdateret" when the enrolment was completed (by its
activities or by the LMS's course completion), "uændret" for an enrolment with
nothing new. A run the LMS stops midway counts what it recorded before it
stopped, so its message says what was saved.

A completion the LMS does not report yet (some LMS criteria are aggregated
later by a scheduled job) is simply picked up by a later pull. A person who is
not yet a user in the LMS is not an error here: they are counted as unchanged
with a warning. Activities the completion data names but the course's contents
did not list are named in one warning per course and run (``_warn_unlisted``).
"""

from __future__ import annotations

import contextvars
import threading
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from catalogue.models import (
    Activity,
    Course,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    Person,
)
from catalogue.models.base import utcnow
from catalogue.services.capabilities import Capability, requirement, roles_with
from catalogue.services.completion_batches import (
    BatchOutcome,
    ReportedCompletion,
    record_activity_completions,
)
from catalogue.services.completions import (
    ROLL_UP_STATUSES,
    before_run_start,
    before_run_start_message,
    record_completion,
)
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.lms_sync.context import ItemResult, SyncContext
from catalogue.services.lms_sync.port import (
    FailureKind,
    LmsCompletionRecord,
    LmsGateway,
    LmsListingRecord,
)
from catalogue.services.lms_sync.runs import Change
from catalogue.services.lms_sync.users import LmsUserNotFoundError, lms_user_ids

#: Enrolments read, polled and recorded together; one commit each.
PAGE_SIZE = 200
ITEM = "tilmelding"
#: The LMS's answer for each enrolment asked about, or the error in its place.
_Listings = list[tuple[int, LmsListingRecord[LmsCompletionRecord] | Exception]]


@dataclass(frozen=True)
class _Polled:
    """An enrolment to poll, as plain values."""

    enrolment_id: int
    person_id: int
    email: str
    course_id: int
    course_code: str
    lms_course_id: int
    run_starts_at: datetime


@dataclass
class _Page:
    """What one page read from the LMS, before it is recorded."""

    polled: dict[int, _Polled]
    user_ids: dict[int, int] = field(default_factory=dict)
    #: Items still alive (not failed), by enrolment id.
    results: dict[int, ItemResult] = field(default_factory=dict)
    reported: list[ReportedCompletion] = field(default_factory=list)
    #: Activity codes by activity id, for the notes.
    codes: dict[int, str] = field(default_factory=dict)
    #: Activity ids by LMS module id, by course id.
    mapped: defaultdict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    #: LMS activities named in completion data but not linked, by course id: their types.
    unlisted: defaultdict[int, dict[int, str]] = field(default_factory=lambda: defaultdict(dict))
    #: (course id, LMS activity id) already warned about in this run; shared by its pages.
    warned: set[tuple[int, int]] = field(default_factory=set)

    def note_unlisted(self, course_id: int, completion: LmsCompletionRecord) -> None:
        """Remember an LMS activity the completion data names that no activity is linked to."""
        found = completion.activity_id
        if found is not None and str(found) not in self.mapped[course_id]:
            self.unlisted[course_id][found] = completion.activity_type or ""


def lms_service_account(ctx: SyncContext) -> Viewer:
    """The person the LMS acts as (a role with lms.client); completions are recorded in its name."""
    client_roles = roles_with(Capability.LMS_CLIENT)
    account = ctx.session.scalar(
        select(Person)
        .where(Person.holds_any(client_roles), Person.active.is_(True))
        .order_by(Person.id)
        .limit(1)
    )
    if account is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            f"Der findes ingen aktiv servicekonto med {requirement(Capability.LMS_CLIENT)}; "
            "opret en, så "
            "gennemførelser fra LMS'et kan registreres i dens navn.",
        )
    return Viewer(person_id=account.id, email=account.email, roles=account.roles & client_roles)


def pull_completions(ctx: SyncContext) -> None:
    actor = lms_service_account(ctx)
    stop = threading.Event()
    warned: set[tuple[int, int]] = set()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lms-completions") as reader:
        try:
            after = 0
            pending: tuple[_Page, Future[_Listings]] | None = None
            while True:
                upcoming = None
                try:
                    if polled := _polled_page(ctx, after):
                        after = polled[-1].enrolment_id
                        page = _Page(polled={p.enrolment_id: p for p in polled}, warned=warned)
                        asks = _prepare(ctx, page)
                        # In the caller's log context, so its lines carry the same task id.
                        reading = reader.submit(
                            contextvars.copy_context().run, _read_listings, ctx.gateway, asks, stop
                        )
                        upcoming = (page, reading)
                except BaseException:
                    if pending is not None:  # the run stops: keep what was read before
                        _finish_page(ctx, actor, *pending)
                    raise
                if pending is not None:
                    _finish_page(ctx, actor, *pending)  # while the LMS answers for the next
                if upcoming is None:
                    return
                pending = upcoming
        finally:
            stop.set()  # a run that stops does not wait for the rest of a page's answers


def _finish_page(ctx: SyncContext, actor: Viewer, page: _Page, listings: Future[_Listings]) -> None:
    try:
        _take_listings(ctx, page, listings.result())
    except BaseException:
        # The run stops: keep what was read before, and count it, so the run says what it saved.
        _record_activities(ctx, actor, page)
        _count_page(ctx, page)
        _warn_unlisted(ctx, page)
        raise
    statuses = _record_activities(ctx, actor, page)
    _pull_course_completions(ctx, actor, page, statuses)
    _count_page(ctx, page)
    _warn_unlisted(ctx, page)


def _count_page(ctx: SyncContext, page: _Page) -> None:
    for result in page.results.values():
        ctx.count_item(result)


def _polled_page(ctx: SyncContext, after: int) -> list[_Polled]:
    rows = ctx.session.execute(
        select(
            Enrolment.id,
            Enrolment.person_id,
            Person.email,
            CourseRun.course_id,
            Course.code,
            Course.lms_course_id,
            CourseRun.starts_at,
        )
        .join(Person, Person.id == Enrolment.person_id)
        .join(CourseRun, CourseRun.id == Enrolment.course_run_id)
        .join(Course, Course.id == CourseRun.course_id)
        .where(
            Course.lms_course_id.is_not(None),
            Enrolment.status.in_(ROLL_UP_STATUSES),
            Enrolment.id > after,
        )
        .order_by(Enrolment.id)
        .limit(PAGE_SIZE)
    )
    return [
        _Polled(e, p, email, c, code, int(lms or 0), starts)
        for e, p, email, c, code, lms, starts in rows
    ]


def _prepare(ctx: SyncContext, page: _Page) -> list[tuple[int, int, int]]:
    """Resolve the page's LMS users and mapped activities; returns what to ask the LMS.

    One ask is (enrolment id, LMS course id, LMS user id).
    """
    persons = ctx.session.scalars(
        select(Person).where(Person.id.in_(sorted({p.person_id for p in page.polled.values()})))
    ).all()
    users = lms_user_ids(ctx, persons)
    for activity_id, course_id, module_id, code in ctx.session.execute(
        select(Activity.id, Activity.course_id, Activity.lms_module_id, Activity.code).where(
            Activity.course_id.in_(sorted({p.course_id for p in page.polled.values()})),
            Activity.lms_module_id.is_not(None),
        )
    ):
        page.mapped[course_id][str(module_id)] = activity_id
        page.codes[activity_id] = code
    asks = []
    for polled in page.polled.values():
        user = users[polled.person_id]
        if isinstance(user, LmsUserNotFoundError):
            ctx.tally.warn(ITEM, polled.enrolment_id, user.code.value, user.message)
            page.results[polled.enrolment_id] = ItemResult()
        elif isinstance(user, Exception):
            ctx.fail_item(ITEM, polled.enrolment_id, user)
        else:
            page.user_ids[polled.enrolment_id] = user
            asks.append((polled.enrolment_id, polled.lms_course_id, user))
    return asks


def _read_listings(
    gateway: LmsGateway, asks: list[tuple[int, int, int]], stop: threading.Event
) -> _Listings:
    """The LMS's answers, in order; on the reader thread, so it touches no session.

    An error is kept in place of its answer; one that stops the run ends the reading.
    """
    listings: _Listings = []
    for enrolment_id, course_id, user_id in asks:
        if stop.is_set():
            break
        try:
            listings.append(
                (enrolment_id, gateway.activity_completions(course_id=course_id, user_id=user_id))
            )
        except Exception as exc:
            listings.append((enrolment_id, exc))
            if gateway.failure_kind(exc) is not FailureKind.ITEM:
                break
    return listings


def _take_listings(ctx: SyncContext, page: _Page, listings: _Listings) -> None:
    """The completed, mapped activities of each answer, as reports to record."""
    for enrolment_id, listing in listings:
        if isinstance(listing, Exception):
            page.user_ids.pop(enrolment_id)
            ctx.fail_item(ITEM, enrolment_id, listing)
            continue
        page.results[enrolment_id] = ItemResult()
        for warning in listing.warnings:
            ctx.tally.warn(ITEM, enrolment_id, warning.code, warning.message)
        course_id = page.polled[enrolment_id].course_id
        activities = page.mapped[course_id]
        for completion in listing:
            page.note_unlisted(course_id, completion)
            lms_activity_id = completion.activity_id
            found = activities.get(str(lms_activity_id)) if lms_activity_id is not None else None
            if found is not None and completion.completed:
                page.reported.append(
                    ReportedCompletion(
                        enrolment_id=enrolment_id,
                        activity_id=found,
                        completed_at=completion.time_completed or utcnow(),
                    )
                )


def _record_activities(ctx: SyncContext, actor: Viewer, page: _Page) -> dict[int, EnrolmentStatus]:
    """Record the page's reports in one batch (or one by one if the batch fails); commit.

    Returns each recorded enrolment's status afterwards.
    """
    reported, page.reported = page.reported, []
    if not reported:
        return {}
    try:
        with ctx.session.begin_nested():
            outcome = record_activity_completions(
                ctx.session, actor=actor, reported=reported, only_underway=True
            )
    except Exception as exc:
        if ctx.failure_kind(exc) is not FailureKind.ITEM:
            raise
        outcome = _record_one_by_one(ctx, actor, page, reported)
    else:
        ctx.commit()
    for enrolment_id, error in outcome.rejected.items():
        page.results.pop(enrolment_id, None)
        ctx.fail_item(ITEM, enrolment_id, error)
    for enrolment_id, activity_ids in outcome.created.items():
        polled = page.polled[enrolment_id]
        for activity_id in activity_ids:
            page.results[enrolment_id].add(
                Change.CREATED, f"{polled.email} gennemførte {page.codes[activity_id]}"
            )
        # Only an enrolment underway gets new facts, so COMPLETED now means this batch did it.
        if outcome.status.get(enrolment_id) is EnrolmentStatus.COMPLETED:
            page.results[enrolment_id].add(
                Change.UPDATED, f"{polled.email} gennemførte {polled.course_code}"
            )
    for enrolment_id, activity_ids in outcome.before_run.items():
        who = page.polled[enrolment_id].email
        for activity_id in activity_ids:
            page.results[enrolment_id].add(
                Change.CREATED,
                f"{who} gennemførte {page.codes[activity_id]} før holdets start; "
                "registreret uden tilmelding",
            )
    return dict(outcome.status)


def _record_one_by_one(
    ctx: SyncContext, actor: Viewer, page: _Page, reported: list[ReportedCompletion]
) -> BatchOutcome:
    """Each enrolment's reports in a savepoint of its own, so only a bad one fails."""
    outcome = BatchOutcome()
    by_enrolment: dict[int, list[ReportedCompletion]] = defaultdict(list)
    for fact in reported:
        by_enrolment[fact.enrolment_id].append(fact)
    for enrolment_id, facts in by_enrolment.items():
        with ctx.item(ITEM, enrolment_id, count=False) as result:
            one = record_activity_completions(
                ctx.session, actor=actor, reported=facts, only_underway=True
            )
        if result.failed:
            page.results.pop(enrolment_id, None)
            continue
        outcome.created.update(one.created)
        outcome.before_run.update(one.before_run)
        outcome.rejected.update(one.rejected)
        outcome.status.update(one.status)
    return outcome


def _pull_course_completions(
    ctx: SyncContext, actor: Viewer, page: _Page, statuses: dict[int, EnrolmentStatus]
) -> None:
    """The course completion of every enrolment still underway after its activities."""
    for enrolment_id, user_id in page.user_ids.items():
        if enrolment_id not in page.results:
            continue
        if statuses.get(enrolment_id, ROLL_UP_STATUSES[0]) not in ROLL_UP_STATUSES:
            continue
        polled = page.polled[enrolment_id]
        try:
            completion = ctx.gateway.course_completion(
                course_id=polled.lms_course_id, user_id=user_id
            )
        except Exception as exc:
            page.results.pop(enrolment_id)
            ctx.fail_item(ITEM, enrolment_id, exc)
            continue
        if completion is None:
            continue
        for required in completion.required:
            page.note_unlisted(polled.course_id, required)
        if completion.completed:
            _record_course_completion(ctx, actor, page, polled, completion)


def _warn_unlisted(ctx: SyncContext, page: _Page) -> None:
    """Once a run per course: the LMS named activities its course contents did not list.

    The course pull links every activity the LMS lists in a course's contents,
    so an activity that completion data (an activity's status, or a criterion
    of the course's completion) names but no activity is linked to was missing
    from the contents at the last pull: new since, or hidden from the service
    account. Its completions cannot be recorded until the course pull links it.
    """
    codes = {p.course_id: p.course_code for p in page.polled.values()}
    for course_id, unlisted in sorted(page.unlisted.items()):
        new = {a: kind for a, kind in unlisted.items() if (course_id, a) not in page.warned}
        if not new:
            continue
        page.warned.update((course_id, a) for a in new)
        named = ", ".join(f"{a} ({kind})" if kind else str(a) for a, kind in sorted(new.items()))
        ctx.tally.warn(
            "kursus",
            codes[course_id],
            "lmsactivitiesunlisted",
            f"Kurset {codes[course_id]}: LMS'et nævner aktivitet(er) {named} i "
            "gennemførelsesdata, men de var ikke med i kursets indhold, da kurserne sidst blev "
            "hentet, så deres gennemførelser kan ikke registreres. "
            + ctx.gateway.unlisted_activities_advice(sorted(set(new.values()))),
        )
    page.unlisted.clear()


def _record_course_completion(
    ctx: SyncContext,
    actor: Viewer,
    page: _Page,
    polled: _Polled,
    completion: LmsCompletionRecord,
) -> None:
    completed_at = completion.time_completed or utcnow()
    if before_run_start(completed_at, polled.run_starts_at):
        # A fact, not a fault: e-learning done before the run's start (Moodle completes the
        # course at once with activity criteria). It does not count for this run (the rule
        # in completions.py), so the enrolment stays underway and each run says so again,
        # as a warning for HR rather than a failure that would leave every run PARTIAL.
        ctx.tally.warn(
            ITEM,
            polled.enrolment_id,
            "completedbeforerun",
            f"{polled.email} gennemførte {polled.course_code} i LMS'et før holdets start: "
            f"{before_run_start_message(completed_at, polled.run_starts_at)} "
            "Tilmeldingen er stadig i gang.",
        )
        return
    with ctx.item(ITEM, polled.enrolment_id, count=False) as result:
        recorded = record_completion(
            ctx.session,
            actor=actor,
            completed_at=completed_at,
            enrolment_id=polled.enrolment_id,
        )
        if recorded.created:
            result.add(Change.UPDATED, f"{polled.email} gennemførte {polled.course_code}")
    if result.failed:
        page.results.pop(polled.enrolment_id)
        return
    page.results[polled.enrolment_id].changes.extend(result.changes)
    page.results[polled.enrolment_id].notes.extend(result.notes)
