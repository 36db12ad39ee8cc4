"""The seeded profile says exactly what the source document says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import CompetenceField, CompetenceStatement
from catalogue.seeding.files import read_seed_file
from catalogue.seeding.loader import PROFILE_FILE
from catalogue.seeding.schema import ProfileSeed
from catalogue.services.profiles import current_profile
from catalogue.settings import PROJECT_ROOT, SEED_DIR

SOURCE = SEED_DIR / "source" / "kompetenceprofil-ledere.txt"
SHARED_SOURCE = PROJECT_ROOT.parent / "shared" / "seed" / "kompetenceprofil-ledere.txt"
BULLET = "\uf0d8"

EXPECTED_FIELDS = [
    ("K1", "Personlige kompetencer", 10, ["T1", "T2", "T3", "T4", "T5"]),
    ("K2", "Faglighed", 4, ["T1", "T2"]),
    ("K3", "Mening og motivation", 5, ["T1", "T3"]),
    ("K4", "Strategi", 6, ["T1", "T2"]),
    ("K5", "Styring, planlægning og prioritering", 6, ["T4"]),
    ("K6", "Helhed og koordination", 4, ["T5"]),
    ("K7", "Organisationsforståelse", 4, ["T4", "T5"]),
]
EXPECTED_THEMES = [
    ("T1", "Vi er professionelle"),
    ("T2", "Vi skaber værdi"),
    ("T3", "Vi er gode arbejdspladser"),
    ("T4", "Vi er ansvarlige og loyale"),
    ("T5", "Vi er en kommune"),
]


def _joined(text: str) -> str:
    """The source with its PDF line breaks joined by one space."""
    return re.sub(r"\s+", " ", text).strip()


def _source_bullets() -> list[str]:
    """Each bullet's text up to where the next paragraph (a capital after a blank line) starts."""
    chunks = SOURCE.read_text(encoding="utf-8").split(BULLET)[1:]
    bullets = []
    for chunk in chunks:
        end = re.search(r"\n\s*\n\s*(?=[A-ZÆØÅ])|\n\s*(?=[A-ZÆØÅ][^\n]*Vi skal:)", chunk)
        bullets.append(_joined(chunk[: end.start()] if end else chunk))
    return bullets


@pytest.fixture(scope="module")
def profile_seed() -> ProfileSeed:
    return read_seed_file(PROFILE_FILE, ProfileSeed)


def test_source_copy_is_the_shared_document() -> None:
    if not SHARED_SOURCE.exists():
        pytest.skip("../shared is not beside this checkout")
    assert SOURCE.read_bytes() == SHARED_SOURCE.read_bytes()


def test_profile_has_seven_fields_and_39_statements_in_document_order(
    profile_seed: ProfileSeed,
) -> None:
    assert [(f.key, f.name, len(f.statements)) for f in profile_seed.fields] == [
        (key, name, count) for key, name, count, _ in EXPECTED_FIELDS
    ]
    keys = [s.key for f in profile_seed.fields for s in f.statements]
    assert len(keys) == 39
    assert keys == [
        f"{key}.{i}" for key, _, count, _ in EXPECTED_FIELDS for i in range(1, count + 1)
    ]


def test_every_statement_is_word_for_word_the_source_bullet(profile_seed: ProfileSeed) -> None:
    texts = [s.text for f in profile_seed.fields for s in f.statements]
    assert texts == _source_bullets()


def test_texts_have_no_stray_spaces_and_keep_the_documents_typography(
    profile_seed: ProfileSeed,
) -> None:
    texts = [s.text for f in profile_seed.fields for s in f.statements]
    for text in texts:
        assert text == text.strip()
        assert "  " not in text
        assert BULLET not in text
    joined = " ".join(texts)
    assert "”alle sider” –" in joined  # the document's own quotes and en dash
    assert "forsimple – og" in joined


def test_themes_and_field_theme_mapping_follow_the_document(profile_seed: ProfileSeed) -> None:
    assert [(t.key, t.name) for t in profile_seed.themes] == EXPECTED_THEMES
    mapping = {f.key: sorted(f.themes) for f in profile_seed.fields}
    assert mapping == {key: themes for key, _, _, themes in EXPECTED_FIELDS}


def test_descriptions_intro_and_notes_are_paragraphs_of_the_source(
    profile_seed: ProfileSeed,
) -> None:
    source = _joined(SOURCE.read_text(encoding="utf-8").replace(BULLET, " "))
    assert profile_seed.title == "Kompetenceprofil for ledere i Lyngby-Taarbæk Kommune"
    paragraphs = [*profile_seed.intro.split("\n\n"), profile_seed.work_environment_note]
    paragraphs += [profile_seed.dialogue_note, *(f.description for f in profile_seed.fields)]
    for paragraph in paragraphs:
        assert paragraph in source, paragraph
    assert "arbejdsmiljø og trivsel" in profile_seed.work_environment_note
    assert "drøftes mellem chef og leder" in profile_seed.dialogue_note


def test_seeded_database_holds_the_same_texts(session: Session, profile_seed: ProfileSeed) -> None:
    profile = current_profile(session)
    assert profile is not None
    rows = session.execute(
        select(CompetenceField.key, CompetenceStatement.key, CompetenceStatement.text)
        .join(CompetenceStatement.field)
        .where(CompetenceStatement.profile_id == profile.id)
        .order_by(CompetenceField.position, CompetenceStatement.position)
    ).all()
    assert [(s.key, s.text) for f in profile_seed.fields for s in f.statements] == [
        (statement_key, text) for _, statement_key, text in rows
    ]
    assert Path(SOURCE).exists()
