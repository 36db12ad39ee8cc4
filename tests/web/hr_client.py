"""Driving HR's forms over HTTP as a browser does: log in, read the CSRF token, post."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Person
from tests.web.test_login import csrf_of, log_in

HR = "nanna.stougaard@demo.ltk.example"
LEADER = "sofie.noergaard@demo.ltk.example"


def hr_person_id(session: Session) -> int:
    found = session.scalar(select(Person.id).where(Person.email == HR))
    assert found is not None
    return found


def log_in_as_hr(client: TestClient, session: Session) -> None:
    log_in(client, session, HR)


def post_form(client: TestClient, page_path: str, action: str, data: dict[str, str]) -> Response:
    """Open ``page_path`` for its CSRF token, then post ``data`` to ``action``."""
    token = csrf_of(client.get(page_path).text)
    return client.post(action, data={"csrf_token": token, **data}, follow_redirects=False)


def field_value(html: str, name: str) -> str:
    """What an input or textarea named ``name`` shows."""
    found = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html)
    if found:
        return unescape(found.group(1))
    found = re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, f"feltet {name} findes ikke på siden"
    return unescape(found.group(1))


def field_message(html: str, name: str) -> str:
    """The error message shown at the field ``name`` (empty when there is none)."""
    found = re.search(
        rf'id="{re.escape(name)}-error"><span class="sr-only">Fejl: </span>([^<]*)<', html
    )
    return unescape(found.group(1)) if found else ""
