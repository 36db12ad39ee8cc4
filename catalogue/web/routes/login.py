"""Logging in and out: the development picker, the identity provider, logout."""

from __future__ import annotations

from typing import Annotated

import httpx2
from authlib.integrations.base_client import OAuthError
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from catalogue.models import Person
from catalogue.models.base import utcnow
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.login_sessions import (
    DEV_METHOD,
    OIDC_METHOD,
    demo_people,
    end_session,
    person_for_dev_login,
    start_session,
)
from catalogue.services.tokens import viewer_from_claims
from catalogue.web.forms import FormDep, number, text
from catalogue.web.pages import PageRefusedError, Web, WebDep

router = APIRouter()

DEV_ONLY = (
    "Demo-login findes kun i udviklingsmiljøet (CATALOGUE_ENV=dev). Log ind med kommunens login."
)


PROVIDER_DOWN = (
    "Kommunens identitetsudbyder svarer ikke lige nu, så du er ikke logget ind. Prøv igen om lidt."
)


def safe_next(value: str | None) -> str:
    """Back to a page of ours only: a path, never another site (``//host``, ``/\\host``)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if len(value) > 500 or not value.isprintable():
        return "/"
    return value


def _logged_in(web: Web, token: str, next_path: str) -> RedirectResponse:
    response = RedirectResponse(safe_next(next_path), status_code=303)
    web.keys.set_session(response, token)
    web.keys.renew_csrf(web.request)
    return response


@router.get("/log-ind", response_class=HTMLResponse)
def login_page(web: WebDep, next: Annotated[str | None, Query()] = None) -> Response:
    if not web.keys.enabled:
        raise PageRefusedError(
            503,
            "Login er ikke sat op",
            "Webappens login mangler CATALOGUE_WEB_SESSION_SECRET; kontakt driften.",
        )
    people = demo_people(web.session) if web.settings.is_dev else []
    return web.render(
        "login.html",
        {
            "title": "Log ind",
            "people": people,
            "next": safe_next(next),
            "oidc": web.request.app.state.identity_provider is not None,
        },
    )


def _dev_only(request: Request) -> None:
    """Checked before the form is read: in production the picker does not exist at all."""
    if not request.app.state.settings.is_dev:
        raise PageRefusedError(403, "Demo-login er slået fra", DEV_ONLY)


@router.post("/log-ind/demo", dependencies=[Depends(_dev_only)])
def dev_login(web: WebDep, form: FormDep) -> Response:
    person_id = number(text(form, "person_id"))
    try:
        if person_id is None:
            raise DomainError(ErrorCode.INVALID, "Vælg, hvem du vil logge ind som.")
        person = person_for_dev_login(web.session, person_id)
        token = start_session(
            web.session, person=person, roles=person.roles, method=DEV_METHOD, now=utcnow()
        )
    except DomainError as error:
        web.session.rollback()
        return web.render(
            "login.html",
            {
                "title": "Log ind",
                "people": demo_people(web.session),
                "next": safe_next(text(form, "next")),
                "oidc": web.request.app.state.identity_provider is not None,
                "error": error.message,
            },
            status=400,
        )
    web.session.commit()
    return _logged_in(web, token, text(form, "next"))


@router.get("/log-ind/oidc")
async def oidc_start(request: Request, next: Annotated[str | None, Query()] = None) -> Response:
    provider = request.app.state.identity_provider
    if provider is None:
        raise PageRefusedError(
            404,
            "Kommunens login er ikke sat op",
            "Identitetsudbyderen er ikke sat op (CATALOGUE_OIDC_CLIENT_ID og "
            "CATALOGUE_OIDC_ISSUER).",
        )
    request.session["next"] = safe_next(next)
    redirect_uri = str(request.url_for("oidc_callback"))
    try:
        response: Response = await provider.authorize_redirect(request, redirect_uri)
    except httpx2.HTTPError:
        raise PageRefusedError(502, "Login mislykkedes", PROVIDER_DOWN) from None
    return response


@router.get("/log-ind/oidc/retur", name="oidc_callback")
async def oidc_callback(request: Request, web: WebDep) -> Response:
    provider = request.app.state.identity_provider
    if provider is None:
        raise PageRefusedError(
            404, "Kommunens login er ikke sat op", "Identitetsudbyderen er ikke sat op."
        )
    try:
        token = await provider.authorize_access_token(request)
    except OAuthError as error:
        # The provider's own words (error code) are kept out: they are English and technical.
        raise PageRefusedError(
            400,
            "Login mislykkedes",
            "Login hos identitetsudbyderen blev afbrudt eller kunne ikke bekræftes "
            f"({error.error}). Prøv at logge ind igen.",
        ) from None
    except httpx2.HTTPError:
        raise PageRefusedError(502, "Login mislykkedes", PROVIDER_DOWN) from None
    claims = dict(token.get("userinfo") or {})
    next_path = request.session.pop("next", "/")

    def _start() -> str:
        viewer = viewer_from_claims(web.session, web.settings, claims, local=False)
        person = web.session.get(Person, viewer.person_id)
        assert person is not None
        started = start_session(
            web.session, person=person, roles=viewer.roles, method=OIDC_METHOD, now=utcnow()
        )
        web.session.commit()
        return started

    try:
        session_token = await run_in_threadpool(_start)
    except DomainError as error:
        raise PageRefusedError(403, "Login mislykkedes", error.message) from None
    return _logged_in(web, session_token, next_path)


@router.post("/log-ud")
def logout(web: WebDep, form: FormDep) -> Response:
    token = web.keys.session_token(web.request)
    if token is not None:
        end_session(web.session, token, now=utcnow())
        web.session.commit()
    response = web.redirect("/", besked="logget-ud")
    web.keys.clear_session(response)
    web.keys.renew_csrf(web.request)
    return response
