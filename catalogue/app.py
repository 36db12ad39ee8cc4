"""FastAPI app factory: the web app at /, /graphql (GraphiQL in development), /healthz, /readyz."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Annotated

import structlog
from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from catalogue.calendar_routes import router as calendar_router
from catalogue.db import make_engine, make_session_factory
from catalogue.dialogue_routes import router as dialogue_router
from catalogue.evaluation_routes import router as evaluation_router
from catalogue.graphql.context import Context
from catalogue.graphql.core.masking import masked_message
from catalogue.graphql.core.router import CatalogueGraphQLRouter
from catalogue.graphql.schema import build_schema
from catalogue.health import readiness
from catalogue.http_errors import MESSAGE_BY_STATUS, error_response
from catalogue.http_limits import RequestSizeLimit, body_too_large
from catalogue.logging_setup import configure_logging
from catalogue.lti.mount import install_lti
from catalogue.scim.errors import ScimError
from catalogue.scim.errors import error_response as scim_error_response
from catalogue.scim.router import PREFIX as SCIM_PREFIX
from catalogue.scim.router import router as scim_router
from catalogue.services.errors import ErrorCode
from catalogue.services.idp_keys import IdentityProviderKeys
from catalogue.services.tokens import AuthenticationError, viewer_from_token
from catalogue.settings import Settings, get_settings
from catalogue.web.mount import browser_refusal, graphiql_html, install_web

log = structlog.get_logger("catalogue.http")


async def _admitted(request: Request) -> AsyncIterator[None]:
    """Admit no more requests than the connection pool can serve at once.

    Each admitted request executes in a worker thread with a session of its own
    (``core.router``). Letting in more than the pool holds would only park the
    extra threads waiting for a connection; waiting here is an await, which
    blocks nobody and keeps the number of threads bounded.
    """
    async with request.app.state.admission:
        yield


def _session(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


AdmittedDep = Annotated[None, Depends(_admitted)]
SessionDep = Annotated[Session, Depends(_session)]


def _internal_error(request: Request, request_id: str) -> Response:
    if request.url.path.startswith(SCIM_PREFIX):
        return scim_error_response(ScimError(500, masked_message(request_id)))
    return error_response(
        500,
        masked_message(request_id),
        headers={"X-Request-ID": request_id},
        graphql=request.url.path.startswith("/graphql"),
        extensions={"requestId": request_id},
    )


def create_app(
    settings: Settings | None = None,
    engine: Engine | None = None,
    session_factory: sessionmaker[Session] | None = None,
) -> FastAPI:
    """Build the app; tests pass their own engine and session factory."""
    settings = settings or get_settings()
    configure_logging(
        level=settings.log_level, json=settings.log_json, secrets=settings.secret_values()
    )
    engine = engine or make_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        statement_timeout=settings.request_time_budget,
    )
    app = FastAPI(title="Kompetencekatalog", docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = session_factory or make_session_factory(engine)

    app.state.admission = asyncio.Semaphore(settings.db_pool_size + settings.db_max_overflow)
    app.state.idp_keys = idp_keys = IdentityProviderKeys.from_settings(settings)

    async def context_getter(
        request: Request, _admitted: AdmittedDep, session: SessionDep
    ) -> Context:
        header = request.headers.get("authorization")
        viewer = None
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise AuthenticationError(
                    "Authorization-headeren skal have formen 'Bearer <token>'."
                )
            if idp_keys is not None:
                await idp_keys.prepare(token.strip())
            # A database read: off the event loop, like the execution itself.
            viewer = await run_in_threadpool(
                viewer_from_token, session, settings, token.strip(), idp_keys=idp_keys
            )
            structlog.contextvars.bind_contextvars(person_id=viewer.person_id)
        return Context(session=session, settings=settings, viewer=viewer)

    graphql_app = CatalogueGraphQLRouter(
        build_schema(settings),
        context_getter=context_getter,
        graphql_ide="graphiql" if settings.is_dev else None,
    )
    graphql_app.local_ide_html = graphiql_html() if settings.is_dev else None
    app.include_router(graphql_app, prefix="/graphql")
    app.include_router(calendar_router)
    app.include_router(scim_router)

    @app.exception_handler(ScimError)
    async def scim_refusal(_request: Request, exc: ScimError) -> Response:
        """Every /scim/v2 failure as a SCIM Error body (RFC 7644 §3.12)."""
        return scim_error_response(exc)

    app.include_router(evaluation_router)
    app.include_router(dialogue_router)
    install_web(app, settings)
    install_lti(app, settings)

    @app.exception_handler(AuthenticationError)
    async def unauthenticated(request: Request, exc: AuthenticationError) -> JSONResponse:
        """A bad token fails the whole request, GraphQL-shaped, before anything runs.

        A valid token of someone with no role here is 403: who they are is known.
        """
        forbidden = exc.code is ErrorCode.FORBIDDEN
        return error_response(
            403 if forbidden else 401,
            exc.message,
            headers={
                "WWW-Authenticate": 'Bearer error="insufficient_scope"'
                if forbidden
                else 'Bearer error="invalid_token"'
            },
            graphql=request.url.path.startswith("/graphql"),  # only there a GraphQL result
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_refusal(request: Request, exc: StarletteHTTPException) -> Response:
        """No such path, or a method the path does not take: the one error shape, in Danish
        (a page of the web app's for a browser that asked for one)."""
        message = MESSAGE_BY_STATUS.get(exc.status_code, "Forespørgslen kan ikke besvares.")
        page = browser_refusal(request, exc.status_code, message)
        if page is not None:
            return page
        return error_response(
            exc.status_code, message, headers=dict(exc.headers) if exc.headers else None
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        """A path or query parameter FastAPI refused: 400, GraphQL-shaped, naming the place."""
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        return error_response(400, f"Ugyldig forespørgsel ({problems}).")

    @app.middleware("http")
    async def request_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        rid = request.headers.get("x-request-id") or uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=rid)
        try:
            response = await call_next(request)
        except Exception as exc:
            if body_too_large(exc):
                raise  # the size limit outside answers it with 413
            # Logged here, with the request id and through the redacting formatter, and
            # answered with that id rather than left to the server's own traceback.
            log.exception("request.failed", method=request.method, path=request.url.path)
            response = _internal_error(request, rid)
        response.headers["X-Request-ID"] = rid
        log.info(
            "request",
            method=request.method,
            path=request.url.path,
            status=response.status_code,
        )
        return response

    # Outermost: an oversized request is refused before any other layer reads it.
    app.add_middleware(
        RequestSizeLimit,
        max_body_bytes=settings.max_request_body_bytes,
        max_header_bytes=settings.max_request_header_bytes,
    )

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        """The process is alive; says nothing about its dependencies."""
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz() -> JSONResponse:
        checks = readiness(engine, settings.redis_url)
        ok = all(check.ok for check in checks)
        return JSONResponse(
            status_code=200 if ok else 503,
            content={
                "status": "ok" if ok else "unavailable",
                "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks},
            },
        )

    return app
