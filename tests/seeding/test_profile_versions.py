"""Profile versions as ``catalogue seed`` makes them, seen by HR and by the LMS.

Each test loads an edited copy of ``seed/profile.yaml`` (and the real
``seed/demo.yaml``) with the loader ``catalogue seed`` runs, on both backends,
and then reads the result the way HR and an LMS mirror do: coverage, the
``competenceLinks`` feed and the persisted LMS operations.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from strawberry.relay import to_base64

from catalogue.models import (
    Activity,
    AuditLogEntry,
    CompetenceLink,
    CompetenceStatement,
    Course,
    Role,
)
from catalogue.seeding.loader import PROFILE_FILE, seed
from catalogue.services.profiles import current_profile, profile_by_version
from catalogue.settings import Settings
from tests.api.graphql_client import gql
from tests.api.lms_operations import OPERATIONS
from tests.api.tokens import person, token_for
from tests.conftest import SEED_DAY

#: The tester's case: HR removed this PRIMARY link, leaving K1.10 without it.
REMOVED = ("K1.10", "KUR-ROBUST")

LIVE_LINKS = """query($after: String) {
  competenceLinks(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id strength statement { key profileVersion }
            target { __typename ... on Course { code } ... on Activity { code } } } } }"""

CHANGED_LINKS = """query($since: DateTime!, $after: String) {
  competenceLinks(updatedSince: $since, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id strength removedAt removalReason supersededBy { id }
            statement { key profileVersion }
            target { __typename ... on Course { code } ... on Activity { code } } } } }"""


def _profile_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(PROFILE_FILE.read_text(encoding="utf-8"))
    return data


def _write(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _edited_profile(tmp_path: Path, suffix: str = " og i hverdagen") -> Path:
    """The profile with K3.2's text changed, as HR's correction of a statement would be."""
    data = _profile_data()
    data["fields"][2]["statements"][1]["text"] += suffix
    return _write(tmp_path, f"profile-{suffix.strip().replace(' ', '-')}.yaml", data)


def _seed(factory: sessionmaker[Session], profile_file: Path, *, demo: bool = True) -> Any:
    return seed(factory, demo=demo, profile_file=profile_file, today=SEED_DAY)


def _lms(session: Session, settings: Settings) -> str:
    return token_for(settings, person(session, is_lms=True), Role.LMS)


def _hr(session: Session, settings: Settings) -> str:
    return token_for(settings, person(session, is_hr=True), Role.HR)


def _pages(client: TestClient, query: str, token: str, **variables: Any) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        body = gql(client, query, {**variables, "after": after}, token=token)
        assert "errors" not in body, body["errors"]
        page = body["data"]["competenceLinks"]
        nodes.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def _triple(node: dict[str, Any]) -> tuple[str, str, str]:
    return (node["statement"]["key"], node["target"]["code"], node["strength"])


def _live_links_of(session: Session, key: str, course_code: str) -> list[CompetenceLink]:
    """Live links from statement ``key`` (any version) to the course or one of its activities."""
    course_id = session.scalar(select(Course.id).where(Course.code == course_code))
    activity_ids = select(Activity.id).where(Activity.course_id == course_id)
    return list(
        session.scalars(
            select(CompetenceLink)
            .join(CompetenceStatement, CompetenceStatement.id == CompetenceLink.statement_id)
            .where(
                CompetenceStatement.key == key,
                CompetenceLink.removed_at.is_(None),
                (CompetenceLink.course_id == course_id)
                | CompetenceLink.activity_id.in_(activity_ids),
            )
        )
    )


def _remove_through_the_api(client: TestClient, token: str, link: CompetenceLink) -> None:
    body = gql(
        client,
        "mutation($id: ID!) { competenceLinkRemove(input: {id: $id}) { userErrors { code } } }",
        {"id": to_base64("CompetenceLink", link.id)},
        token=token,
    )
    assert body["data"]["competenceLinkRemove"]["userErrors"] == []


def _age_everything(session: Session) -> str:
    """Every row counts as changed an hour ago; returns a ``since`` just before now."""
    past = datetime.now(UTC) - timedelta(hours=1)
    for model in (Course, Activity, CompetenceLink):
        session.execute(update(model).values(updated_at=past))
    session.commit()
    return (datetime.now(UTC) - timedelta(minutes=1)).isoformat()


# --- 1. HR's removals stand ----------------------------------------------------------------


def test_a_link_hr_removed_stays_removed_across_new_versions_and_re_seeds(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    tmp_path: Path,
) -> None:
    hr = _hr(session, settings)
    [link] = _live_links_of(session, *REMOVED)
    _remove_through_the_api(client, hr, link)
    session.expire_all()
    assert _live_links_of(session, *REMOVED) == []

    assert _seed(session_factory, _edited_profile(tmp_path)).profile.version == 2
    session.expire_all()
    assert _live_links_of(session, *REMOVED) == []  # the demo file does not bring it back

    assert not _seed(session_factory, _edited_profile(tmp_path)).changed  # a re-seed neither
    assert _seed(session_factory, _edited_profile(tmp_path, " igen")).profile.version == 3
    session.expire_all()
    assert _live_links_of(session, *REMOVED) == []

    coverage = gql(
        client,
        "{ competenceCoverage { statement { key profileVersion } primaryCourses { code } } }",
        token=hr,
    )["data"]["competenceCoverage"]
    [k1_10] = [row for row in coverage if row["statement"]["key"] == "K1.10"]
    assert k1_10["statement"]["profileVersion"] == 3
    assert "KUR-ROBUST" not in {course["code"] for course in k1_10["primaryCourses"]}


def test_the_demo_still_adds_a_link_that_never_existed_to_the_new_version(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    """Only what HR's history knows is left alone: a brand new demo link arrives."""
    [link] = _live_links_of(session, *REMOVED)
    session.delete(link)  # not removed by HR: gone, as if the demo link were new
    session.commit()

    _seed(session_factory, _edited_profile(tmp_path))
    session.expire_all()
    [created] = _live_links_of(session, *REMOVED)
    assert created.statement.profile.version == 2


