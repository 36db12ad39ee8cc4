"""Completion pull: the LMS's completion facts recorded in the catalogue.

For every enrolment holding a place on a course mapped to the LMS, the
person's activity completions are read and each completed, mapped activity is
recorded through ``services.completions.record_completion`` as the LMS
service account (source LMS), which rolls them up into the enrolment's status
and so into the leader's progress. A course the LMS itself reports completed
is recorded as a course completion too. Recording is idempotent there: a
completion seen twice counts once.

Enrolments are read and recorded a page at a time (``PAGE_SIZE``): the
page's LMS users are resolved in one lookup, its completion listings read
from the LMS (one call per enrolment, as Moodle's web services allow no
other), then everything the page reported is recorded in one short
transaction by ``services.completion_batches`` (a handful of statements,
whatever the page holds) and committed. Should that batch fail on one
enrolment's data, the page is recorded again one enrolment at a time, so only
that one fails. A run that stops midway (the LMS down, a budget spent) first
records what it had read. Course completions, for enrolments still underway
after their activities, are recorded one at a time: Moodle only reports them
for courses without activities in the catalogue's mirror, which are few.

Completion in Moodle arrives late (cron aggregates it), so a completion that is
not there yet is simply picked up by a later pull. A person who is not yet a
user in the LMS is not an error here: they are counted as unchanged with a
warning.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from catalogue.models import (
    Activity,
    Course,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    Person,
    Role,
)
from catalogue.models.base import utcnow
from catalogue.services.completion_batches import (
    BatchOutcome,
    ReportedCompletion,
    record_activity_completions,
)
from catalogue.services.completions import ROLL_UP_STATUSES, record_completion
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.lms_sync.context import ItemResult, SyncContext
from catalogue.services.lms_sync.port import FailureKind, LmsCompletionRecord
from catalogue.services.lms_sync.runs import Change
from catalogue.services.lms_sync.users import LmsUserNotFoundError, lms_user_ids

#: Enrolments read, polled and recorded together; one commit each.
PAGE_SIZE = 200
ITEM = "tilmelding"


@dataclass(frozen=True)
class _Polled:
    """An enrolment to poll, as plain values."""

    enrolment_id: int
    person_id: int
    email: str
    course_id: int
    course_code: str
    lms_course_id: int


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


def lms_service_account(ctx: SyncContext) -> Viewer:
    """The person the LMS acts as; completions are recorded in its name."""
    account = ctx.session.scalar(
        select(Person)
        .where(Person.is_lms.is_(True), Person.active.is_(True))
        .order_by(Person.id)
        .limit(1)
    )
    if account is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            "Der findes ingen aktiv servicekonto med rollen LMS; opret en, så "
            "gennemførelser fra LMS'et kan registreres i dens navn.",
        )
    return Viewer(person_id=account.id, email=account.email, roles=frozenset({Role.LMS}))


def pull_completions(ctx: SyncContext) -> None:
    actor = lms_service_account(ctx)
    after = 0
    while polled := _polled_page(ctx, after):
        after = polled[-1].enrolment_id
        page = _Page(polled={p.enrolment_id: p for p in polled})
        try:
            _read_activity_completions(ctx, page)
        except BaseException:
            _record_activities(ctx, actor, page)  # keep what was read before the run stopped
            raise
        statuses = _record_activities(ctx, actor, page)
        _pull_course_completions(ctx, actor, page, statuses)
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
    return [_Polled(e, p, email, c, code, int(lms or 0)) for e, p, email, c, code, lms in rows]


def _read_activity_completions(ctx: SyncContext, page: _Page) -> None:
    """Resolve the page's LMS users and read each enrolment's completed, mapped activities."""
    persons = ctx.session.scalars(
        select(Person).where(Person.id.in_(sorted({p.person_id for p in page.polled.values()})))
    ).all()
    users = lms_user_ids(ctx, persons)
    mapped: dict[int, dict[str, int]] = defaultdict(dict)
    for activity_id, course_id, module_id, code in ctx.session.execute(
        select(Activity.id, Activity.course_id, Activity.lms_module_id, Activity.code).where(
            Activity.course_id.in_(sorted({p.course_id for p in page.polled.values()})),
            Activity.lms_module_id.is_not(None),
        )
    ):
        mapped[course_id][str(module_id)] = activity_id
        page.codes[activity_id] = code
    for polled in page.polled.values():
        user = users[polled.person_id]
        if isinstance(user, LmsUserNotFoundError):
            ctx.tally.warn(ITEM, polled.enrolment_id, user.code.value, user.message)
            page.results[polled.enrolment_id] = ItemResult()
            continue
        if isinstance(user, Exception):
            ctx.fail_item(ITEM, polled.enrolment_id, user)
            continue
        try:
            listing = ctx.gateway.activity_completions(course_id=polled.lms_course_id, user_id=user)
        except Exception as exc:
            ctx.fail_item(ITEM, polled.enrolment_id, exc)
            continue
        page.user_ids[polled.enrolment_id] = user
        page.results[polled.enrolment_id] = ItemResult()
        for warning in listing.warnings:
            ctx.tally.warn(ITEM, polled.enrolment_id, warning.warningcode, warning.message)
        activities = mapped[polled.course_id]
        for completion in listing:
            cmid = completion.cmid
            found = activities.get(str(cmid)) if cmid is not None else None
            if found is not None and completion.completed:
                page.reported.append(
                    ReportedCompletion(
                        enrolment_id=polled.enrolment_id,
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
            outcome = record_activity_completions(ctx.session, actor=actor, reported=reported)
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
        who = page.polled[enrolment_id].email
        for activity_id in activity_ids:
            page.results[enrolment_id].add(
                Change.CREATED, f"{who} gennemførte {page.codes[activity_id]}"
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
            one = record_activity_completions(ctx.session, actor=actor, reported=facts)
        if result.failed:
            page.results.pop(enrolment_id, None)
            continue
        outcome.created.update(one.created)
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
        if completion is None or not completion.completed:
            continue
        _record_course_completion(ctx, actor, page, polled, completion)


def _record_course_completion(
    ctx: SyncContext,
    actor: Viewer,
    page: _Page,
    polled: _Polled,
    completion: LmsCompletionRecord,
) -> None:
    with ctx.item(ITEM, polled.enrolment_id, count=False) as result:
        recorded = record_completion(
            ctx.session,
            actor=actor,
            completed_at=completion.time_completed or utcnow(),
            enrolment_id=polled.enrolment_id,
        )
        if recorded.created:
            result.add(Change.UPDATED, f"{polled.email} gennemførte {polled.course_code}")
    if result.failed:
        page.results.pop(polled.enrolment_id)
        return
    page.results[polled.enrolment_id].changes.extend(result.changes)
    page.results[polled.enrolment_id].notes.extend(result.notes)
