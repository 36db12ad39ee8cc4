"""Demo dialogues: a cycle of this year opened and a few dialogues moved through the services.

The demo goes through the same service functions as people do (HR opens the cycle,
leader and chef prepare, the chef holds the meeting, both confirm), so what ``make
run`` shows is what the rules allow. Loading is idempotent: a cycle of the same
year and title is left as it is.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import CourseRun, Dialogue, DialogueCycle, Person, Role, RoleProfile
from catalogue.seeding.schema import DemoDialogueSeed, DemoSeed
from catalogue.services.danish_dates import LOCAL_TZ
from catalogue.services.dialogue import agreement, cycles, preparation
from catalogue.services.dialogue.agreement import ActionInput, FocusInput
from catalogue.services.dialogue.preparation import AssessmentInput, ImportanceInput
from catalogue.services.identity import Viewer
from catalogue.services.profiles import current_profile, statements_by_key


def _viewer(person: Person) -> Viewer:
    return Viewer(person_id=person.id, email=person.email, roles=person.roles)


def load_dialogues(session: Session, seed: DemoSeed, *, today: date) -> dict[str, int]:
    """The demo's role profiles and dialogue cycle; returns what was created."""
    created = {"role_profiles": 0, "dialogue_cycles": 0, "dialogues_moved": 0}
    hr = session.scalars(
        select(Person).where(Person.holds_any([Role.HR])).order_by(Person.id)
    ).first()
    if hr is None:
        return created
    actor = _viewer(hr)
    for role_seed in seed.role_profiles:
        if session.scalar(select(RoleProfile.id).where(RoleProfile.key == role_seed.key)) is None:
            cycles.save_role_profile(
                session,
                actor=actor,
                key=role_seed.key,
                name=role_seed.name,
                importances=role_seed.importances,
            )
            created["role_profiles"] += 1
    cycle_seed = seed.dialogue_cycle
    if cycle_seed is None:
        return created
    existing = session.scalar(
        select(DialogueCycle.id).where(
            DialogueCycle.year == today.year, DialogueCycle.title == cycle_seed.title
        )
    )
    if existing is not None:
        return created

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    cycle = cycles.create_cycle(
        session,
        actor=actor,
        year=today.year,
        title=cycle_seed.title,
        opens_on=day(cycle_seed.opens_in_days),
        preparation_due=day(cycle_seed.preparation_due_in_days),
        meeting_from=day(cycle_seed.meeting_from_in_days),
        meeting_until=day(cycle_seed.meeting_until_in_days),
        closes_on=day(cycle_seed.closes_in_days),
    )
    cycles.open_cycle(session, actor=actor, cycle_id=cycle.id)
    created["dialogue_cycles"] += 1
    profile = current_profile(session)
    assert profile is not None
    statements = {key: s.id for key, s in statements_by_key(session, profile.id).items()}
    for dialogue_seed in cycle_seed.dialogues:
        _move(session, cycle, dialogue_seed, statements, today)
        created["dialogues_moved"] += 1
    session.flush()
    return created


def _move(
    session: Session,
    cycle: DialogueCycle,
    seed: DemoDialogueSeed,
    statements: dict[str, int],
    today: date,
) -> None:
    leader = session.scalar(select(Person).where(Person.email == seed.leader))
    assert leader is not None
    dialogue = session.scalar(
        select(Dialogue).where(Dialogue.cycle_id == cycle.id, Dialogue.leader_id == leader.id)
    )
    if dialogue is None:  # the leader has no chef: nothing to show
        return
    chef = session.get(Person, dialogue.chef_id)
    assert chef is not None
    as_leader, as_chef = _viewer(leader), _viewer(chef)
    preparation.save_preparation(
        session,
        actor=as_leader,
        dialogue_id=dialogue.id,
        assessments=[AssessmentInput(statements[k], v) for k, v in seed.leader_scores.items()],
    )
    if seed.status == "PREPARING":
        return
    preparation.save_preparation(
        session,
        actor=as_chef,
        dialogue_id=dialogue.id,
        assessments=[AssessmentInput(statements[k], v) for k, v in seed.chef_scores.items()],
    )
    preparation.submit_preparation(session, actor=as_leader, dialogue_id=dialogue.id)
    preparation.submit_preparation(session, actor=as_chef, dialogue_id=dialogue.id)
    meeting_day = max(cycle.meeting_from, today + timedelta(days=3))
    agreement.schedule_meeting(
        session,
        actor=as_chef,
        dialogue_id=dialogue.id,
        meeting_at=datetime.combine(meeting_day, time(10), tzinfo=LOCAL_TZ),
        place="Lyngby Rådhus, mødelokale 2.03",
    )
    if seed.status == "READY":
        return
    agreement.record_meeting(
        session,
        actor=as_chef,
        dialogue_id=dialogue.id,
        importances=[ImportanceInput(statements[k], v) for k, v in seed.agreed_importances.items()],
    )
    runs = {run.code: run.id for run in session.scalars(select(CourseRun))}
    agreement.set_agreement(
        session,
        actor=as_chef,
        dialogue_id=dialogue.id,
        summary=seed.summary,
        focuses=[
            FocusInput(
                statements[focus.statement],
                focus.goal,
                focus.success_criteria,
                [
                    ActionInput(
                        kind=action.kind,
                        description=action.description,
                        course_run_id=runs[action.course_run] if action.course_run else None,
                        due_on=today + timedelta(days=action.due_in_days)
                        if action.due_in_days is not None
                        else None,
                    )
                    for action in focus.actions
                ],
            )
            for focus in seed.focus
        ],
    )
    if seed.status == "HELD":
        return
    agreement.confirm_summary(session, actor=as_leader, dialogue_id=dialogue.id)
    agreement.confirm_summary(session, actor=as_chef, dialogue_id=dialogue.id)