# --- 2. A reverted file ----------------------------------------------------------------------


def test_a_file_put_back_to_an_older_text_becomes_a_new_version_with_that_text(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    assert _seed(session_factory, _edited_profile(tmp_path)).profile.version == 2

    reverted = _seed(session_factory, PROFILE_FILE)

    assert reverted.profile.created
    assert reverted.profile.version == 3
    assert reverted.profile.same_as_version == 1
    assert reverted.summary().startswith(
        "kompetenceprofil version 3 oprettet med samme indhold som version 1"
    )
    session.expire_all()
    live = current_profile(session)
    first = profile_by_version(session, 1)
    assert live is not None
    assert first is not None
    assert live.version == 3
    assert live.content_digest == first.content_digest

    def texts(profile_id: int) -> dict[str, str]:
        return dict(
            session.execute(
                select(CompetenceStatement.key, CompetenceStatement.text).where(
                    CompetenceStatement.profile_id == profile_id
                )
            ).all()
        )

    assert texts(live.id) == texts(first.id)
    audit = session.scalars(
        select(AuditLogEntry).where(
            AuditLogEntry.action == "PROFILE_VERSION_CREATED", AuditLogEntry.entity_id == live.id
        )
    ).one()
    assert audit.details["same_as_version"] == 1

    again = _seed(session_factory, PROFILE_FILE)
    assert not again.changed
    assert again.summary().startswith("kompetenceprofil version 3 uændret")


# --- 3. One current set of links, the superseded ones as tombstones ------------------------


def test_after_a_new_version_the_lms_sees_one_live_set_and_the_old_links_as_tombstones(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    tmp_path: Path,
) -> None:
    lms = _lms(session, settings)
    before = _pages(client, LIVE_LINKS, lms)
    assert {n["statement"]["profileVersion"] for n in before} == {1}
    since = _age_everything(session)

    _seed(session_factory, _edited_profile(tmp_path))

    live = _pages(client, LIVE_LINKS, lms)
    triples = Counter(_triple(n) for n in live)
    assert [t for t, count in triples.items() if count > 1] == []
    assert set(triples) == {_triple(n) for n in before}
    assert {n["statement"]["profileVersion"] for n in live} == {2}

    changed = _pages(client, CHANGED_LINKS, lms, since=since)
    old_ids = {n["id"] for n in before}
    live_by_id = {n["id"]: n for n in live}
    tombstones = [n for n in changed if n["id"] in old_ids]
    assert {n["id"] for n in tombstones} == old_ids
    for tombstone in tombstones:
        assert tombstone["removedAt"] is not None
        assert tombstone["removalReason"] == "SUPERSEDED"
        assert tombstone["statement"]["profileVersion"] == 1
        successor = live_by_id[tombstone["supersededBy"]["id"]]
        assert _triple(successor) == _triple(tombstone)
    arrived = [n for n in changed if n["id"] not in old_ids]
    assert {n["id"] for n in arrived} == set(live_by_id)
    assert all(n["removedAt"] is None and n["supersededBy"] is None for n in arrived)
    # In id order the removals come before the links that replace them, so a mirror keyed
    # on (statement key, target) that applies the feed in order ends with the live set.
    mirror: dict[tuple[str, str], str] = {}
    for node in changed:
        key = (node["statement"]["key"], node["target"]["code"])
        if node["removedAt"] is None:
            mirror[key] = node["strength"]
        else:
            mirror.pop(key, None)
    assert Counter((k, t, s) for (k, t), s in mirror.items()) == triples


def test_the_persisted_lms_operations_say_which_version_a_link_belongs_to(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    tmp_path: Path,
) -> None:
    lms = _lms(session, settings)
    since = _age_everything(session)
    _seed(session_factory, _edited_profile(tmp_path))

    def by_hash(name: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = client.post(
            "/graphql",
            json={
                "variables": variables,
                "extensions": {
                    "persistedQuery": {"version": 1, "sha256Hash": OPERATIONS[name].sha256}
                },
            },
            headers={"Authorization": f"Bearer {lms}"},
        )
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        return body["data"]

    page = by_hash("LmsCataloguePage", {"first": 100})["courses"]["nodes"]
    versions = {
        link["statement"]["profileVersion"]
        for course in page
        for link in [
            *course["competenceLinks"],
            *(li for a in course["activities"] for li in a["competenceLinks"]),
        ]
    }
    assert versions == {2}

    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        variables = {"since": since, "first": 100, "linksAfter": after}
        links = by_hash("LmsCatalogueChanges", variables)["competenceLinks"]
        nodes.extend(links["nodes"])
        if not links["pageInfo"]["hasNextPage"]:
            break
        after = links["pageInfo"]["endCursor"]
    assert {(n["statement"]["profileVersion"], n["removalReason"]) for n in nodes} == {
        (1, "SUPERSEDED"),
        (2, None),
    }
    assert all((n["supersededBy"] is None) == (n["removedAt"] is None) for n in nodes)


def test_links_of_a_statement_the_new_version_drops_become_tombstones_with_that_reason(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    tmp_path: Path,
) -> None:
    data = _profile_data()
    dropped = data["fields"][6]["statements"].pop()["key"]
    statement_ids = select(CompetenceStatement.id).where(CompetenceStatement.key == dropped)
    old = set(
        session.scalars(
            select(CompetenceLink.id).where(
                CompetenceLink.statement_id.in_(statement_ids), CompetenceLink.removed_at.is_(None)
            )
        )
    )
    assert old
    since = _age_everything(session)

    _seed(session_factory, _write(tmp_path, "dropped.yaml", data), demo=False)

    changed = _pages(client, CHANGED_LINKS, _lms(session, settings), since=since)
    gone = [n for n in changed if n["statement"]["key"] == dropped]
    assert {n["id"] for n in gone} >= {to_base64("CompetenceLink", i) for i in old}
    assert all(n["removedAt"] and n["removalReason"] == "STATEMENT_WITHDRAWN" for n in gone)
    assert all(n["supersededBy"] is None for n in gone)


def test_a_seed_repairs_a_database_where_old_links_were_left_live(
    session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    """Databases versioned before this rule have live links on old versions: seed retires them."""
    _seed(session_factory, _edited_profile(tmp_path))
    first = profile_by_version(session, 1)
    assert first is not None
    old_statements = select(CompetenceStatement.id).where(
        CompetenceStatement.profile_id == first.id
    )
    # What the old code left behind: the version-1 links still live beside their copies.
    session.execute(
        update(CompetenceLink)
        .where(CompetenceLink.statement_id.in_(old_statements))
        .values(removed_at=None, removal_reason=None, superseded_by_id=None)
    )
    session.commit()
    links_before = session.scalar(select(func.count()).select_from(CompetenceLink))

    _seed(session_factory, _edited_profile(tmp_path))

    session.expire_all()
    assert session.scalar(select(func.count()).select_from(CompetenceLink)) == links_before
    left_live = session.scalar(
        select(func.count())
        .select_from(CompetenceLink)
        .where(CompetenceLink.statement_id.in_(old_statements), CompetenceLink.removed_at.is_(None))
    )
    assert left_live == 0
    unexplained = session.scalar(
        select(func.count())
        .select_from(CompetenceLink)
        .where(
            CompetenceLink.statement_id.in_(old_statements),
            CompetenceLink.superseded_by_id.is_(None),
            CompetenceLink.removal_reason != "REMOVED",
        )
    )
    assert unexplained == 0


def test_hr_editing_a_superseded_link_is_told_it_belongs_to_an_old_version(
    client: TestClient,
    session: Session,
    session_factory: sessionmaker[Session],
    settings: Settings,
    tmp_path: Path,
) -> None:
    [old] = _live_links_of(session, *REMOVED)
    _seed(session_factory, _edited_profile(tmp_path))
    assert len(_live_links_of(session, *REMOVED)) == 1  # its successor in version 2
    body = gql(
        client,
        """mutation($id: ID!) { competenceLinkUpdate(input: {id: $id, strength: SUPPORTING}) {
             userErrors { field code message } } }""",
        {"id": to_base64("CompetenceLink", old.id)},
        token=_hr(session, settings),
    )
    [error] = body["data"]["competenceLinkUpdate"]["userErrors"]
    assert error["code"] == "NOT_FOUND"
    assert error["field"] == "id"
    assert "version 1" in error["message"]
    assert "version 2" in error["message"]


def test_hr_removal_is_recorded_with_its_reason_and_cleared_when_linked_again(
    client: TestClient, session: Session, settings: Settings
) -> None:
    [link] = _live_links_of(session, *REMOVED)
    hr = _hr(session, settings)
    _remove_through_the_api(client, hr, link)
    session.expire_all()
    removed = session.get(CompetenceLink, link.id)
    assert removed is not None
    assert removed.removal_reason == "REMOVED"
    body = gql(
        client,
        """mutation($course: ID!) { competenceLinkCreate(input: {statementKey: "K1.10",
             courseId: $course, strength: PRIMARY, rationale: "Igen."}) {
             userErrors { code } } }""",
        {"course": to_base64("Course", link.course_id)},
        token=hr,
    )
    assert body["data"]["competenceLinkCreate"]["userErrors"] == []
    session.expire_all()
    revived = session.get(CompetenceLink, link.id)
    assert revived is not None
    assert (revived.removed_at, revived.removal_reason) == (None, None)
