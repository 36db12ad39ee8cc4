"""The /scim/v2 routes: authenticate, read the request, call one adapter function, answer.

Every route runs in one transaction (committed on success, rolled back on any
error, so a refused request leaves nothing half-written) and answers in
``application/scim+json``; every failure is a SCIM Error body. The provisioning
client's bearer token is compared with ``CATALOGUE_SCIM_TOKEN`` in constant time
and never logged; people's tokens are not accepted here.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Depends, Request
from scim2_models import (
    Context,
    Group,
    ListResponse,
    ResourceType,
    ResponseParameters,
    Schema,
    SearchRequest,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from catalogue.models.base import utcnow
from catalogue.scim import discovery, groups, users
from catalogue.scim.discovery import ScimUser
from catalogue.scim.errors import ScimError, from_domain, scim_response
from catalogue.scim.requests import json_body, validate
from catalogue.services.errors import DomainError
from catalogue.settings import Settings

PREFIX = "/scim/v2"


def _authenticate(request: Request) -> None:
    settings: Settings = request.app.state.settings
    if settings.scim_token is None:
        raise ScimError(
            401, "SCIM-provisionering er ikke slået til (CATALOGUE_SCIM_TOKEN er ikke sat)."
        )
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ScimError(401, "Authorization-headeren skal have formen 'Bearer <token>'.")
    expected = hashlib.sha256(settings.scim_token.get_secret_value().encode()).digest()
    given = hashlib.sha256(token.strip().encode("utf-8", "replace")).digest()
    if not hmac.compare_digest(expected, given):
        raise ScimError(401, "Provisioneringstokenet er forkert.")


router = APIRouter(prefix=PREFIX, dependencies=[Depends(_authenticate)])


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + PREFIX


@contextmanager
def _transaction(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


async def _run(request: Request, work: Callable[[Session], Response]) -> Response:
    """``work`` in a worker thread, in one transaction; domain errors as SCIM errors."""

    def job() -> Response:
        try:
            with _transaction(request) as session:
                return work(session)
        except DomainError as exc:
            raise from_domain(exc) from exc

    return await run_in_threadpool(job)


def _parameters(attributes: str | None, excluded: str | None) -> ResponseParameters[Any] | None:
    if not attributes and not excluded:
        return None
    try:
        return ResponseParameters.model_validate(
            {"attributes": attributes, "excludedAttributes": excluded}
        )
    except ValueError as exc:
        raise ScimError(
            400, f"attributes/excludedAttributes kan ikke læses: {exc}", "invalidValue"
        ) from exc


def _dump(
    resource: Any, context: Context, parameters: ResponseParameters[Any] | None
) -> dict[str, Any]:
    dumped: dict[str, Any] = resource.model_dump(scim_ctx=context, response_parameters=parameters)
    return dumped


# --- discovery ------------------------------------------------------------------------------


@router.get("/ServiceProviderConfig")
def service_provider_config(request: Request) -> Response:
    config = discovery.service_provider_config(
        base_url(request), request.app.state.settings.scim_max_results
    )
    return scim_response(_dump(config, Context.RESOURCE_QUERY_RESPONSE, None))


def _listing(kind: Any, items: tuple[Any, ...]) -> Response:
    body = ListResponse[kind](
        total_results=len(items), start_index=1, items_per_page=len(items), resources=list(items)
    )
    return scim_response(_dump(body, Context.RESOURCE_QUERY_RESPONSE, None))


@router.get("/ResourceTypes")
def resource_types(request: Request) -> Response:
    return _listing(ResourceType, discovery.resource_types(base_url(request)))


@router.get("/ResourceTypes/{type_id}")
def resource_type(request: Request, type_id: str) -> Response:
    for item in discovery.resource_types(base_url(request)):
        if item.id == type_id:
            return scim_response(_dump(item, Context.RESOURCE_QUERY_RESPONSE, None))
    raise ScimError(404, f"Ressourcetypen {type_id[:80]!r} findes ikke.")


@router.get("/Schemas")
def schemas(request: Request) -> Response:
    return _listing(Schema, discovery.schemas(base_url(request)))


@router.get("/Schemas/{schema_id}")
def schema(request: Request, schema_id: str) -> Response:
    for item in discovery.schemas(base_url(request)):
        if item.id == schema_id:
            return scim_response(_dump(item, Context.RESOURCE_QUERY_RESPONSE, None))
    raise ScimError(404, f"Skemaet {schema_id[:200]!r} findes ikke.")


# --- listing --------------------------------------------------------------------------------


def _page(
    request: Request,
    session: Session,
    statement: Any,
    to_resources: Callable[[Session, Any, str], list[Any]],
    kind: Any,
    *,
    start_index: int,
    count: int | None,
    parameters: ResponseParameters[Any] | None,
) -> Response:
    settings: Settings = request.app.state.settings
    start = max(start_index, 1)
    size = (
        settings.scim_max_results
        if count is None
        else min(max(count, 0), settings.scim_max_results)
    )
    total = (
        session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    )
    rows = session.scalars(statement.offset(start - 1).limit(size)).all() if size else []
    url = base_url(request)
    body = ListResponse[kind](
        total_results=total,
        start_index=start,
        items_per_page=len(rows),
        resources=to_resources(session, list(rows), url),
    )
    return scim_response(_dump(body, Context.SEARCH_RESPONSE, parameters))


def _int(request: Request, name: str, default: int | None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ScimError(
            400, f"{name} skal være et heltal (fik {raw[:40]!r}).", "invalidValue"
        ) from exc


async def _list(request: Request, kind: str) -> Response:
    query = request.query_params
    start, count = _int(request, "startIndex", 1) or 1, _int(request, "count", None)
    parameters = _parameters(query.get("attributes"), query.get("excludedAttributes"))
    statement = users.users_statement if kind == "Users" else groups.groups_statement
    adapter = users.to_resources if kind == "Users" else groups.to_resources
    model = ScimUser if kind == "Users" else Group
    filter_text = query.get("filter")
    return await _run(
        request,
        lambda s: _page(
            request,
            s,
            statement(filter_text),
            adapter,
            model,
            start_index=start,
            count=count,
            parameters=parameters,
        ),
    )


async def _search(request: Request, kind: str) -> Response:
    search = validate(SearchRequest, json_body(await request.body()), Context.SEARCH_REQUEST)
    parameters = _parameters(
        ",".join(str(a) for a in search.attributes or []) or None,
        ",".join(str(a) for a in search.excluded_attributes or []) or None,
    )
    statement = users.users_statement if kind == "Users" else groups.groups_statement
    adapter = users.to_resources if kind == "Users" else groups.to_resources
    model = ScimUser if kind == "Users" else Group
    filter_text = str(search.filter) if search.filter is not None else None
    return await _run(
        request,
        lambda s: _page(
            request,
            s,
            statement(filter_text),
            adapter,
            model,
            start_index=search.start_index or 1,
            count=search.count,
            parameters=parameters,
        ),
    )


@router.get("/Users")
async def list_users(request: Request) -> Response:
    return await _list(request, "Users")


@router.post("/Users/.search")
async def search_users(request: Request) -> Response:
    return await _search(request, "Users")


@router.get("/Groups")
async def list_groups(request: Request) -> Response:
    return await _list(request, "Groups")


@router.post("/Groups/.search")
async def search_groups(request: Request) -> Response:
    return await _search(request, "Groups")


@router.post("/.search")
async def search_everything(request: Request) -> Response:
    raise ScimError(
        501,
        "Søgning på tværs af ressourcetyper (/.search) understøttes ikke; "
        "søg i /Users eller /Groups.",
    )


# --- one user -------------------------------------------------------------------------------


def _one(request: Request, resource: Any, *, status: int = 200) -> Response:
    query = request.query_params
    parameters = _parameters(query.get("attributes"), query.get("excludedAttributes"))
    context = (
        Context.RESOURCE_CREATION_RESPONSE if status == 201 else Context.RESOURCE_QUERY_RESPONSE
    )
    headers = {"Location": resource.meta.location} if status == 201 and resource.meta else None
    return scim_response(_dump(resource, context, parameters), status=status, headers=headers)


@router.post("/Users")
async def create_user(request: Request) -> Response:
    body = json_body(await request.body())
    settings, url = request.app.state.settings, base_url(request)

    def work(session: Session) -> Response:
        person = users.create(session, settings, body, url, utcnow())
        session.flush()
        return _one(request, users.to_resource(session, person, url), status=201)

    return await _run(request, work)


@router.get("/Users/{user_id}")
async def get_user(request: Request, user_id: str) -> Response:
    url = base_url(request)
    return await _run(
        request, lambda s: _one(request, users.to_resource(s, users.get_person(s, user_id), url))
    )


async def _change_user(request: Request, user_id: str, how: str) -> Response:
    body = json_body(await request.body())
    settings, url = request.app.state.settings, base_url(request)

    def work(session: Session) -> Response:
        person = users.get_person(session, user_id)
        change = users.replace if how == "PUT" else users.patch
        change(session, settings, person, body, url, utcnow())
        session.flush()
        session.refresh(person)
        return _one(request, users.to_resource(session, person, url))

    return await _run(request, work)


@router.put("/Users/{user_id}")
async def replace_user(request: Request, user_id: str) -> Response:
    return await _change_user(request, user_id, "PUT")


@router.patch("/Users/{user_id}")
async def patch_user(request: Request, user_id: str) -> Response:
    return await _change_user(request, user_id, "PATCH")


@router.delete("/Users/{user_id}")
async def delete_user(request: Request, user_id: str) -> Response:
    def work(session: Session) -> Response:
        users.delete(session, users.get_person(session, user_id), utcnow())
        return Response(status_code=204)

    return await _run(request, work)


# --- one group ------------------------------------------------------------------------------


@router.post("/Groups")
async def create_group(request: Request) -> Response:
    body = json_body(await request.body())
    settings, url = request.app.state.settings, base_url(request)

    def work(session: Session) -> Response:
        group = groups.create(session, settings, body, utcnow())
        session.flush()
        return _one(request, groups.to_resource(session, group, url), status=201)

    return await _run(request, work)


@router.get("/Groups/{group_id}")
async def get_group(request: Request, group_id: str) -> Response:
    url = base_url(request)
    return await _run(
        request, lambda s: _one(request, groups.to_resource(s, groups.get_group(s, group_id), url))
    )


async def _change_group(request: Request, group_id: str, how: str) -> Response:
    body = json_body(await request.body())
    settings, url = request.app.state.settings, base_url(request)

    def work(session: Session) -> Response:
        group = groups.get_group(session, group_id)
        if how == "PUT":
            groups.replace(session, settings, group, body, utcnow())
        else:
            groups.patch(session, settings, group, body, url, utcnow())
        session.flush()
        session.refresh(group)
        return _one(request, groups.to_resource(session, group, url))

    return await _run(request, work)


@router.put("/Groups/{group_id}")
async def replace_group(request: Request, group_id: str) -> Response:
    return await _change_group(request, group_id, "PUT")


@router.patch("/Groups/{group_id}")
async def patch_group(request: Request, group_id: str) -> Response:
    return await _change_group(request, group_id, "PATCH")


@router.delete("/Groups/{group_id}")
async def delete_group(request: Request, group_id: str) -> Response:
    def work(session: Session) -> Response:
        groups.delete(session, groups.get_group(session, group_id), utcnow())
        return Response(status_code=204)

    return await _run(request, work)


#: Endpoints that exist, so another method on them is 405, not 404.
ENDPOINTS = ("ServiceProviderConfig", "ResourceTypes", "Schemas", "Users", "Groups")


@router.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(request: Request, path: str) -> Response:
    if path.split("/", 1)[0] in ENDPOINTS:
        raise ScimError(405, f"{request.method} kan ikke bruges på {PREFIX}/{path[:200]}.")
    raise ScimError(404, f"{PREFIX}/{path[:200]} findes ikke i SCIM-tjenesten.")
