"""Putting the web app into the FastAPI app: static assets, routes, cookies, error pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from catalogue.settings import Settings
from catalogue.web.oidc import HANDSHAKE_COOKIE, HANDSHAKE_MAX_AGE_SECONDS, identity_provider
from catalogue.web.pages import TEMPLATES, LoginRequiredError, PageRefusedError
from catalogue.web.routes import chef, hr_courses, hr_parts, hr_reports, leader, login
from catalogue.web.security import CsrfError, WebKeys

log = structlog.get_logger("catalogue.web")

WEB_DIR = Path(__file__).resolve().parent
#: The npm project (package.json, package-lock.json); ``make install`` runs ``npm ci`` there.
NODE_MODULES = WEB_DIR / "assets" / "node_modules"
#: URL prefix -> folder: the pinned packages' built files, and our own few.
STATIC_DIRS: dict[str, Path] = {
    "/static/dkfds": NODE_MODULES / "dkfds" / "dist",
    "/static/graphiql": NODE_MODULES / "graphiql",
    "/static/react": NODE_MODULES / "react",
    "/static/react-dom": NODE_MODULES / "react-dom",
    "/static/web": WEB_DIR / "static",
}


def graphiql_html() -> str:
    return (WEB_DIR / "templates" / "graphiql.html").read_text(encoding="utf-8")


def _refusal_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    """An error page without the database: the layout shows the logged-out menu."""
    from catalogue.web.navigation import menu_for

    return TEMPLATES.TemplateResponse(
        request,
        "refused.html",
        {
            "title": title,
            "message": message,
            "viewer": None,
            "viewer_person": None,
            "menu": menu_for(None, request.url.path),
            "csrf_field": "",
            "csrf_token": "",
            "is_dev": request.app.state.settings.is_dev,
        },
        status_code=status,
    )


#: Paths that are APIs, not pages: their refusals keep the JSON error shape.
API_PREFIXES = ("/graphql", "/calendar", "/static", "/healthz", "/readyz")


def browser_refusal(request: Request, status: int, message: str) -> Response | None:
    """A Danish error page for a browser asking for a page (a mistyped address); else None."""
    if request.url.path.startswith(API_PREFIXES):
        return None
    if "text/html" not in request.headers.get("accept", ""):
        return None
    title = "Siden findes ikke" if status == 404 else "Forespørgslen kan ikke besvares"
    return _refusal_page(request, status, title, message)


def install_web(app: FastAPI, settings: Settings) -> None:
    missing = [str(path) for path in STATIC_DIRS.values() if not path.is_dir()]
    if missing:
        log.warning("web.assets_missing", missing=missing, hint="make install (npm ci)")
    for prefix, folder in STATIC_DIRS.items():
        app.mount(prefix, StaticFiles(directory=folder, check_dir=False), name=prefix)

    keys = WebKeys(settings)
    app.state.web_keys = keys
    app.state.identity_provider = identity_provider(settings) if keys.enabled else None
    if app.state.identity_provider is not None:
        app.add_middleware(
            SessionMiddleware,
            secret_key=settings.web_secret() or "",
            session_cookie=HANDSHAKE_COOKIE,
            max_age=HANDSHAKE_MAX_AGE_SECONDS,
            same_site="lax",
            https_only=not settings.is_dev,
        )

    app.include_router(login.router)
    app.include_router(leader.router)
    app.include_router(chef.router)
    for hr_router in (hr_courses.router, hr_parts.router, hr_reports.router):
        app.include_router(hr_router)

    @app.middleware("http")
    async def csrf_cookie(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        keys.csrf_cookie(request, response)
        return response

    @app.exception_handler(LoginRequiredError)
    async def login_required(_request: Request, exc: LoginRequiredError) -> Response:
        return RedirectResponse(f"/log-ind?next={quote(exc.next_path)}", status_code=303)

    @app.exception_handler(PageRefusedError)
    async def refused(request: Request, exc: PageRefusedError) -> Response:
        return _refusal_page(request, exc.status, exc.title, exc.message)

    @app.exception_handler(CsrfError)
    async def csrf_refused(request: Request, _exc: CsrfError) -> Response:
        return _refusal_page(
            request,
            400,
            "Formularen kunne ikke sendes",
            "Formularen er for gammel eller kom ikke fra denne side, så intet er gemt. "
            "Gå tilbage, genindlæs siden og prøv igen.",
        )
