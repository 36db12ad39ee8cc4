"""A whole year's dialogue through the services, on both backends.

HR opens a cycle → leader and chef prepare blind → the meeting → an agreement with
two focus statements and a booked course → the LMS reports the completion → the
course action is DONE by itself → follow-up → HR closes the cycle; the frozen
snapshot is what both agreed.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    ActionKind,
    ActionStatus,
    AuditLogEntry,
    DialogueCycle,
    DialogueSnapshot,
    DialogueStatus,
    EnrolmentStatus,
)
from catalogue.models.base import utcnow
from catalogue.services import completions
from catalogue.services.dialogue import actions, agreement, cycles, preparation
from catalogue.services.dialogue.access import Standing
from catalogue.services.dialogue.agreement import ActionInput, FocusInput
from catalogue.services.dialogue.preparation import AssessmentInput, ImportanceInput
from catalogue.services.dialogue.side_by_side import side_by_side
from tests.dialogue.factories import dialogue_of, statement
from tests.enrolment.factories import Org, make_run, started, viewer


def _row(session: Session, dialogue_id: int, where: Standing, key: str) -> object:
    from catalogue.models import Dialogue

    dialogue = session.get(Dialogue, dialogue_id)
    assert dialogue is not None
    return next(r for r in side_by_side(session, dialogue, where) if r.key == key)


def test_a_full_cycle_from_invitation_to_close(
    session: Session, org: Org, cycle: DialogueCycle
) -> None:
    leader, chef = viewer(org.leader), viewer(org.chef)
    dialogue = dialogue_of(session, cycle, org.leader)
    assert dialogue.chef_id == org.chef.id
    assert dialogue.status is DialogueStatus.INVITED
    k15, k32 = statement(session, "K1.5"), statement(session, "K3.2")
    run = make_run(session, capacity=5, primary=["K1.5"])

    # Blind preparation: neither sees the other's draft or submission before both are in.
    preparation.save_preparation(
        session,
        actor=leader,
        dialogue_id=dialogue.id,
        importances=[ImportanceInput(k15.id, 3, "Kerneopgaven i år.")],
        assessments=[AssessmentInput(k15.id, 2, "Usikker."), AssessmentInput(k32.id, None)],
    )
    assert dialogue.status is DialogueStatus.PREPARING
    preparation.save_preparation(
        session,
        actor=chef,
        dialogue_id=dialogue.id,
        assessments=[AssessmentInput(k15.id, 3), AssessmentInput(k32.id, 4)],
    )
    preparation.submit_preparation(session, actor=leader, dialogue_id=dialogue.id)
    seen_by_chef = _row(session, dialogue.id, Standing.CHEF, "K1.5")
    assert seen_by_chef.self_assessment is None  # type: ignore[attr-defined]
    assert seen_by_chef.leader_importance is None  # type: ignore[attr-defined]
    seen_by_leader = _row(session, dialogue.id, Standing.LEADER, "K1.5")
    assert seen_by_leader.chef_assessment is None  # type: ignore[attr-defined]
    assert seen_by_leader.self_assessment.score == 2  # type: ignore[attr-defined]
    preparation.submit_preparation(session, actor=chef, dialogue_id=dialogue.id)
    assert dialogue.status is DialogueStatus.READY
    both = _row(session, dialogue.id, Standing.CHEF, "K1.5")
    assert both.self_assessment.score == 2  # type: ignore[attr-defined]
    assert both.chef_assessment.score == 3  # type: ignore[attr-defined]
    assert both.difference == -1  # type: ignore[attr-defined]
    assert both.leader_importance == 3  # type: ignore[attr-defined]
    ved_ikke = _row(session, dialogue.id, Standing.CHEF, "K3.2")
    assert ved_ikke.self_assessment.score is None  # type: ignore[attr-defined]
    assert ved_ikke.difference is None  # type: ignore[attr-defined]
    assert ved_ikke.gap == 1  # "ved ikke" does not count: only the chef's 4 does

    # The meeting and the agreement.
    meeting = datetime.combine(cycle.meeting_from + timedelta(days=6), time(10), tzinfo=UTC)
    agreement.schedule_meeting(
        session, actor=chef, dialogue_id=dialogue.id, meeting_at=meeting, place="Mødelokale 2"
    )
    agreement.record_meeting(
        session,
        actor=chef,
        dialogue_id=dialogue.id,
        importances=[ImportanceInput(k15.id, 3, "Aftalt."), ImportanceInput(k32.id, 2)],
    )
    assert dialogue.status is DialogueStatus.HELD
    top = side_by_side(session, dialogue, Standing.LEADER)[0]
    assert top.key == "K1.5"  # importance 3 × gap 3 is the highest priority
    assert top.priority == 9
    agreement.set_agreement(
        session,
        actor=chef,
        dialogue_id=dialogue.id,
        summary="Vi aftalte at arbejde med K1.5 og K3.2.",
        focuses=[
            FocusInput(
                k15.id,
                goal="Jeg vil lede forandringen i min afdeling med mere ro.",
                success_criteria="Medarbejderne kender retningen.",
                actions=[ActionInput(ActionKind.COURSE, "Kurset i forandringsledelse", run.id)],
            ),
            FocusInput(
                k32.id,
                goal="Jeg vil bruge data i dialogen med politikerne.",
                success_criteria="To sager med datagrundlag.",
                actions=[ActionInput(ActionKind.MENTORING, "Mentor fra økonomi")],
            ),
        ],
    )
    agreement.confirm_summary(session, actor=leader, dialogue_id=dialogue.id)
    assert dialogue.status is DialogueStatus.HELD
    agreement.confirm_summary(session, actor=chef, dialogue_id=dialogue.id)
    assert dialogue.status is DialogueStatus.AGREED

    # The plan: the course booked through the enrolment service, completed by the LMS.
    focus_rows = sorted(dialogue_focus(session, dialogue.id), key=lambda f: f.position)
    course_action = focus_rows[0].actions[0]
    mentoring = focus_rows[1].actions[0]
    actions.book_action(session, actor=chef, action_id=course_action.id)
    assert course_action.status is ActionStatus.BOOKED
    assert course_action.enrolment is not None
    assert course_action.enrolment.status is EnrolmentStatus.ENROLLED
    started(session, run)
    completions.record_completion(
        session,
        actor=viewer(org.lms),
        enrolment_id=course_action.enrolment_id,
        completed_at=utcnow(),
    )
    session.flush()
    session.expire_all()
    assert course_action.status is ActionStatus.DONE
    actions.set_action_status(
        session, actor=leader, action_id=mentoring.id, status=ActionStatus.DONE
    )

    agreement.record_follow_up(
        session, actor=chef, dialogue_id=dialogue.id, note="Kurset er taget; mentor i gang."
    )
    assert dialogue.status is DialogueStatus.FOLLOWED_UP
    cycles.close_cycle(session, actor=viewer(org.hr), cycle_id=cycle.id)
    assert dialogue.status is DialogueStatus.CLOSED

    snapshots = list(
        session.scalars(select(DialogueSnapshot).where(DialogueSnapshot.dialogue_id == dialogue.id))
    )
    assert len(snapshots) == 1
    assert snapshots[0].content == {
        "profile_version": cycle.profile.version,
        "summary": "Vi aftalte at arbejde med K1.5 og K3.2.",
        "adaptation": {
            "K1.5": {"importance": 3, "rationale": "Aftalt."},
            "K3.2": {"importance": 2, "rationale": ""},
        },
        "assessments": {
            "self": {
                "K1.5": {"score": 2, "comment": "Usikker."},
                "K3.2": {"score": None, "comment": ""},
            },
            "chef": {
                "K1.5": {"score": 3, "comment": ""},
                "K3.2": {"score": 4, "comment": ""},
            },
        },
        "focus": [
            {
                "statement": "K1.5",
                "goal": "Jeg vil lede forandringen i min afdeling med mere ro.",
                "success_criteria": "Medarbejderne kender retningen.",
                "actions": [
                    {
                        "kind": "COURSE",
                        "description": "Kurset i forandringsledelse",
                        "course_run": run.code,
                        "owner_id": org.leader.id,
                        "starts_on": None,
                        "due_on": None,
                    }
                ],
            },
            {
                "statement": "K3.2",
                "goal": "Jeg vil bruge data i dialogen med politikerne.",
                "success_criteria": "To sager med datagrundlag.",
                "actions": [
                    {
                        "kind": "MENTORING",
                        "description": "Mentor fra økonomi",
                        "course_run": None,
                        "owner_id": org.leader.id,
                        "starts_on": None,
                        "due_on": None,
                    }
                ],
            },
        ],
    }
    moves = list(
        session.scalars(
            select(AuditLogEntry.action)
            .where(AuditLogEntry.entity_type == "Dialogue", AuditLogEntry.entity_id == dialogue.id)
            .order_by(AuditLogEntry.id)
        )
    )
    assert moves == [
        "DIALOGUE_INVITED",
        "DIALOGUE_PREPARATION_STARTED",
        "DIALOGUE_PREPARATION_SUBMITTED",
        "DIALOGUE_PREPARATION_SUBMITTED",
        "DIALOGUE_READY",
        "DIALOGUE_HELD",
        "DIALOGUE_SUMMARY_CONFIRMED",
        "DIALOGUE_SUMMARY_CONFIRMED",
        "DIALOGUE_AGREED",
        "DIALOGUE_FOLLOWED_UP",
        "DIALOGUE_CLOSED",
    ]


def dialogue_focus(session: Session, dialogue_id: int) -> list:  # type: ignore[type-arg]
    from catalogue.models import DialogueFocus

    return list(
        session.scalars(select(DialogueFocus).where(DialogueFocus.dialogue_id == dialogue_id))
    )


def test_a_booked_course_completed_through_the_lms_batch_moves_its_action(
    session: Session, org: Org, cycle: DialogueCycle
) -> None:
    from catalogue.services.completion_batches import (
        ReportedCompletion,
        record_activity_completions,
    )

    run = make_run(session, activities=[True, True], primary=["K1.5"])
    dialogue = dialogue_of(session, cycle, org.leader)
    dialogue.status = DialogueStatus.HELD
    session.flush()
    agreement.set_agreement(
        session,
        actor=viewer(org.chef),
        dialogue_id=dialogue.id,
        summary="Referat.",
        focuses=[
            FocusInput(
                statement(session, "K1.5").id,
                "Mål.",
                "Tegn.",
                [ActionInput(ActionKind.COURSE, "Kurset", run.id)],
            )
        ],
    )
    [focus] = dialogue_focus(session, dialogue.id)
    action = focus.actions[0]
    actions.book_action(session, actor=viewer(org.leader), action_id=action.id)
    started(session, run)
    first, second = run.course.activities
    enrolment_id = action.enrolment_id
    assert enrolment_id is not None
    yesterday = utcnow() - timedelta(days=1)
    record_activity_completions(
        session,
        actor=viewer(org.lms),
        reported=[ReportedCompletion(enrolment_id, first.id, yesterday)],
    )
    session.expire_all()
    assert action.status is ActionStatus.IN_PROGRESS
    record_activity_completions(
        session,
        actor=viewer(org.lms),
        reported=[ReportedCompletion(enrolment_id, second.id, yesterday)],
    )
    session.expire_all()
    assert action.status is ActionStatus.DONE
