"""Seeding is idempotent, versions the profile, and rejects a bad file without writing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.models import (
    Base,
    CompetenceLink,
    CompetenceProfile,
    CompetenceStatement,
    Course,
)
from catalogue.seeding.files import SeedFileError
from catalogue.seeding.loader import DEMO_FILE, PROFILE_FILE, seed
from catalogue.services.profiles import profile_by_version
from tests.conftest import SEED_DAY


def _load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _row_counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


def test_seeding_twice_changes_nothing(
    session_factory: sessionmaker[Session], session: Session
) -> None:
    before = _row_counts(session)
    last_update = session.scalar(select(func.max(Course.updated_at)))
    result = seed(session_factory, demo=True, today=SEED_DAY)
    assert not result.changed
    assert "uændret" in result.summary()
    session.expire_all()
    assert _row_counts(session) == before
    assert session.scalar(select(func.max(Course.updated_at))) == last_update


def test_changed_statement_text_creates_a_new_version_and_keeps_the_old(
    session_factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    data = _load(PROFILE_FILE)
    old_text = data["fields"][2]["statements"][1]["text"]
    data["fields"][2]["statements"][1]["text"] = old_text + " og i hverdagen"
    result = seed(session_factory, demo=False, profile_file=_write(tmp_path, "p.yaml", data))

    assert result.profile.created
    assert result.profile.version == 2
    old, new = profile_by_version(session, 1), profile_by_version(session, 2)
    assert old is not None
    assert new is not None
    texts = {
        (profile_id, key): text
        for profile_id, key, text in session.execute(
            select(
                CompetenceStatement.profile_id, CompetenceStatement.key, CompetenceStatement.text
            ).where(CompetenceStatement.key == "K3.2")
        )
    }
    assert texts[(old.id, "K3.2")] == old_text
    assert texts[(new.id, "K3.2")] == old_text + " og i hverdagen"

    def links_of(profile: CompetenceProfile) -> int:
        return (
            session.scalar(
                select(func.count())
                .select_from(CompetenceLink)
                .join(CompetenceStatement)
                .where(CompetenceStatement.profile_id == profile.id)
            )
            or 0
        )

    assert links_of(new) == links_of(old) == result.profile.links_carried_over > 0
    assert seed(session_factory, demo=False, profile_file=tmp_path / "p.yaml").changed is False


def _drop_statement_key(data: dict[str, Any]) -> str:
    del data["fields"][1]["statements"][2]["key"]
    return "fields[1].statements[2]"


def _duplicate_statement_key(data: dict[str, Any]) -> str:
    data["fields"][0]["statements"][4]["key"] = "K1.3"
    return "K1.3"


def _empty_text(data: dict[str, Any]) -> str:
    data["fields"][3]["statements"][0]["text"] = ""
    return "fields[3].statements[0].text (K4.1)"


def _unknown_theme(data: dict[str, Any]) -> str:
    data["fields"][5]["themes"] = ["T5", "T9"]
    return "T9"


@pytest.mark.parametrize(
    "break_file",
    [_drop_statement_key, _duplicate_statement_key, _empty_text, _unknown_theme],
    ids=["missing key", "duplicate key", "empty text", "unknown theme"],
)
def test_a_malformed_profile_is_rejected_naming_file_and_entry(
    break_file: Any, session_factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    data = _load(PROFILE_FILE)
    data["title"] = data["title"] + " (ændret)"  # would create a new version if it got through
    named = break_file(data)
    path = _write(tmp_path, "broken.yaml", data)
    before = _row_counts(session)

    with pytest.raises(SeedFileError) as raised:
        seed(session_factory, demo=True, profile_file=path)

    assert str(path) in raised.value.message
    assert named in raised.value.message
    session.expire_all()
    assert _row_counts(session) == before


def test_a_broken_demo_file_writes_nothing_not_even_a_changed_profile(
    session_factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    profile = _load(PROFILE_FILE)
    profile["intro"] += " Tilføjet."
    demo = _load(DEMO_FILE)
    demo["courses"][0]["links"][0]["statement"] = "K9.9"
    before = _row_counts(session)

    with pytest.raises(SeedFileError):
        seed(
            session_factory,
            profile_file=_write(tmp_path, "p.yaml", profile),
            demo_file=_write(tmp_path, "d.yaml", demo),
        )

    session.expire_all()
    assert _row_counts(session) == before


def test_unreadable_yaml_names_the_line(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("title: [unclosed\nintro: x\n", encoding="utf-8")
    with pytest.raises(SeedFileError, match=r"bad\.yaml: linje \d+: ugyldig YAML"):
        seed(session_factory, profile_file=path)
