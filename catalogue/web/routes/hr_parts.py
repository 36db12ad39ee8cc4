"""The parts of a course in HR's editor: activities, runs with their sessions, competence links.

Adding happens on the editor page; changing one part has a page of its own (one task per
page). Every route reads the form, calls one service function and renders or redirects.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from catalogue.models import Activity, CompetenceLink, CourseRun, LinkStrength
from catalogue.services import activity_admin, competence_links, run_admin
from catalogue.services.capabilities import Capability
from catalogue.services.errors import DomainError
from catalogue.web.forms import FormDep, number
from catalogue.web.hr_actions import change
from catalogue.web.hr_forms import (
    ACTIVITY_FIELDS,
    LINK_FIELDS,
    NEW_SESSION_ROWS,
    RUN_FIELDS,
    FormReader,
    activity_data,
    run_data,
    session_fields,
    strength,
)
from catalogue.web.hr_pages import (
    choices,
    decimal_text,
    done,
    hr_message,
    local_input,
    posted,
    render_editor,
)
from catalogue.web.pages import Web, WebDep, not_found
from catalogue.web.routes.hr_courses import course_id_of

router = APIRouter(prefix="/hr")


def _id(raw: str, what: str) -> int:
    found = number(raw)
    if found is None:
        raise not_found(f"{what} findes ikke.")
    return found


# --- activities ---------------------------------------------------------------------------


@router.post("/kurser/{course_id}/aktiviteter")
def add_activity(web: WebDep, form: FormDep, course_id: str) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    cid = course_id_of(course_id)
    reader = FormReader(form)
    data = activity_data(reader)
    outcome = change(
        web.session,
        lambda: activity_admin.create_activity(
            web.session, actor=viewer, course_id=cid, data=data, code=None
        ),
        fields=ACTIVITY_FIELDS,
        default="activity_title",
        read_errors=reader.errors,
    )
    if not outcome.ok:
        return render_editor(web, cid, errors=outcome.errors, values=posted(form), status=400)
    return done(web, f"/hr/kurser/{cid}", "aktivitet-oprettet", section="aktiviteter")


def _activity_page(
    web: Web, activity_id: int, values: Mapping[str, str], errors: Mapping[str, str], status: int
) -> Response:
    try:
        activity = activity_admin.get_activity(web.session, activity_id)
    except DomainError:
        raise not_found("Aktiviteten findes ikke.") from None
    shown = {
        "activity_title": activity.title,
        "activity_kind": activity.kind.value,
        "activity_required": "on" if activity.required else "",
        "activity_duration_hours": decimal_text(activity.duration_hours),
        "activity_position": str(activity.position),
        "activity_lms_module_id": activity.lms_module_id or "",
    } | dict(values)
    return web.render(
        "hr/activity.html",
        {
            "title": f"Rediger aktiviteten {activity.title}",
            "activity": activity,
            "v": shown,
            "errors": dict(errors),
            **choices(),
        },
        status=status,
    )


@router.get("/aktiviteter/{activity_id}", response_class=HTMLResponse)
def edit_activity(web: WebDep, activity_id: str) -> Response:
    web.require(Capability.CATALOGUE_CURATE)
    return _activity_page(web, _id(activity_id, "Aktiviteten"), {}, {}, 200)


@router.post("/aktiviteter/{activity_id}")
def update_activity(web: WebDep, form: FormDep, activity_id: str) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    aid = _id(activity_id, "Aktiviteten")
    reader = FormReader(form)
    data = activity_data(reader)
    outcome = change(
        web.session,
        lambda: activity_admin.update_activity(
            web.session, actor=viewer, activity_id=aid, data=data
        ),
        fields=ACTIVITY_FIELDS,
        default="activity_title",
        read_errors=reader.errors,
    )
    if not outcome.ok or outcome.value is None:
        return _activity_page(web, aid, posted(form), outcome.errors, 400)
    return done(
        web, f"/hr/kurser/{outcome.value.course_id}", "aktivitet-gemt", section="aktiviteter"
    )


@router.post("/aktiviteter/{activity_id}/arkiver")
def archive_activity(web: WebDep, form: FormDep, activity_id: str) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    aid = _id(activity_id, "Aktiviteten")
    outcome = change(
        web.session,
        lambda: activity_admin.archive_activity(web.session, actor=viewer, activity_id=aid),
        fields=ACTIVITY_FIELDS,
        default="activity_title",
    )
    if not outcome.ok or outcome.value is None:
        return _activity_page(web, aid, {}, outcome.errors, 400)
    return done(
        web, f"/hr/kurser/{outcome.value.course_id}", "aktivitet-arkiveret", section="aktiviteter"
    )


# --- runs ---------------------------------------------------------------------------------


@router.post("/kurser/{course_id}/hold")
def add_run(web: WebDep, form: FormDep, course_id: str) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    cid = course_id_of(course_id)
    reader = FormReader(form)
    data, _ = run_data(reader, with_sessions=False)
    outcome = change(
        web.session,
        lambda: run_admin.create_run(
            web.session, actor=viewer, course_id=cid, data=data, code=None
        ),
        fields=RUN_FIELDS,
        default="starts_at",
        read_errors=reader.errors,
    )
    if not outcome.ok or outcome.value is None:
        return render_editor(web, cid, errors=outcome.errors, values=posted(form), status=400)
    return done(web, f"/hr/hold/{outcome.value.id}", "hold-oprettet")


def _run_values(run: CourseRun) -> dict[str, str]:
    values = {
        "starts_at": local_input(run.starts_at),
        "ends_at": local_input(run.ends_at),
        "location": run.location or "",
        "online": "on" if run.online else "",
        "capacity": "" if run.capacity is None else str(run.capacity),
        "enrolment_deadline": local_input(run.enrolment_deadline),
        "approval_required": "on" if run.approval_required else "",
    }
    for index, item in enumerate(run.sessions):
        start = local_input(item.starts_at)
        values |= {
            f"session-{index}-id": str(item.id),
            f"session-{index}-day": start[:10],
            f"session-{index}-starts": start[11:],
            f"session-{index}-ends": local_input(item.ends_at)[11:],
            f"session-{index}-title": item.title or "",
            f"session-{index}-location": item.location or "",
        }
    return values


def _run_page(
    web: Web,
    run_id: int,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    status: int,
    message: str | None = None,
) -> Response:
    try:
        run = run_admin.get_run(web.session, run_id)
    except DomainError:
        raise not_found("Holdet findes ikke.") from None
    shown = _run_values(run) | dict(values)
    rows = number(shown.get("session_rows")) or len(run.sessions) + NEW_SESSION_ROWS
    return web.render(
        "hr/run.html",
        {
            "title": f"Hold på {run.course.title}",
            "run": run,
            "v": shown,
            "rows": range(min(rows, 101)),
            "errors": dict(errors),
            "message": message,
        },
        status=status,
    )


@router.get("/hold/{run_id}", response_class=HTMLResponse)
def edit_run(web: WebDep, run_id: str, besked: str | None = None) -> Response:
    web.require(Capability.CATALOGUE_CURATE)
    return _run_page(web, _id(run_id, "Holdet"), {}, {}, 200, hr_message(besked))


@router.post("/hold/{run_id}")
def update_run(web: WebDep, form: FormDep, run_id: str) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    rid = _id(run_id, "Holdet")
    reader = FormReader(form)
    data, rows = run_data(reader, with_sessions=True)
    outcome = change(
        web.session,
        lambda: run_admin.update_run(web.session, actor=viewer, run_id=rid, data=data),
        fields={**RUN_FIELDS, **session_fields(rows)},
        default="starts_at",
        read_errors=reader.errors,
    )
    if not outcome.ok or outcome.value is None:
        return _run_page(web, rid, posted(form), outcome.errors, 400)
    return done(web, f"/hr/kurser/{outcome.value.course_id}", "hold-gemt", section="hold")


@router.post("/hold/{run_id}/aflys")
def cancel_run(web: WebDep, form: FormDep, run_id: str) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    rid = _id(run_id, "Holdet")
    reader = FormReader(form)
    reason = reader.text("reason")
    outcome = change(
        web.session,
        lambda: run_admin.cancel_run(web.session, actor=viewer, run_id=rid, reason=reason or None),
        fields={**RUN_FIELDS, "reason": "reason"},
        default="reason",
        read_errors=reader.errors,
    )
    if not outcome.ok or outcome.value is None:
        return _run_page(web, rid, posted(form), outcome.errors, 400)
    return done(web, f"/hr/kurser/{outcome.value.run.course_id}", "hold-aflyst", section="hold")


# --- competence links ---------------------------------------------------------------------


@router.post("/kurser/{course_id}/koblinger")
def add_link(web: WebDep, form: FormDep, course_id: str) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    cid = course_id_of(course_id)
    reader = FormReader(form)
    key = reader.text("statement_key")
    target = reader.text("target").strip()
    activity_id = number(target) if target else None
    if target and activity_id is None:
        reader.errors["target"] = "Vælg kurset eller en af dets aktiviteter."
    elif activity_id is not None:
        # The choices are this course's activities; a forged id of another's is no choice.
        activity = web.session.get(Activity, activity_id)
        if activity is None or activity.course_id != cid:
            reader.errors["target"] = "Aktiviteten hører ikke til kurset."
    chosen = strength(reader)
    if chosen is None and "strength" not in reader.errors:
        reader.errors["strength"] = "Vælg, om koblingen er primær eller støttende."
    outcome = change(
        web.session,
        lambda: competence_links.create_link(
            web.session,
            actor=viewer,
            statement_key=key,
            course_id=None if activity_id else cid,
            activity_id=activity_id,
            strength=chosen or LinkStrength.SUPPORTING,
            rationale=reader.text("rationale"),
        ),
        fields={**LINK_FIELDS, "activityId": "target"},
        default="statement_key",
        read_errors=reader.errors,
    )
    if not outcome.ok:
        return render_editor(web, cid, errors=outcome.errors, values=posted(form), status=400)
    return done(web, f"/hr/kurser/{cid}", "kobling-oprettet", section="koblinger")


def _link_page(
    web: Web, link_id: int, values: Mapping[str, str], errors: Mapping[str, str], status: int
) -> Response:
    link = web.session.get(CompetenceLink, link_id)
    if link is None or link.removed_at is not None:
        raise not_found("Koblingen findes ikke (eller er fjernet).")
    course = link.course or (link.activity.course if link.activity else None)
    shown = {
        "strength": link.strength.value,
        "rationale": link.rationale,
        "expected_updated_at": link.updated_at.isoformat(),
    } | dict(values)
    return web.render(
        "hr/link.html",
        {
            "title": f"Kobling til {link.statement.key}",
            "link": link,
            "course": course,
            "v": shown,
            "errors": dict(errors),
            **choices(),
        },
        status=status,
    )


@router.get("/koblinger/{link_id}", response_class=HTMLResponse)
def edit_link(web: WebDep, link_id: str) -> Response:
    web.require(Capability.CATALOGUE_CURATE)
    return _link_page(web, _id(link_id, "Koblingen"), {}, {}, 200)


def _course_of_link(web: Web, link_id: int) -> int:
    link = web.session.get(CompetenceLink, link_id)
    if link is None:
        raise not_found("Koblingen findes ikke.")
    if link.course_id is not None:
        return link.course_id
    assert link.activity is not None
    return link.activity.course_id


@router.post("/koblinger/{link_id}")
def update_link(web: WebDep, form: FormDep, link_id: str) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    lid = _id(link_id, "Koblingen")
    reader = FormReader(form)
    chosen = strength(reader)
    expected = reader.stamp("expected_updated_at")
    rationale = reader.text("rationale")
    outcome = change(
        web.session,
        lambda: competence_links.update_link(
            web.session,
            actor=viewer,
            link_id=lid,
            strength=chosen,
            rationale=rationale,
            expected_updated_at=expected,
        ),
        fields=LINK_FIELDS,
        default="rationale",
        read_errors=reader.errors,
    )
    if not outcome.ok:
        return _link_page(web, lid, posted(form), outcome.errors, 400)
    return done(web, f"/hr/kurser/{_course_of_link(web, lid)}", "kobling-gemt", section="koblinger")


@router.post("/koblinger/{link_id}/fjern")
def remove_link(web: WebDep, form: FormDep, link_id: str) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    lid = _id(link_id, "Koblingen")
    course_id = _course_of_link(web, lid)
    outcome = change(
        web.session,
        lambda: competence_links.remove_link(web.session, actor=viewer, link_id=lid),
        fields=LINK_FIELDS,
        default="rationale",
    )
    if not outcome.ok:
        # Removed already (a second click): the link is gone, which is what was asked.
        return render_editor(web, course_id, errors=outcome.errors, status=400)
    return done(web, f"/hr/kurser/{course_id}", "kobling-fjernet", section="koblinger")
