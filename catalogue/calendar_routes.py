"""GET /calendar/enrolments/{id}.ics: an enrolment as an iCalendar file.

The same Bearer token as /graphql, and the same rule as ``Enrolment`` there:
the person themself, chefs above them, HR, ADMIN and the LMS account. No
token or a bad one is 401 (through the app's AuthenticationError handler),
someone else's enrolment 403, an unknown id 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from catalogue.models import Enrolment
from catalogue.services.calendar import enrolment_calendar
from catalogue.services.people import visible_person_ids
from catalogue.services.tokens import AuthenticationError, viewer_from_token

router = APIRouter()

#: Ids are 64-bit; a larger number can name no enrolment and would overflow the database.
MAX_ID = 2**63 - 1


def _session(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(_session)]


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
    enrolment_id: Annotated[int, Path(ge=1, le=MAX_ID)], request: Request, session: SessionDep
) -> Response:
    """The run of one enrolment, for the leader's calendar."""
    viewer = viewer_from_token(session, request.app.state.settings, _bearer(request))
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None:
        return JSONResponse(status_code=404, content={"detail": "Tilmeldingen findes ikke."})
    visible = visible_person_ids(session, viewer)
    if visible is not None and enrolment.person_id not in visible:
        return JSONResponse(
            status_code=403,
            content={"detail": "Ingen adgang: du kan kun hente dine egne tilmeldinger."},
        )
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
