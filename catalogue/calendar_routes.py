"""GET /calendar/enrolments/{id}.ics: an enrolment as an iCalendar file.

``{id}`` is the enrolment's global id, the one GraphQL gives (``Enrolment.id``,
``calendarUrl``), so the API names an enrolment one way only. The same Bearer
token as /graphql, and the same rule as ``Enrolment`` there: the person themself,
chefs above them, HR, ADMIN and the LMS account. No token or a bad one is 401
(through the app's AuthenticationError handler); an id that is no enrolment's
global id is 400; an enrolment the viewer may not see is 404, the same answer
as an id that does not exist, so the route does not tell which enrolments exist.
Every refusal is ``{"errors": [{"message", "extensions": {"code"}}]}`` in Danish
(``catalogue/http_errors.py``), as everywhere else in the service.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy.orm import Session
from strawberry.relay import from_base64

from catalogue.graphql.core.ids import database_id, global_id_problem
from catalogue.http_errors import HttpErrorCode, error_response
from catalogue.services.calendar import enrolment_calendar
from catalogue.services.enrolments import visible_enrolment
from catalogue.services.errors import DomainError
from catalogue.services.tokens import AuthenticationError, viewer_from_token

router = APIRouter()

#: The GraphQL type whose global ids the route takes.
ENROLMENT_TYPE = "Enrolment"


def _session(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(_session)]


async def _bearer_token(request: Request) -> str:
    """The token, with the identity provider's keys fetched (awaited) before the sync route."""
    token = _bearer(request)
    idp_keys = request.app.state.idp_keys
    if idp_keys is not None:
        await idp_keys.prepare(token)
    return token


TokenDep = Annotated[str, Depends(_bearer_token)]


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization")
    if not header:
        raise AuthenticationError("Log ind: kalenderfilen kræver et Bearer-token.")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("Authorization-headeren skal have formen 'Bearer <token>'.")
    return token.strip()


@router.get("/calendar/enrolments/{enrolment_id}.ics", response_model=None)
def enrolment_ics(
    enrolment_id: Annotated[str, Path()],
    request: Request,
    session: SessionDep,
    token: TokenDep,
) -> Response:
    """The sessions of one enrolment's run, for the leader's calendar."""
    problem = global_id_problem(enrolment_id, {ENROLMENT_TYPE})
    if problem is not None:
        # Echoed so the caller sees what arrived, but short and without control characters.
        shown = "".join(c if c.isprintable() else "?" for c in enrolment_id[:40])
        shown += "…" if len(enrolment_id) > 40 else ""
        return error_response(
            400,
            f"Kalenderstien /calendar/enrolments/<id>.ics: '{shown}' {problem}. Brug "
            "tilmeldingens id fra GraphQL, som i dens calendarUrl.",
        )
    number = database_id(from_base64(enrolment_id)[1])
    assert number is not None  # global_id_problem checked it
    settings = request.app.state.settings
    viewer = viewer_from_token(session, settings, token, idp_keys=request.app.state.idp_keys)
    try:
        enrolment = visible_enrolment(session, viewer, number)
    except DomainError as exc:
        return error_response(404, exc.message, HttpErrorCode.NOT_FOUND)
    run = enrolment.course_run
    body = enrolment_calendar(enrolment, run, run.course, run.sessions, run.removed_sessions)
    return Response(
        content=body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{run.code}.ics"',
            "Cache-Control": "private, no-store",
        },
    )
