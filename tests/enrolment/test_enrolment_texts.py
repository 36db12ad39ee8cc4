"""A leader's motivation and a chef's or HR's reasons pass the same text rule as the catalogue."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from catalogue.models import ActivityCompletion, Enrolment, EnrolmentStatus, Role
from catalogue.models.base import utcnow
from catalogue.services.completions import record_completion
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.settings import Settings
from tests.api.tokens import token_for
from tests.enrolment.factories import Org, count, make_run, stored_enrolment, viewer
from tests.enrolment.operations import gid, mutate

BAD = {
    "terminal escape": ("Jeg vil \x1b[2Jlære", "INVALID"),
    "right-to-left override": ("Jeg vil \u202elære", "INVALID"),
}


def _field_codes(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in result["userErrors"]]


@pytest.mark.parametrize("bad", list(BAD))
def test_a_motivation_with_control_or_bidi_characters_is_refused(
    client: TestClient, session: Session, settings: Settings, org: Org, bad: str
) -> None:
    run = make_run(session)
    session.commit()
    text, code = BAD[bad]
    result = mutate(
        client,
        "enrol",
        {"courseRunId": gid("CourseRun", run.id), "motivation": text},
        token_for(settings, org.leader, Role.LEADER),
    )
    assert _field_codes(result) == [("motivation", code)]
    assert "Motivationen" in result["userErrors"][0]["message"]
    assert count(session, Enrolment, Enrolment.course_run_id == run.id) == 0


def test_a_motivation_keeps_its_lines_and_danish_letters(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = make_run(session)
    session.commit()
    result = mutate(
        client,
        "enrol",
        {
            "courseRunId": gid("CourseRun", run.id),
            "motivation": "\u200b»Svære samtaler«\r\n– og ’feedback’ til medarbejdere\ufeff",
        },
        token_for(settings, org.leader, Role.LEADER),
    )
    assert result["userErrors"] == []
    assert result["enrolment"]["motivation"] == "»Svære samtaler«\n– og ’feedback’ til medarbejdere"


@pytest.mark.parametrize(
    ("mutation", "field"),
    [("approveEnrolment", "comment"), ("rejectEnrolment", "reason")],
)
@pytest.mark.parametrize("bad", list(BAD))
def test_a_chefs_comment_or_reason_with_control_characters_is_refused(
    client: TestClient,
    session: Session,
    settings: Settings,
    org: Org,
    mutation: str,
    field: str,
    bad: str,
) -> None:
    run = make_run(session, approval_required=True)
    request = stored_enrolment(session, run, org.leader, EnrolmentStatus.REQUESTED)
    session.commit()
    text, code = BAD[bad]
    result = mutate(
        client,
        mutation,
        {"enrolmentId": gid("Enrolment", request.id), field: text},
        token_for(settings, org.chef, Role.CHEF),
    )
    assert _field_codes(result) == [(field, code)]
    session.expire_all()
    assert session.get(Enrolment, request.id).status is EnrolmentStatus.REQUESTED  # type: ignore[union-attr]


def test_a_rejection_reason_of_zero_width_spaces_is_missing(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = make_run(session, approval_required=True)
    request = stored_enrolment(session, run, org.leader, EnrolmentStatus.REQUESTED)
    session.commit()
    result = mutate(
        client,
        "rejectEnrolment",
        {"enrolmentId": gid("Enrolment", request.id), "reason": "\u200b \u200b"},
        token_for(settings, org.chef, Role.CHEF),
    )
    assert _field_codes(result) == [("reason", "REQUIRED")]


def test_a_withdrawal_reason_with_a_control_character_is_refused(
    client: TestClient, session: Session, settings: Settings, org: Org
) -> None:
    run = make_run(session)
    enrolment = stored_enrolment(session, run, org.leader, EnrolmentStatus.ENROLLED)
    session.commit()
    result = mutate(
        client,
        "withdraw",
        {"enrolmentId": gid("Enrolment", enrolment.id), "reason": "Syg\x07"},
        token_for(settings, org.leader, Role.LEADER),
    )
    assert _field_codes(result) == [("reason", "INVALID")]
    session.expire_all()
    assert session.get(Enrolment, enrolment.id).status is EnrolmentStatus.ENROLLED  # type: ignore[union-attr]


@pytest.mark.parametrize("bad", list(BAD))
def test_a_completion_result_with_control_or_bidi_characters_is_refused(
    session: Session, org: Org, bad: str
) -> None:
    run = make_run(session, activities=[True])
    enrolment = stored_enrolment(session, run, org.leader, EnrolmentStatus.ENROLLED)
    text, code = BAD[bad]
    with pytest.raises(DomainError) as refused:
        record_completion(
            session,
            actor=viewer(org.hr, Role.HR),
            enrolment_id=enrolment.id,
            activity_id=run.course.activities[0].id,
            completed_at=utcnow(),
            result=text,
        )
    assert (refused.value.field, refused.value.code) == ("result", ErrorCode(code))
    assert count(session, ActivityCompletion, ActivityCompletion.enrolment_id == enrolment.id) == 0
