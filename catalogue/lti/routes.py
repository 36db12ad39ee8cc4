"""The LTI tool's endpoints: login initiation, launch, and the tool's public keys.

Thin: pylti1p3 (through ``adapter``) checks the protocol — the platform registered, the
``id_token`` signed by its JWKS key, not expired, addressed to our client id, its nonce
ours and unused, the state cookie matching, the deployment known — and the services
say who the person is. A refused launch is a Danish page naming what was wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pylti1p3.exception import LtiException, OIDCException
from starlette.concurrency import run_in_threadpool

from catalogue.lti.adapter import (
    DatabaseToolConf,
    StarletteLtiRequest,
    StarletteMessageLaunch,
    StarletteOidcLogin,
)
from catalogue.lti.messages import danish_refusal
from catalogue.models.base import utcnow
from catalogue.services.errors import DomainError
from catalogue.services.login_sessions import LTI_METHOD, PEOPLE_ROLES, start_session
from catalogue.services.lti_keys import ToolKey
from catalogue.services.lti_launch import person_for_launch
from catalogue.web.pages import PageRefusedError
from catalogue.web.routes.login import safe_next
from catalogue.web.security import WebKeys

log = structlog.get_logger("catalogue.lti")
router = APIRouter()

#: Most parameters (and bytes in one) an LTI login or launch request may carry.
MAX_PARAMS = 50
MAX_PARAM_LENGTH = 20_000


def _tool_key(request: Request) -> ToolKey:
    key: ToolKey | None = request.app.state.lti_tool_key
    if key is None:
        raise PageRefusedError(
            503,
            "LTI er ikke sat op",
            "Kataloget er ikke sat op som LTI-værktøj (CATALOGUE_LTI_PRIVATE_KEY mangler); "
            "kontakt driften.",
        )
    return key


async def _lti_request(request: Request) -> StarletteLtiRequest:
    params: dict[str, str] = {}
    sources: list[Any] = [request.query_params]
    if request.method == "POST":
        sources.append(await request.form(max_files=0, max_fields=MAX_PARAMS))
    for source in sources:
        for key, value in source.multi_items():
            if not isinstance(value, str) or len(params) >= MAX_PARAMS:
                continue
            if len(value) > MAX_PARAM_LENGTH or "\x00" in value:
                raise PageRefusedError(
                    400,
                    "LTI-forespørgslen kan ikke læses",
                    f"Feltet {key[:50]!r} er for langt eller rummer kontroltegn.",
                )
            params[key] = value
    secure = request.url.scheme == "https"
    return StarletteLtiRequest(params, request.cookies, secure=secure)


def _launch_url(request: Request) -> str:
    return str(request.url_for("lti_launch"))


@router.api_route("/lti/login", methods=["GET", "POST"], name="lti_login")
async def login_initiation(request: Request) -> Response:
    """Third-party initiated login: the platform names the user; we send it our nonce."""
    key = _tool_key(request)
    lti_request = await _lti_request(request)
    launch_url = _launch_url(request)

    def _redirect() -> Response:
        with request.app.state.session_factory() as session:
            conf = DatabaseToolConf(session, key)
            login = StarletteOidcLogin(lti_request, conf, session)
            response: Response = login.redirect(launch_url)
            session.commit()
            return response

    try:
        return await run_in_threadpool(_redirect)
    except (OIDCException, LtiException) as error:
        log.info("lti.login_refused", reason=str(error)[:200])
        raise danish_refusal(error) from None


@router.post("/lti/launch", name="lti_launch")
async def launch(request: Request) -> Response:
    """The platform's form post with the ``id_token``: validated, then a web session."""
    key = _tool_key(request)
    keys: WebKeys = request.app.state.web_keys
    lti_request = await _lti_request(request)

    def _start() -> tuple[str, str]:
        with request.app.state.session_factory() as session:
            conf = DatabaseToolConf(session, key)
            message = StarletteMessageLaunch(lti_request, conf, session)
            try:
                claims = message.get_launch_data()
            finally:
                session.commit()  # the nonce stays used even when a later check fails
            assert conf.platform is not None
            person = person_for_launch(session, conf.platform, claims)
            token = start_session(
                session,
                person=person,
                roles=person.roles & set(PEOPLE_ROLES),
                method=LTI_METHOD,
                now=utcnow(),
            )
            session.commit()
            return token, _target_path(request, claims)

    try:
        token, target = await run_in_threadpool(_start)
    except (OIDCException, LtiException) as error:
        log.info("lti.launch_refused", reason=str(error)[:200])
        raise danish_refusal(error) from None
    except DomainError as error:
        raise PageRefusedError(403, "Du er ikke logget ind", error.message) from None
    response = Response(status_code=303, headers={"Location": target})
    keys.set_session(response, token, framed=lti_request.is_secure())
    keys.renew_csrf(request)
    return response


def _target_path(request: Request, claims: Mapping[str, Any]) -> str:
    """Where the launch goes: the target link's path when it is on this site, else home."""
    target = claims.get("https://purl.imsglobal.org/spec/lti/claim/target_link_uri")
    if not isinstance(target, str):
        return "/"
    parts = urlsplit(target)
    if parts.netloc and parts.netloc != request.url.netloc:
        return "/"
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return "/" if path.startswith("/lti/") else safe_next(path)


@router.get("/.well-known/jwks.json", name="lti_jwks")
def jwks(request: Request) -> Response:
    """The tool's public key, which platforms check our deep-linking responses with."""
    key = _tool_key(request)
    return JSONResponse(key.jwks(), headers={"Cache-Control": "public, max-age=3600"})
