"""GET /calendar/enrolments/{id}.ics: an enrolment as an iCalendar file.

The same Bearer token as /graphql, and the same rule as ``Enrolment`` there:
the person themself, chefs above them, HR, ADMIN and the LMS account. No
token or a bad one is 401 (through the app's AuthenticationError handler).
An enrolment the viewer may not see is 404, the same answer as an id that
does not exist, so the route does not tell which enrolment ids exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from catalogue.services.calendar import enrolment_calendar
from catalogue.services.enrolments import visible_enrolment
from catalogue.services.errors import DomainError
from catalogue.services.tokens import AuthenticationError, viewer_from_token

router = APIRouter()

#: Ids are 64-bit; a larger number can name no enrolment and would overflow the database.
MAX_ID = 2**63 - 1


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
    enrolment_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    request: Request,
    session: SessionDep,
    token: TokenDep,
) -> Response:
    """The run of one enrolment, for the leader's calendar."""
    settings = request.app.state.settings
    viewer = viewer_from_token(session, settings, token, idp_keys=request.app.state.idp_keys)
    try:
        enrolment = visible_enrolment(session, viewer, enrolment_id)
    except DomainError as exc:
        return JSONResponse(status_code=404, content={"detail": exc.message})
    run = enrolment.course_run
    body = enrolment_calendar(enrolment, run, run.course)
    return Response(
        content=body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{run.code}.ics"',
            "Cache-Control": "private, no-store",
        },
    )
