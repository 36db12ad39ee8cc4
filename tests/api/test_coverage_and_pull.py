"""HR's coverage overview, and the LMS's incremental pull with tombstones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from strawberry.relay import to_base64

from catalogue.models import CompetenceLink, CompetenceStatement, Course, CourseStatus, Role
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.tokens import person, token_for

COVERAGE = """{ competenceCoverage { isGap upcomingRuns seatsLeft statement { key }
  primaryCourses { code status } supportingCourses { code } primaryActivities { code } } }"""


def test_coverage_is_for_hr_and_lists_every_statement(
    client: TestClient, session: Session, settings: Settings
) -> None:
    leader = token_for(settings, person(session, is_leader=True, is_chef=False), Role.LEADER)
    assert gql(client, COVERAGE, token=leader)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    hr = token_for(settings, person(session, is_hr=True), Role.HR)
    rows = gql(client, COVERAGE, token=hr)["data"]["competenceCoverage"]
    assert len(rows) == 39
    assert not any(row["isGap"] for row in rows)  # the demo covers every statement
    assert all(c["status"] == "PUBLISHED" for row in rows for c in row["primaryCourses"])


def test_a_statement_whose_primary_course_is_archived_becomes_a_gap_listed_first(
    client: TestClient, session: Session, settings: Settings
) -> None:
    hr = token_for(settings, person(session, is_hr=True), Role.HR)
    statement_id = session.scalars(
        select(CompetenceStatement.id).where(CompetenceStatement.key == "K5.5")
    ).first()
    primary = session.scalars(
        select(CompetenceLink).where(
            CompetenceLink.statement_id == statement_id, CompetenceLink.strength == "PRIMARY"
        )
    ).all()
    for link in primary:
        course = link.course or link.activity.course  # type: ignore[union-attr]
        for run in course.runs:  # a course is archived only once nobody expects its runs
            gql(
                client,
                "mutation($id: ID!) { courseRunCancel(input: {id: $id}) { userErrors { code } } }",
                {"id": to_base64("CourseRun", run.id)},
                token=hr,
            )
        archived = gql(
            client,
            "mutation($id: ID!) { courseArchive(input: {id: $id}) { userErrors { code } } }",
            {"id": to_base64("Course", course.id)},
            token=hr,
        )
        assert archived["data"]["courseArchive"]["userErrors"] == []
    rows = gql(client, COVERAGE, token=hr)["data"]["competenceCoverage"]
    gaps = [row["statement"]["key"] for row in rows if row["isGap"]]
    assert "K5.5" in gaps
    assert [row["isGap"] for row in rows] == sorted((row["isGap"] for row in rows), reverse=True)


def test_repeated_pulls_mirror_the_catalogue_with_tombstones(
    client: TestClient, session: Session, settings: Settings
) -> None:
    hr = token_for(settings, person(session, is_hr=True), Role.HR)
    lms = token_for(settings, person(session, is_lms=True), Role.LMS)
    # Make "before" well defined: everything seeded counts as changed an hour ago.
    past = datetime.now(UTC) - timedelta(hours=1)
    for model in (Course, CompetenceLink):
        session.execute(update(model).values(updated_at=past))
    session.flush()
    since = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    pull = """query($since: DateTime!) {
      courses(filter: {updatedSince: $since}, orderBy: UPDATED_AT) { nodes { code status } }
      competenceLinks(updatedSince: $since) { nodes { id removedAt statement { key } } } }"""
    assert gql(client, pull, {"since": since}, token=lms)["data"] == {
        "courses": {"nodes": []},
        "competenceLinks": {"nodes": []},
    }
    course = session.scalars(
        select(Course).where(Course.status == CourseStatus.PUBLISHED).order_by(Course.code)
    ).first()
    assert course is not None
    link = session.scalars(
        select(CompetenceLink).where(
            CompetenceLink.course_id == course.id, CompetenceLink.removed_at.is_(None)
        )
    ).first()
    assert link is not None
    gql(
        client,
        "mutation($id: ID!) { competenceLinkRemove(input: {id: $id}) { userErrors { code } } }",
        {"id": to_base64("CompetenceLink", link.id)},
        token=hr,
    )
    changed = gql(client, pull, {"since": since}, token=lms)["data"]
    assert [n["code"] for n in changed["courses"]["nodes"]] == [course.code]
    assert [n["id"] for n in changed["competenceLinks"]["nodes"]] == [
        to_base64("CompetenceLink", link.id)
    ]
    assert changed["competenceLinks"]["nodes"][0]["removedAt"]
