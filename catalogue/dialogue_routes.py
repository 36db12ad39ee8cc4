"""GET /dialogue-overview/{cycle id}.csv and .xlsx: HR's overview of a cycle as a file.

``{cycle id}`` is the cycle's global id from GraphQL (``DialogueOverview.csvUrl``).
The same Bearer token as /graphql, and the same rule: ``dialogue.administer``. No
token is 401, another viewer 403, an id that is no cycle's 400, an unknown cycle
404; the cells describing fewer than 5 leaders are suppressed as in the API.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response
from strawberry.relay import from_base64

from catalogue.calendar_routes import SessionDep, TokenDep
from catalogue.graphql.core.ids import database_id, global_id_problem
from catalogue.http_errors import HttpErrorCode, error_response
from catalogue.services.capabilities import Capability, requirement
from catalogue.services.dialogue.overview import cycle_overview
from catalogue.services.dialogue.overview_files import overview_csv, overview_xlsx
from catalogue.services.errors import DomainError
from catalogue.services.tokens import viewer_from_token

router = APIRouter()
CYCLE_TYPE = "DialogueCycle"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/dialogue-overview/{cycle_id}.{extension}", response_model=None)
def dialogue_overview_file(
    cycle_id: Annotated[str, Path()],
    extension: Annotated[Literal["csv", "xlsx"], Path()],
    request: Request,
    session: SessionDep,
    token: TokenDep,
) -> Response:
    """The overview with its small cells suppressed, for HR's own spreadsheets."""
    viewer = viewer_from_token(
        session, request.app.state.settings, token, idp_keys=request.app.state.idp_keys
    )
    if not viewer.can(Capability.DIALOGUE_ADMINISTER):
        return error_response(
            403, f"Ingen adgang: overblikket kræver {requirement(Capability.DIALOGUE_ADMINISTER)}."
        )
    problem = global_id_problem(cycle_id, {CYCLE_TYPE})
    if problem is not None:
        return error_response(400, f"Rundens id i stien {problem}; brug id'et fra GraphQL.")
    number = database_id(from_base64(cycle_id)[1])
    assert number is not None  # global_id_problem checked it
    try:
        overview = cycle_overview(session, number)
    except DomainError as exc:
        return error_response(404, exc.message, HttpErrorCode.NOT_FOUND)
    body = overview_csv(overview) if extension == "csv" else overview_xlsx(overview)
    return Response(
        content=body,
        media_type=MEDIA_TYPES[extension],
        headers={
            "Content-Disposition": f'attachment; filename="lus-{overview.year}.{extension}"',
            "Cache-Control": "private, no-store",
        },
    )
