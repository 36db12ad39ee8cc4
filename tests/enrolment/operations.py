"""The GraphQL operations the enrolment tests send, as a client would write them."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from strawberry.relay import to_base64

from tests.api.graphql_client import gql

ENROLMENT_FIELDS = "id status waitlistPosition source motivation calendarUrl person { name }"
ERRORS = "userErrors { field message code }"

ENROL = f"""
mutation Enrol($input: EnrolInput!) {{
  enrol(input: $input) {{ enrolment {{ {ENROLMENT_FIELDS} }} {ERRORS} }}
}}"""
APPROVE = f"""
mutation Approve($input: ApproveEnrolmentInput!) {{
  approveEnrolment(input: $input) {{ enrolment {{ {ENROLMENT_FIELDS} }} {ERRORS} }}
}}"""
REJECT = f"""
mutation Reject($input: RejectEnrolmentInput!) {{
  rejectEnrolment(input: $input) {{ enrolment {{ {ENROLMENT_FIELDS} }} {ERRORS} }}
}}"""
WITHDRAW = f"""
mutation Withdraw($input: WithdrawInput!) {{
  withdraw(input: $input) {{ enrolment {{ {ENROLMENT_FIELDS} }} {ERRORS} }}
}}"""
RECORD_COMPLETION = f"""
mutation Record($input: RecordCompletionInput!) {{
  recordCompletion(input: $input) {{
    enrolment {{ id status completedAt }}
    activityCompletion {{ id source withoutEnrolment activity {{ code }} }}
    changed
    {ERRORS}
  }}
}}"""

MUTATIONS = {
    "enrol": ENROL,
    "approveEnrolment": APPROVE,
    "rejectEnrolment": REJECT,
    "withdraw": WITHDRAW,
    "recordCompletion": RECORD_COMPLETION,
}


def gid(type_name: str, pk: int) -> str:
    return to_base64(type_name, pk)


def mutate(
    client: TestClient, name: str, payload: dict[str, Any], token: str | None
) -> dict[str, Any]:
    """The mutation's payload; fails on top-level errors, which mutations must not give."""
    body = gql(client, MUTATIONS[name], {"input": payload}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][name]
    return result


def error_codes(result: dict[str, Any]) -> list[str]:
    return [e["code"] for e in result["userErrors"]]
