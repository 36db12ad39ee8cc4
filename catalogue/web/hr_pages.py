"""What HR's routes share: the editor page rendered with a form's errors, values for forms.

A form that fails is shown again on the page it came from, with what was typed and
each Danish message next to its field (status 400); a form that succeeds redirects
(post/redirect/get) with a message key from ``HR_MESSAGES``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fastapi.responses import RedirectResponse, Response

from catalogue.models import ActivityKind, CourseStatus, LinkStrength
from catalogue.services.capabilities import Capability
from catalogue.web.formatting import KIND_LABELS, LOCAL_TIME
from catalogue.web.hr_views import editor_page
from catalogue.web.pages import Web, not_found

#: Confirmations after a form succeeded; the redirect carries the key, never the text.
HR_MESSAGES: dict[str, str] = {
    "kursus-oprettet": "Kurset er oprettet som kladde.",
    "kursus-gemt": "Kurset er gemt.",
    "udgivet": "Kurset er udgivet og kan findes i kataloget.",
    "arkiveret": "Kurset er arkiveret.",
    "aktivitet-oprettet": "Aktiviteten er tilføjet.",
    "aktivitet-gemt": "Aktiviteten er gemt.",
    "aktivitet-arkiveret": "Aktiviteten er arkiveret.",
    "hold-oprettet": "Holdet er oprettet.",
    "hold-gemt": "Holdet og dets sessioner er gemt.",
    "hold-aflyst": "Holdet er aflyst, og deltagerne er afmeldt med begrundelsen.",
    "kobling-oprettet": "Udsagnet er koblet til kurset.",
    "kobling-gemt": "Koblingen er gemt.",
    "kobling-fjernet": "Koblingen er fjernet.",
    "sync-bestilt": "Synkroniseringen er bestilt.",
}

STATUS_LABELS: dict[CourseStatus, str] = {
    CourseStatus.DRAFT: "Kladde",
    CourseStatus.PUBLISHED: "Udgivet",
    CourseStatus.ARCHIVED: "Arkiveret",
}
ACTIVITY_KIND_LABELS: dict[ActivityKind, str] = {
    ActivityKind.MODULE: "Modul",
    ActivityKind.SESSION: "Undervisningsgang",
    ActivityKind.E_LEARNING: "E-læring",
    ActivityKind.ASSIGNMENT: "Opgave",
    ActivityKind.MEETING: "Møde",
    ActivityKind.EXAM: "Prøve",
}
STRENGTH_LABELS: dict[LinkStrength, str] = {
    LinkStrength.PRIMARY: "Primær",
    LinkStrength.SUPPORTING: "Støttende",
}


def done(web: Web, path: str, message: str, *, section: str = "") -> RedirectResponse:
    """Post/redirect/get to ``path`` with a confirmation, scrolled to ``section`` if given."""
    assert message in HR_MESSAGES
    response = web.redirect(path, besked=message)
    if section:
        response.headers["location"] += f"#{section}"
    return response


def hr_message(key: str | None) -> str | None:
    return HR_MESSAGES.get(key or "")


def choices() -> dict[str, Any]:
    """The select lists every HR form uses, in Danish."""
    return {
        "course_kinds": list(KIND_LABELS.items()),
        "activity_kinds": list(ACTIVITY_KIND_LABELS.items()),
        "strengths": list(STRENGTH_LABELS.items()),
        "status_labels": STATUS_LABELS,
        "activity_kind_labels": ACTIVITY_KIND_LABELS,
        "strength_labels": STRENGTH_LABELS,
    }


def decimal_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


def local_input(value: datetime | None) -> str:
    """A moment as a ``datetime-local`` input's value, in the municipality's time."""
    return "" if value is None else value.astimezone(LOCAL_TIME).strftime("%Y-%m-%dT%H:%M")


def course_values(course: Any) -> dict[str, str]:
    """A course as the fields form shows it (also a new course's empty form)."""
    if course is None:
        return {"language": "da"}
    return {
        "title": course.title,
        "summary": course.summary,
        "kind": course.kind.value,
        "provider": course.provider,
        "language": course.language,
        "duration_hours": decimal_text(course.duration_hours),
        "ects": decimal_text(course.ects),
        "price_dkk": "" if course.price_dkk is None else str(course.price_dkk),
        "audience": course.audience,
        "lms_course_id": course.lms_course_id or "",
        "expected_updated_at": course.updated_at.isoformat(),
    }


def posted(form: Mapping[str, Any]) -> dict[str, str]:
    """What was typed, to show again; the CSRF token is the page's own."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def render_editor(
    web: Web,
    course_id: int,
    *,
    errors: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
    message: str | None = None,
    status: int = 200,
) -> Response:
    """The course editor; after a failed form, with its errors and what was typed."""
    web.require(Capability.CATALOGUE_CURATE)
    page = editor_page(web.session, course_id)
    if page is None:
        raise not_found("Kurset findes ikke.")
    shown = course_values(page.course) | dict(values or {})
    return web.render(
        "hr/course.html",
        {
            "title": f"Rediger {page.course.title}",
            "page": page,
            "v": shown,
            "errors": dict(errors or {}),
            "message": message,
            **choices(),
        },
        status=status,
    )
