"""The chef's pages: the team's progress, the approvals queue, a team member."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from catalogue.services import enrolments
from catalogue.services.capabilities import Capability
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.web import charts, chef_views
from catalogue.web.forms import FormDep, number, text
from catalogue.web.messages import message_for
from catalogue.web.pages import Web, WebDep, not_found

router = APIRouter()


@router.get("/team", response_class=HTMLResponse)
def team(web: WebDep) -> Response:
    viewer = web.require(Capability.PEOPLE_READ_SUBTREE)
    page = chef_views.team_page(web.session, viewer)
    return web.render(
        "team.html",
        {
            "title": "Mit team",
            "page": page,
            "heatmap": charts.heatmap(page.field_keys, page.heatmap_rows()),
        },
    )


@router.get("/team/{person_id}", response_class=HTMLResponse)
def member(web: WebDep, person_id: str) -> Response:
    viewer = web.require(Capability.PEOPLE_READ_SUBTREE)
    number_id = number(person_id)
    page = chef_views.member_page(web.session, viewer, number_id) if number_id else None
    if page is None:
        raise not_found("Personen findes ikke i dit team.")
    return web.render(
        "member.html",
        {
            "title": page.person.name,
            "page": page,
            "chart": charts.progress_bars(page.counts),
        },
    )


def _queue(
    web: Web,
    viewer: Viewer,
    *,
    message: str | None = None,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    return web.render(
        "approvals.html",
        {
            "title": "Godkendelser",
            "queue": chef_views.approvals_queue(web.session, viewer),
            "message": message,
            "errors": errors or {},
            "typed": typed or {},
        },
        status=400 if errors else 200,
    )


@router.get("/godkendelser", response_class=HTMLResponse)
def approvals(web: WebDep, besked: str | None = None) -> Response:
    viewer = web.require(Capability.ENROLMENT_APPROVE_SUBTREE)
    return _queue(web, viewer, message=message_for(besked))


def _enrolment_id(raw: str) -> int:
    number_id = number(raw)
    if number_id is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Tilmeldingen findes ikke.")
    return number_id


@router.post("/godkendelser/{enrolment_id}/godkend")
def approve(web: WebDep, enrolment_id: str, form: FormDep) -> Response:
    viewer = web.require(Capability.ENROLMENT_APPROVE_SUBTREE)
    try:
        enrolments.approve(web.session, actor=viewer, enrolment_id=_enrolment_id(enrolment_id))
        web.session.commit()
    except DomainError as error:
        web.session.rollback()
        return _queue(web, viewer, errors={"queue": error.message})
    return web.redirect("/godkendelser", besked="godkendt")


@router.post("/godkendelser/{enrolment_id}/afvis")
def reject(web: WebDep, enrolment_id: str, form: FormDep) -> Response:
    viewer = web.require(Capability.ENROLMENT_APPROVE_SUBTREE)
    reason = text(form, "reason")
    field = f"reason-{enrolment_id}" if number(enrolment_id) else "queue"
    try:
        enrolments.reject(
            web.session, actor=viewer, enrolment_id=_enrolment_id(enrolment_id), reason=reason
        )
        web.session.commit()
    except DomainError as error:
        web.session.rollback()
        where = field if error.field == "reason" else "queue"
        return _queue(web, viewer, errors={where: error.message}, typed={field: reason})
    return web.redirect("/godkendelser", besked="afvist")
