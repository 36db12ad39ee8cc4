"""GET /evaluation/reports/{id}.pdf: a leader's released report as a PDF.

``{id}`` is the evaluatee's global id (``EvaluationReport.pdfUrl``). The same Bearer
token as /graphql and the same rule as ``evaluationReport``
(``services/evaluation_access.py``): anyone who may not read the report, or not yet,
gets 404, the same answer as for an id that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from strawberry.relay import from_base64

from catalogue.calendar_routes import SessionDep, TokenDep
from catalogue.graphql.core.ids import database_id, global_id_problem
from catalogue.http_errors import HttpErrorCode, error_response
from catalogue.models.base import utcnow
from catalogue.services.errors import DomainError
from catalogue.services.evaluation_access import readable_evaluatee
from catalogue.services.evaluation_pdf import report_pdf
from catalogue.services.evaluation_report import build_report
from catalogue.services.tokens import viewer_from_token

router = APIRouter()

EVALUATEE_TYPE = "Evaluatee"


@router.get("/evaluation/reports/{evaluatee_id}.pdf", response_model=None)
def evaluation_report_pdf(
    evaluatee_id: Annotated[str, Path()],
    request: Request,
    session: SessionDep,
    token: TokenDep,
) -> Response:
    problem = global_id_problem(evaluatee_id, {EVALUATEE_TYPE})
    if problem is not None:
        return error_response(
            400,
            f"Stien /evaluation/reports/<id>.pdf: id'et {problem}. Brug rapportens pdfUrl.",
        )
    number = database_id(from_base64(evaluatee_id)[1])
    assert number is not None  # global_id_problem checked it
    settings = request.app.state.settings
    viewer = viewer_from_token(session, settings, token, idp_keys=request.app.state.idp_keys)
    try:
        evaluatee = readable_evaluatee(session, viewer, number, now=utcnow())
    except DomainError as exc:
        return error_response(404, exc.message, HttpErrorCode.NOT_FOUND)
    body = report_pdf(build_report(session, evaluatee_id=evaluatee.id))
    return Response(
        content=body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": 'attachment; filename="ledelsesevaluering.pdf"',
            "Cache-Control": "private, no-store",
        },
    )
