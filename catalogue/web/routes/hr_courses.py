"""HR's courses: the list (drafts, published, archived), a new course, the editor's own fields,
publishing and archiving. Each route reads the form, calls one service and renders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from catalogue.models import CourseStatus
from catalogue.services import course_admin
from catalogue.services.capabilities import Capability
from catalogue.services.errors import DomainError
from catalogue.web.forms import FormDep, errors_by_field, number, text
from catalogue.web.hr_actions import change
from catalogue.web.hr_forms import COURSE_FIELDS, FormReader, course_data
from catalogue.web.hr_pages import (
    STATUS_LABELS,
    choices,
    course_values,
    done,
    hr_message,
    posted,
    render_editor,
)
from catalogue.web.hr_views import courses_page
from catalogue.web.pages import WebDep, not_found
from catalogue.web.routes.login import safe_next

router = APIRouter(prefix="/hr")


def course_id_of(raw: str) -> int:
    found = number(raw)
    if found is None:
        raise not_found("Kurset findes ikke.")
    return found


@router.get("/kurser", response_class=HTMLResponse)
def courses(
    web: WebDep,
    status: Annotated[list[str] | None, Query()] = None,
    q: str = "",
    side: str = "1",
    besked: str | None = None,
) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    wanted = [CourseStatus(s) for s in (status or []) if s in CourseStatus.__members__]
    errors: dict[str, str] = {}
    if "\x00" in q:
        errors["q"] = "Søgeteksten må ikke indeholde NUL-tegnet (U+0000)."
        q = q.replace("\x00", "")
    try:
        page = courses_page(
            web.session, viewer, statuses=wanted, search=q or None, page=number(side) or 1
        )
    except DomainError as error:
        errors.update(errors_by_field(error, {"filter.search": "q"}, default="q"))
        page = courses_page(web.session, viewer, statuses=wanted, search=None, page=1)
    return web.render(
        "hr/courses.html",
        {
            "title": "Kurser (HR)",
            "page": page,
            "wanted": [s.value for s in wanted],
            "q": q,
            "errors": errors,
            "message": hr_message(besked),
            "status_labels": STATUS_LABELS,
        },
        status=400 if errors else 200,
    )


def _new_course_form(
    web: WebDep, values: dict[str, str], errors: dict[str, str], status: int
) -> Response:
    return web.render(
        "hr/course_new.html",
        {"title": "Nyt kursus", "v": values, "errors": errors, **choices()},
        status=status,
    )


@router.get("/kurser/nyt", response_class=HTMLResponse)
def new_course(web: WebDep) -> Response:
    web.require(Capability.CATALOGUE_CURATE)
    return _new_course_form(web, course_values(None), {}, 200)


@router.post("/kurser/nyt")
def create_course(web: WebDep, form: FormDep) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    reader = FormReader(form)
    data = course_data(reader)
    outcome = change(
        web.session,
        lambda: course_admin.create_course(web.session, actor=viewer, data=data, code=None),
        fields=COURSE_FIELDS,
        default="title",
        read_errors=reader.errors,
    )
    if not outcome.ok or outcome.value is None:
        return _new_course_form(web, posted(form), outcome.errors, 400)
    return done(web, f"/hr/kurser/{outcome.value.id}", "kursus-oprettet")


@router.get("/kurser/{course_id}", response_class=HTMLResponse)
def editor(web: WebDep, course_id: str, besked: str | None = None) -> Response:
    return render_editor(web, course_id_of(course_id), message=hr_message(besked))


@router.post("/kurser/{course_id}")
def update_course(web: WebDep, form: FormDep, course_id: str) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    cid = course_id_of(course_id)
    reader = FormReader(form)
    data = course_data(reader)
    expected = reader.stamp("expected_updated_at")
    outcome = change(
        web.session,
        lambda: course_admin.update_course(
            web.session, actor=viewer, course_id=cid, data=data, expected_updated_at=expected
        ),
        fields=COURSE_FIELDS,
        default="title",
        read_errors=reader.errors,
    )
    if not outcome.ok:
        # The stamp stays the one the editor read: saving again must not overwrite the other's.
        return render_editor(web, cid, errors=outcome.errors, values=posted(form), status=400)
    return done(web, f"/hr/kurser/{cid}", "kursus-gemt")


@router.post("/kurser/{course_id}/udgiv")
def publish(web: WebDep, form: FormDep, course_id: str) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    cid = course_id_of(course_id)
    outcome = change(
        web.session,
        lambda: course_admin.publish_course(web.session, actor=viewer, course_id=cid),
        fields=COURSE_FIELDS,
        default="status",
    )
    if not outcome.ok:
        return render_editor(web, cid, errors=outcome.errors, status=400)
    return done(web, _back(form, cid), "udgivet")


@router.post("/kurser/{course_id}/arkiver")
def archive(web: WebDep, form: FormDep, course_id: str) -> Response:
    viewer = web.require(Capability.CATALOGUE_CURATE)
    cid = course_id_of(course_id)
    reader = FormReader(form)
    reason = reader.text("reason")
    outcome = change(
        web.session,
        lambda: course_admin.archive_course(
            web.session, actor=viewer, course_id=cid, reason=reason or None
        ),
        fields={**COURSE_FIELDS, "id": "reason"},
        default="reason",
        read_errors=reader.errors,
    )
    if not outcome.ok:
        return render_editor(web, cid, errors=outcome.errors, values=posted(form), status=400)
    return done(web, _back(form, cid), "arkiveret")


def _back(form: FormData, course_id: int) -> str:
    """Back to the list the button was pressed on (its filters kept), else to the editor."""
    back = text(form, "next")
    return safe_next(back) if back.startswith("/hr/kurser") else f"/hr/kurser/{course_id}"
