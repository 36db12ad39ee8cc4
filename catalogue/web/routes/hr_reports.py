"""HR's overviews: coverage and gaps, the audit log, the LMS sync runs and "sync now"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from catalogue.models import SyncKind, SyncStatus
from catalogue.services.audit import AuditAction
from catalogue.services.capabilities import Capability
from catalogue.services.lms_sync import request_sync
from catalogue.web import hr_charts
from catalogue.web.formatting import LOCAL_TIME
from catalogue.web.forms import FormDep, number
from catalogue.web.hr_actions import change
from catalogue.web.hr_forms import FormReader
from catalogue.web.hr_pages import done, hr_message
from catalogue.web.hr_views import AuditFilter, audit_page, coverage_page, sync_page
from catalogue.web.pages import Web, WebDep

router = APIRouter(prefix="/hr")

SYNC_KIND_LABELS: dict[SyncKind, str] = {
    SyncKind.COURSES: "Kurser og aktiviteter hentes fra LMS'et",
    SyncKind.OUTBOX: "Tilmeldinger og afmeldinger sendes til LMS'et",
    SyncKind.ENROLMENTS: "LMS'ets deltagerlister afstemmes med kataloget",
    SyncKind.COMPLETIONS: "Gennemførelser hentes fra LMS'et",
    SyncKind.COMPETENCIES: "Kompetenceprofilen sendes til LMS'et",
}
SYNC_STATUS_LABELS: dict[SyncStatus, str] = {
    SyncStatus.QUEUED: "I kø",
    SyncStatus.RUNNING: "I gang",
    SyncStatus.SUCCEEDED: "Gennemført",
    SyncStatus.PARTIAL: "Delvist gennemført",
    SyncStatus.FAILED: "Fejlet",
}


@router.get("/daekning", response_class=HTMLResponse)
def coverage(web: WebDep) -> Response:
    web.require(Capability.CATALOGUE_CURATE)
    page = coverage_page(web.session)
    return web.render(
        "hr/coverage.html",
        {
            "title": "Dækning af kompetenceprofilen",
            "page": page,
            "rows": hr_charts.coverage_rows(page.rows),
            "columns": hr_charts.COLUMNS,
            "unlimited": hr_charts.UNLIMITED,
            "chart": hr_charts.coverage(page),
        },
    )


def _day(raw: str, errors: dict[str, str], name: str, label: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = f"{label} skal være en dato, fx 2027-03-01."
        return None


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).replace(tzinfo=LOCAL_TIME)


@router.get("/log", response_class=HTMLResponse)
def audit_log(
    web: WebDep,
    handling: str = "",
    type: str = "",
    kursus: str = "",
    fra: str = "",
    til: str = "",
    side: str = "1",
) -> Response:
    web.require(Capability.AUDIT_READ)
    errors: dict[str, str] = {}
    action = AuditAction(handling) if handling in AuditAction.__members__ else None
    if handling and action is None:
        errors["handling"] = "Vælg en handling fra listen."
    course_id = number(kursus.strip()) if kursus.strip() else None
    if kursus.strip() and course_id is None:
        errors["kursus"] = "Kursus-id skal være et helt tal."
    since = _day(fra.strip(), errors, "fra", "Fra-datoen")
    until = _day(til.strip(), errors, "til", "Til-datoen")
    if since and until and until < since:
        errors["til"] = "Til-datoen skal ligge efter fra-datoen."
    if not type.isprintable() or len(type) > 50:
        errors["type"] = "Vælg en slags element fra listen."
    criteria = AuditFilter(
        action=action,
        entity_type=type.strip()[:50] or None,
        course_id=course_id,
        since=_local_midnight(since) if since else None,
        until=_local_midnight(until + timedelta(days=1)) if until else None,
    )
    page = audit_page(
        web.session, criteria if not errors else AuditFilter(), page=number(side) or 1
    )
    query = {"handling": handling, "type": type, "kursus": kursus, "fra": fra, "til": til}
    return web.render(
        "hr/audit.html",
        {
            "title": "Revisionslog",
            "page": page,
            "actions": [a.value for a in AuditAction],
            "q": query,
            "query": urlencode({k: v for k, v in query.items() if v and k not in errors}),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _sync_page(
    web: Web,
    kind: SyncKind | None,
    page: int,
    *,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    status: int = 200,
) -> Response:
    return web.render(
        "hr/sync.html",
        {
            "title": "Synkronisering med LMS",
            "page": sync_page(web.session, kind=kind, page=page),
            "kind": kind.value if kind else "",
            "kinds": list(SYNC_KIND_LABELS.items()),
            "kind_labels": SYNC_KIND_LABELS,
            "status_labels": SYNC_STATUS_LABELS,
            "errors": errors or {},
            "message": message,
            "lms_connected": web.settings.lms_connected,
        },
        status=status,
    )


@router.get("/synkronisering", response_class=HTMLResponse)
def sync_runs(web: WebDep, slags: str = "", side: str = "1", besked: str | None = None) -> Response:
    web.require(Capability.LMS_SYNC)
    kind = SyncKind(slags) if slags in SyncKind.__members__ else None
    return _sync_page(web, kind, number(side) or 1, message=hr_message(besked))


@router.post("/synkronisering")
def start_sync(web: WebDep, form: FormDep) -> Response:
    viewer = web.require(Capability.LMS_SYNC)
    reader = FormReader(form)
    kind = reader.choice("kind", SyncKind, "hvad der skal synkroniseres")
    if kind is None and "kind" not in reader.errors:
        reader.errors["kind"] = "Vælg, hvad der skal synkroniseres."
    outcome = change(
        web.session,
        lambda: request_sync(
            web.session,
            web.settings,
            kind=kind or SyncKind.COURSES,
            dry_run=reader.checkbox("dry_run"),
            requested_by_id=viewer.person_id,
        ),
        fields={"kind": "kind", "dryRun": "dry_run"},
        default="kind",
        read_errors=reader.errors,
    )
    if not outcome.ok:
        return _sync_page(web, None, 1, errors=outcome.errors, status=400)
    return done(web, "/hr/synkronisering", "sync-bestilt")
