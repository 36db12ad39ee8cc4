"""The demo catalogue is believable and covers the whole profile."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    CompetenceLink,
    CompetenceStatement,
    Course,
    CourseRun,
    CourseStatus,
    LinkStrength,
    Person,
)
from catalogue.seeding.files import read_seed_file
from catalogue.seeding.loader import DEMO_FILE
from catalogue.seeding.schema import DemoSeed, RunSeed
from catalogue.services.catalogue_queries import seats_taken
from catalogue.services.profiles import current_profile


def test_demo_file_is_marked_as_demo_data() -> None:
    seed = read_seed_file(DEMO_FILE, DemoSeed)
    assert seed.demo is True
    assert "Demodata" in seed.notice
    assert DEMO_FILE.read_text(encoding="utf-8").startswith("# DEMODATA")


def test_at_least_40_courses_of_every_kind(session: Session) -> None:
    kinds = Counter(session.scalars(select(Course.kind)))
    assert sum(kinds.values()) >= 40
    assert all(count >= 2 for count in kinds.values())
    assert len(kinds) == 8
    assert session.scalar(select(func.count()).select_from(Course).where(Course.ects > 0))


def test_every_statement_has_a_primary_link_from_a_published_course(session: Session) -> None:
    profile = current_profile(session)
    assert profile is not None
    course_of_link = func.coalesce(CompetenceLink.course_id, Activity.course_id)
    covered = set(
        session.scalars(
            select(CompetenceStatement.key)
            .join(CompetenceLink, CompetenceLink.statement_id == CompetenceStatement.id)
            .outerjoin(Activity, Activity.id == CompetenceLink.activity_id)
            .join(Course, Course.id == course_of_link)
            .where(
                CompetenceStatement.profile_id == profile.id,
                CompetenceLink.strength == LinkStrength.PRIMARY,
                Course.status == CourseStatus.PUBLISHED,
            )
        )
    )
    all_keys = set(
        session.scalars(
            select(CompetenceStatement.key).where(CompetenceStatement.profile_id == profile.id)
        )
    )
    assert len(all_keys) == 39
    assert covered == all_keys
    rationales = list(session.scalars(select(CompetenceLink.rationale)))
    assert all(r.strip() for r in rationales)
    assert len(set(rationales)) == len(rationales)


def test_runs_include_full_past_deadline_and_approval_cases(session: Session) -> None:
    now = datetime.now(UTC)
    runs = session.scalars(select(CourseRun)).all()
    taken = seats_taken(session, [run.id for run in runs])
    full = [r for r in runs if r.capacity is not None and taken.get(r.id, 0) >= r.capacity]
    deadline_passed = [
        r for r in runs if r.enrolment_deadline and r.enrolment_deadline < now < r.starts_at
    ]
    assert len(full) >= 3
    assert len(deadline_passed) >= 3
    assert sum(r.approval_required for r in runs) >= 5
    assert any(r.starts_at > now for r in runs)


def test_diplom_modules_have_their_teaching_days_as_sessions_inside_the_run(
    session: Session,
) -> None:
    runs = session.scalars(select(CourseRun).where(CourseRun.code.like("DIP-LED-%"))).all()
    with_sessions = [r for r in runs if r.sessions]
    assert len(with_sessions) >= 4
    for run in with_sessions:
        assert run.ends_at - run.starts_at > timedelta(days=30)  # a long run...
        assert len(run.sessions) < 10  # ...is a handful of days, not one block
        assert run.sessions[0].starts_at == run.starts_at
        assert run.sessions[-1].ends_at == run.ends_at
        for before, after in itertools.pairwise(run.sessions):
            assert before.ends_at <= after.starts_at
    assert any(not r.sessions for r in runs)  # and runs without, for the all-day fallback


def test_a_demo_session_outside_its_run_is_refused_naming_it() -> None:
    seed = read_seed_file(DEMO_FILE, DemoSeed).model_dump()
    run = next(r for c in seed["courses"] for r in c["runs"] if r["sessions"])
    for change, words in [
        ({"day": run["days"] + 1}, "efter holdets"),
        ({"start_time": "16:00", "end_time": "15:00"}, "slutte efter"),
        ({"day": 1, "start_time": "07:00"}, "før holdet"),
    ]:
        broken = {**run, "sessions": [{**run["sessions"][0], **change}]}
        with pytest.raises(ValidationError, match=words):
            RunSeed.model_validate(broken)
    twice = {**run, "sessions": [run["sessions"][0], run["sessions"][0]]}
    with pytest.raises(ValidationError, match="ikke overlappe"):
        RunSeed.model_validate(twice)


def test_organisation_has_a_director_chefs_leaders_hr_and_admin(session: Session) -> None:
    people = session.scalars(select(Person)).all()
    directors = [p for p in people if p.is_chef and p.manager_id is None]
    chefs = [p for p in people if p.is_chef]
    leaders_with_manager = [p for p in people if p.is_leader and p.manager_id is not None]
    assert len(directors) == 1
    assert len(chefs) >= 3
    assert 15 <= len(leaders_with_manager) <= 25
    assert any(p.is_hr for p in people)
    assert any(p.is_admin for p in people)
    assert all(p.email.endswith("@demo.ltk.example") for p in people)
