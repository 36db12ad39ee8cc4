"""graphql-core's and Strawberry's English about bad input reaches people in Danish.

Each case sends a real request; the answer must name the variable (or field) and
the bad value, in Danish, with none of the library's English left.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from catalogue.graphql.core.danish_errors import in_danish
from catalogue.models import Role
from catalogue.settings import Settings
from tests.api.tokens import person, token_for

ENGLISH = ("cannot represent", "Variable '", "does not exist", "Expected", "Did you mean", "found")

COURSES_FIRST = "query($first: Int) { courses(first: $first) { totalCount } }"
COURSES_ORDER = "query($order: CourseOrder) { courses(orderBy: $order) { totalCount } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
AUDIT_BY_ACTION = "query($action: AuditAction) { auditLog(action: $action) { totalCount } }"
LINK = (
    "mutation($input: CompetenceLinkCreateInput!) "
    "{ competenceLinkCreate(input: $input) { userErrors { field } } }"
)

CASES: list[tuple[str, str, dict[str, Any], str, str]] = [
    (
        "an Int variable given a word",
        COURSES_FIRST,
        {"first": "ti"},
        "BAD_USER_INPUT",
        "Variablen $first har en ugyldig værdi: Int kan ikke være 'ti': et heltal forventes.",
    ),
    (
        "an Int variable given a fraction",
        COURSES_FIRST,
        {"first": 1.5},
        "BAD_USER_INPUT",
        "Variablen $first har en ugyldig værdi: Int kan ikke være 1.5: et heltal forventes.",
    ),
    (
        "an Int variable beyond 32 bits",
        COURSES_FIRST,
        {"first": 2**40},
        "BAD_USER_INPUT",
        "Variablen $first har en ugyldig værdi: Int kan ikke være 1099511627776: et heltal "
        "mellem -2147483648 og 2147483647 forventes.",
    ),
    (
        "an enum variable given an unknown value",
        COURSES_ORDER,
        {"order": "NEWEST"},
        "BAD_USER_INPUT",
        "Variablen $order har en ugyldig værdi: Værdien 'NEWEST' findes ikke i enum-typen "
        "CourseOrder.",
    ),
    (
        "an enum variable given a number",
        AUDIT_BY_ACTION,
        {"action": 3},
        "BAD_USER_INPUT",
        "Variablen $action har en ugyldig værdi: Enum-typen AuditAction kan ikke være 3: "
        "en af dens værdier forventes som tekst.",
    ),
    (
        "a required variable left out",
        NODE,
        {},
        "BAD_USER_INPUT",
        "Variablen $id har en ugyldig værdi: En værdi af typen ID! skal angives.",
    ),
    (
        "an input field of the wrong enum",
        LINK,
        {"input": {"statementKey": "K1.1", "strength": "STRONG", "rationale": "x"}},
        "BAD_USER_INPUT",
        "Variablen $input har en ugyldig værdi i feltet strength: Værdien 'STRONG' findes ikke "
        "i enum-typen LinkStrength.",
    ),
    (
        "an input without a required field",
        LINK,
        {"input": {"statementKey": "K1.1", "strength": "PRIMARY"}},
        "BAD_USER_INPUT",
        "Variablen $input har en ugyldig værdi: Feltet rationale i CompetenceLinkCreateInput "
        "skal angives (fandt {'statementKey': 'K1.1', 'strength': 'PRIMARY'}).",
    ),
    (
        "an input with an unknown field",
        LINK,
        {"input": {"statementKey": "K1.1", "strength": "PRIMARY", "rationale": "x", "why": 1}},
        "BAD_USER_INPUT",
        "Variablen $input har en ugyldig værdi: CompetenceLinkCreateInput har intet felt why "
        "(fandt {'statementKey': 'K1.1', 'strength': 'PRIMARY', 'rationale': 'x', 'why': 1}).",
    ),
    (
        "a literal Int that is a string",
        '{ courses(first: "ti") { totalCount } }',
        {},
        "GRAPHQL_VALIDATION_FAILED",
        'Int kan ikke være "ti": et heltal forventes.',
    ),
    (
        "a literal enum in quotes",
        '{ courses(orderBy: "ID") { totalCount } }',
        {},
        "GRAPHQL_VALIDATION_FAILED",
        'Enum-typen CourseOrder kan ikke være "ID": skriv en af dens værdier uden '
        "anførselstegn. Mente du 'ID'?",
    ),
    (
        "a literal enum that does not exist",
        "{ courses(orderBy: NEWEST) { totalCount } }",
        {},
        "GRAPHQL_VALIDATION_FAILED",
        "Værdien 'NEWEST' findes ikke i enum-typen CourseOrder.",
    ),
]


@pytest.mark.parametrize(
    ("query", "variables", "code", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_bad_input_is_answered_in_danish(
    client: TestClient,
    session: Session,
    settings: Settings,
    query: str,
    variables: dict[str, Any],
    code: str,
    message: str,
) -> None:
    hr = token_for(settings, person(session, is_hr=True), Role.HR)
    response = client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {hr}"},
    )
    assert response.status_code == 200
    errors = response.json()["errors"]
    assert message in [e["message"] for e in errors], errors
    assert all(e["extensions"]["code"] == code for e in errors)
    assert not [e for e in errors for word in ENGLISH if word in e["message"]]


def test_strawberrys_global_id_message_is_danish_and_keeps_the_value() -> None:
    """Strawberry's own GlobalID error (met where our argument check does not reach)."""
    assert in_danish('Value cannot represent a GlobalID: "abc".') == (
        '"abc" er ikke et gyldigt globalt id: et id skal være et id, som API\'et har givet '
        "(base64 af 'Type:nummer')."
    )
    assert in_danish('Value cannot represent a Date: "i går". Expected a string.') == (
        '"i går" kan ikke være en Date: en tekst forventes.'
    )


def test_graphql_core_3_2s_wording_is_danish_too() -> None:
    assert in_danish(
        "Variable '$x' got invalid value 'abc' at 'input.n'; "
        "Int cannot represent non-integer value: 'abc'"
    ) == (
        "Variablen $x har en ugyldig værdi i feltet input.n ('abc'): "
        "Int kan ikke være 'abc': et heltal forventes."
    )


def test_an_unknown_message_is_left_as_it_is() -> None:
    assert in_danish("Something new from a library.") == "Something new from a library."
