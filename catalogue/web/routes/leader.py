"""The leader's pages: start, the profile explorer, the catalogue, a course, own enrolments.

Each route reads its input, calls the services (through ``leader_views`` for reading),
and renders; a form that fails is shown again with what was typed and the service's
Danish message at the field, and a success redirects (post/redirect/get), so a reload
never sends it twice.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from catalogue.models import EnrolmentStatus
from catalogue.models.base import utcnow
from catalogue.services import enrolments
from catalogue.services.calendar import enrolment_calendar
from catalogue.services.capabilities import Capability
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.web import charts, leader_views
from catalogue.web.forms import FormDep, errors_by_field, number, text, texts
from catalogue.web.messages import message_for
from catalogue.web.pages import Web, WebDep, not_found
from catalogue.web.search_form import SERVICE_FIELDS, parse_search

router = APIRouter()

#: How many courses one search page lists.
SEARCH_PAGE_SIZE = 50
#: The enrol service's input names -> the course page form's fields.
ENROL_FIELDS = {
    "courseRunId": "run_id",
    "personId": "run_id",
    "motivation": "motivation",
    "focusStatementKeys": "focus",
}
ENROLLED_MESSAGE = {
    EnrolmentStatus.REQUESTED: "anmodet",
    EnrolmentStatus.WAITLISTED: "venteliste",
}


@router.get("/", response_class=HTMLResponse)
def start(web: WebDep, besked: str | None = None) -> Response:
    context = {"title": "Forside", "message": message_for(besked)}
    if web.viewer is None:
        view = leader_views.profile_view(web.session)
        return web.render(
            "welcome.html", {**context, "profile": view.profile, "fields": view.fields}
        )
    page = leader_views.start_page(web.session, web.viewer, now=utcnow())
    return web.render(
        "start.html",
        {**context, "page": page, "chart": charts.progress_bars(page.counts)},
    )


@router.get("/profil", response_class=HTMLResponse)
def explorer(web: WebDep) -> Response:
    page = leader_views.explorer_page(web.session, web.viewer)
    return web.render("explorer.html", {"title": "Kompetenceprofilen", "page": page})


@router.get("/kurser", response_class=HTMLResponse)
def search(web: WebDep, request: Request) -> Response:
    form = parse_search(request.query_params)
    results = None
    if form.criteria is not None:
        try:
            results = leader_views.search_results(
                web.session, web.viewer, form.criteria, limit=SEARCH_PAGE_SIZE, now=utcnow()
            )
        except DomainError as error:
            form.errors.update(errors_by_field(error, SERVICE_FIELDS, default="q"))
    return web.render(
        "search.html",
        {
            "title": "Kurser",
            "form": form,
            "results": results,
            "choices": leader_views.search_choices(web.session),
            "kinds": leader_views.COURSE_KINDS,
        },
        status=400 if form.errors else 200,
    )


def _course(
    web: Web,
    course_id: int,
    *,
    errors: dict[str, str] | None = None,
    typed: FormData | None = None,
    message: str | None = None,
) -> Response:
    page = leader_views.course_page(web.session, web.viewer, course_id, now=utcnow())
    if page is None:
        raise not_found("Kurset findes ikke, eller det er ikke udgivet.")
    return web.render(
        "course.html",
        {
            "title": page.course.title,
            "page": page,
            "errors": errors or {},
            "typed": {
                "run_id": text(typed, "run_id") if typed else "",
                "motivation": text(typed, "motivation") if typed else "",
                "focus": texts(typed, "focus") if typed else [],
            },
            "message": message,
        },
        status=400 if errors else 200,
    )


@router.get("/kurser/{course_id}", response_class=HTMLResponse)
def course(web: WebDep, course_id: str, besked: str | None = None) -> Response:
    number_id = number(course_id)
    if number_id is None:
        raise not_found("Kurset findes ikke.")
    return _course(web, number_id, message=message_for(besked))


@router.post("/kurser/{course_id}/tilmeld")
def enrol(web: WebDep, course_id: str, form: FormDep) -> Response:
    viewer = web.require(Capability.ENROLMENT_ENROL_SELF)
    number_id = number(course_id)
    if number_id is None:
        raise not_found("Kurset findes ikke.")
    run_id = number(text(form, "run_id"))
    try:
        if run_id is None or not leader_views.run_belongs_to(web.session, run_id, number_id):
            raise DomainError(ErrorCode.INVALID, "Vælg et af kursets hold.", field="courseRunId")
        enrolment = enrolments.enrol(
            web.session,
            actor=viewer,
            course_run_id=run_id,
            motivation=text(form, "motivation"),
            focus_statement_keys=texts(form, "focus"),
        )
        web.session.commit()
    except DomainError as error:
        web.session.rollback()
        errors = errors_by_field(error, ENROL_FIELDS, default="run_id")
        return _course(web, number_id, errors=errors, typed=form)
    key = ENROLLED_MESSAGE.get(enrolment.status, "tilmeldt")
    return web.redirect(f"/kurser/{number_id}", besked=key)


def _enrolments_page(
    web: Web, viewer: Viewer, *, message: str | None, error: str | None
) -> Response:
    return web.render(
        "enrolments.html",
        {
            "title": "Mine tilmeldinger",
            "enrolments": leader_views.my_enrolments(web.session, viewer),
            "withdrawable": leader_views.WITHDRAWABLE,
            "message": message,
            "error": error,
        },
        status=400 if error else 200,
    )


@router.get("/mine/tilmeldinger", response_class=HTMLResponse)
def my_enrolments(web: WebDep, besked: str | None = None) -> Response:
    viewer = web.require(Capability.PEOPLE_READ_SELF)
    return _enrolments_page(web, viewer, message=message_for(besked), error=None)


@router.post("/mine/tilmeldinger/{enrolment_id}/afmeld")
def withdraw(web: WebDep, enrolment_id: str, form: FormDep) -> Response:
    viewer = web.require(Capability.ENROLMENT_ENROL_SELF)
    number_id = number(enrolment_id)
    try:
        if number_id is None:
            raise DomainError(ErrorCode.NOT_FOUND, "Tilmeldingen findes ikke.")
        enrolments.visible_enrolment(web.session, viewer, number_id)
        enrolments.withdraw(web.session, actor=viewer, enrolment_id=number_id)
        web.session.commit()
    except DomainError as error:
        web.session.rollback()
        return _enrolments_page(web, viewer, message=None, error=error.message)
    return web.redirect("/mine/tilmeldinger", besked="afmeldt")


@router.get("/mine/tilmeldinger/{enrolment_id}.ics")
def calendar_file(web: WebDep, enrolment_id: str) -> Response:
    viewer = web.require(Capability.PEOPLE_READ_SELF)
    number_id = number(enrolment_id)
    try:
        if number_id is None:
            raise DomainError(ErrorCode.NOT_FOUND, "Tilmeldingen findes ikke.")
        enrolment = enrolments.visible_enrolment(web.session, viewer, number_id)
    except DomainError as error:
        raise not_found(error.message) from None
    run = enrolment.course_run
    return Response(
        content=enrolment_calendar(enrolment, run, run.course, run.sessions),
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{run.code}.ics"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/mine/fremskridt", response_class=HTMLResponse)
def my_progress(web: WebDep) -> Response:
    viewer = web.require(Capability.PEOPLE_READ_SELF)
    page = leader_views.progress_page(web.session, viewer.person_id)
    return web.render(
        "progress.html",
        {"title": "Mit fremskridt", "page": page, "chart": charts.progress_bars(page.counts)},
    )
