"""What every route shares: the session, the viewer, rendering a page, refusing one.

``Web`` is the one dependency a route takes: the database session, the viewer behind
the session cookie (None when logged out) and the means to render a template with the
layout's needs (menu, CSRF token, the viewer's name). Refusals are pages too, in Danish,
with the HTTP status that fits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from catalogue.models import Person
from catalogue.models.base import utcnow
from catalogue.services.capabilities import Capability
from catalogue.services.identity import Viewer
from catalogue.services.login_sessions import SessionLimits, viewer_for_session
from catalogue.settings import Settings
from catalogue.web import formatting
from catalogue.web.navigation import menu_for
from catalogue.web.security import CSRF_FIELD, WebKeys

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.filters.update(formatting.FILTERS)
TEMPLATES.env.globals.update(formatting.GLOBALS)


class LoginRequiredError(Exception):
    """The page is about the viewer's own data; the handler sends them to log in."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class PageRefusedError(Exception):
    """A page the viewer may not see, or one that does not exist: a Danish error page."""

    def __init__(self, status: int, title: str, message: str) -> None:
        self.status = status
        self.title = title
        self.message = message


def not_found(message: str = "Siden findes ikke.") -> PageRefusedError:
    return PageRefusedError(404, "Siden findes ikke", message)


@dataclass
class Web:
    request: Request
    session: Session
    viewer: Viewer | None
    settings: Settings
    keys: WebKeys

    def person(self) -> Person | None:
        return self.session.get(Person, self.viewer.person_id) if self.viewer else None

    def require_login(self) -> Viewer:
        if self.viewer is None:
            raise LoginRequiredError(self.request.url.path)
        return self.viewer

    def require(self, capability: Capability) -> Viewer:
        """The viewer, when logged in and granted ``capability``; else a refusal page."""
        viewer = self.require_login()
        if not viewer.can(capability):
            raise PageRefusedError(
                403,
                "Ingen adgang",
                "Din rolle giver ikke adgang til denne side.",
            )
        return viewer

    def render(
        self, template: str, context: Mapping[str, Any] | None = None, *, status: int = 200
    ) -> HTMLResponse:
        page: dict[str, Any] = {
            "viewer": self.viewer,
            "viewer_person": self.person(),
            "menu": menu_for(self.viewer, self.request.url.path),
            "csrf_field": CSRF_FIELD,
            "csrf_token": self.keys.csrf_token(self.request),
            "is_dev": self.settings.is_dev,
        }
        page.update(context or {})
        response = TEMPLATES.TemplateResponse(self.request, template, page, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        return response

    def redirect(self, path: str, **message: str) -> RedirectResponse:
        """Post/redirect/get: a form's success goes to a page, with a message key if any."""
        if message:
            path += ("&" if "?" in path else "?") + "&".join(
                f"{key}={quote(value)}" for key, value in message.items()
            )
        return RedirectResponse(path, status_code=303)


def _session(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


def _web(request: Request, session: Annotated[Session, Depends(_session)]) -> Web:
    keys: WebKeys = request.app.state.web_keys
    settings: Settings = request.app.state.settings
    viewer = None
    token = keys.session_token(request)
    if token is not None:
        limits = SessionLimits(
            idle=timedelta(minutes=settings.web_session_idle_minutes),
            lifetime=timedelta(hours=settings.web_session_max_hours),
        )
        viewer = viewer_for_session(session, token, limits=limits, now=utcnow())
        session.commit()  # the touch of last_seen_at, or the end of an expired session
    return Web(request=request, session=session, viewer=viewer, settings=settings, keys=keys)


WebDep = Annotated[Web, Depends(_web)]
