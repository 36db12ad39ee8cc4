"""The leader's pages: start, the profile explorer, the catalogue, a course, own enrolments."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from catalogue.models.base import utcnow
from catalogue.web import charts, leader_views
from catalogue.web.messages import message_for
from catalogue.web.pages import WebDep

router = APIRouter()


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
