"""Bad input to the dialogue services: every problem named in Danish, nothing stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from catalogue.models import DialogueCycle, DialogueFocus, DialogueStatus
from catalogue.services.dialogue import agreement, cycles, preparation
from catalogue.services.dialogue.agreement import FocusInput
from catalogue.services.dialogue.preparation import AssessmentInput, ImportanceInput
from catalogue.services.errors import DomainError, DomainValidationError, ErrorCode
from tests.dialogue.factories import statement, stored_dialogue
from tests.enrolment.factories import Org, count, viewer


def _problems(error: DomainError) -> list[tuple[str | None, ErrorCode]]:
    errors = error.errors if isinstance(error, DomainValidationError) else [error]
    return [(e.field, e.code) for e in errors]


def test_a_cycle_with_every_problem_at_once(session: Session, org: Org) -> None:
    today = date.today()
    with pytest.raises(DomainError) as caught:
        cycles.create_cycle(
            session,
            actor=viewer(org.hr),
            year=1999,
            title="\x00LUS",
            opens_on=today,
            preparation_due=today - timedelta(days=1),
            meeting_from=today,
            meeting_until=today + timedelta(days=5),
            closes_on=today + timedelta(days=4),
            scale_min=1,
            scale_max=4,
            scale_labels=["lav", "høj"],
            profile_version=999,
        )
    assert _problems(caught.value) == [
        ("title", ErrorCode.INVALID),
        ("year", ErrorCode.INVALID),
        ("preparationDue", ErrorCode.INVALID),
        ("closesOn", ErrorCode.INVALID),
        ("scaleLabels", ErrorCode.INVALID),
        ("profileVersion", ErrorCode.NOT_FOUND),
    ]
    assert "styretegn (U+0000)" in caught.value.message
    assert count(session, DialogueCycle, DialogueCycle.year == 1999) == 0


def test_only_hr_sets_up_cycles(session: Session, org: Org, cycle: DialogueCycle) -> None:
    with pytest.raises(DomainError) as caught:
        cycles.open_cycle(session, actor=viewer(org.chef), cycle_id=cycle.id)
    assert caught.value.code is ErrorCode.FORBIDDEN


def test_importance_outside_0_to_3_and_a_statement_twice(
    session: Session, org: Org, cycle: DialogueCycle
) -> None:
    dialogue = stored_dialogue(session, cycle, org.leader, DialogueStatus.INVITED)
    k15 = statement(session, "K1.5").id
    with pytest.raises(DomainError) as caught:
        preparation.save_preparation(
            session,
            actor=viewer(org.leader),
            dialogue_id=dialogue.id,
            importances=[ImportanceInput(k15, 4), ImportanceInput(k15, 2)],
            assessments=[AssessmentInput(k15, 0), AssessmentInput(2_000_000, 3)],
        )
    assert _problems(caught.value) == [
        ("importances[0].importance", ErrorCode.INVALID),
        ("importances[1].statementId", ErrorCode.DUPLICATE),
        ("assessments[0].score", ErrorCode.INVALID),
        ("assessments[1].statementId", ErrorCode.NOT_FOUND),
    ]
    assert dialogue.status is DialogueStatus.INVITED


def test_a_submitted_preparation_cannot_be_changed(
    session: Session, org: Org, cycle: DialogueCycle
) -> None:
    dialogue = stored_dialogue(session, cycle, org.leader, DialogueStatus.INVITED)
    preparation.submit_preparation(session, actor=viewer(org.leader), dialogue_id=dialogue.id)
    with pytest.raises(DomainError) as caught:
        preparation.save_preparation(
            session,
            actor=viewer(org.leader),
            dialogue_id=dialogue.id,
            assessments=[AssessmentInput(statement(session, "K1.5").id, 3)],
        )
    assert caught.value.code is ErrorCode.INVALID_TRANSITION
    assert caught.value.message == (
        "Du har allerede indsendt din forberedelse; den kan ikke ændres bagefter."
    )


def test_agreement_text_rules_and_a_reopen_without_reason(
    session: Session, org: Org, cycle: DialogueCycle
) -> None:
    dialogue = stored_dialogue(session, cycle, org.leader, DialogueStatus.HELD)
    k15 = statement(session, "K1.5").id
    with pytest.raises(DomainError) as caught:
        agreement.set_agreement(
            session,
            actor=viewer(org.chef),
            dialogue_id=dialogue.id,
            summary="x" * 20_001,
            focuses=[FocusInput(k15, "Mål\u202e", ""), FocusInput(k15, "Mål", "Tegn")],
        )
    assert _problems(caught.value) == [
        ("summary", ErrorCode.TOO_LONG),
        ("focuses[0].goal", ErrorCode.INVALID),
        ("focuses[0].successCriteria", ErrorCode.REQUIRED),
        ("focuses[1].statementId", ErrorCode.DUPLICATE),
    ]
    assert count(session, DialogueFocus, DialogueFocus.dialogue_id == dialogue.id) == 0
    with pytest.raises(DomainError) as reopen:
        agreement.reopen(session, actor=viewer(org.chef), dialogue_id=dialogue.id, reason="  ")
    assert (reopen.value.field, reopen.value.code) == ("reason", ErrorCode.REQUIRED)
    assert dialogue.status is DialogueStatus.HELD


def test_a_summary_without_focus_cannot_be_confirmed(
    session: Session, org: Org, cycle: DialogueCycle
) -> None:
    dialogue = stored_dialogue(session, cycle, org.leader, DialogueStatus.HELD)
    with pytest.raises(DomainError) as caught:
        agreement.confirm_summary(session, actor=viewer(org.leader), dialogue_id=dialogue.id)
    assert [m.message for m in caught.value.errors] == [  # type: ignore[attr-defined]
        "Skriv referatet, før det bekræftes.",
        "Aftal mindst ét fokusudsagn, før referatet bekræftes.",
    ]
    assert dialogue.leader_confirmed_at is None
