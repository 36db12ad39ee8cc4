"""``catalogue seed``: validate every file first, then write everything in one transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from catalogue.db import transaction
from catalogue.seeding.demo import load_demo
from catalogue.seeding.files import SeedFileError, read_seed_file
from catalogue.seeding.profile import ProfileLoadResult, load_profile
from catalogue.seeding.question_bank import QuestionBankSeed, load_question_bank
from catalogue.seeding.schema import DemoSeed, ProfileSeed
from catalogue.services.errors import DomainError
from catalogue.services.search_index import reindex_all
from catalogue.settings import SEED_DIR

PROFILE_FILE = SEED_DIR / "profile.yaml"
DEMO_FILE = SEED_DIR / "demo.yaml"
QUESTION_BANK_FILE = SEED_DIR / "question_bank.yaml"


@dataclass
class SeedResult:
    profile: ProfileLoadResult
    demo_created: Counter[str] | None = None
    questions_added: int = 0

    @property
    def changed(self) -> bool:
        return (
            self.profile.created
            or self.profile.links_retired > 0
            or self.questions_added > 0
            or bool(self.demo_created and self.demo_created.total())
        )

    def summary(self) -> str:
        loaded = self.profile
        if not loaded.created:
            profile = f"kompetenceprofil version {loaded.version} uændret"
        elif loaded.same_as_version is not None:
            profile = (
                f"kompetenceprofil version {loaded.version} oprettet med samme indhold som "
                f"version {loaded.same_as_version} (filen er sat tilbage; version "
                f"{loaded.version} er nu den gældende)"
            )
        else:
            profile = f"kompetenceprofil version {loaded.version} oprettet"
        if loaded.links_retired:
            profile += (
                f"; {loaded.links_retired} links fra ældre versioner er nu gravsten "
                f"({loaded.links_carried_over} ført over til version {loaded.version})"
            )
        if self.questions_added:
            profile += f"; {self.questions_added} spørgsmål tilføjet til spørgebanken"
        if self.demo_created is None:
            return profile
        if not self.demo_created.total():
            return f"{profile}; intet nyt fra demodata"
        created = ", ".join(f"{count} {name}" for name, count in sorted(self.demo_created.items()))
        return f"{profile}; demodata oprettet: {created}"


def seed(
    factory: sessionmaker[Session],
    *,
    demo: bool = True,
    profile_file: Path = PROFILE_FILE,
    demo_file: Path = DEMO_FILE,
    question_bank_file: Path = QUESTION_BANK_FILE,
    today: date | None = None,
) -> SeedResult:
    """Load the profile (and demo data); a bad file is rejected before anything is written."""
    profile_seed = read_seed_file(profile_file, ProfileSeed)
    bank_seed = read_seed_file(question_bank_file, QuestionBankSeed)
    demo_seed = read_seed_file(demo_file, DemoSeed) if demo else None
    with transaction(factory) as session:
        profile_result = load_profile(session, profile_seed)
        session.flush()
        result = SeedResult(profile=profile_result)
        try:
            result.questions_added = load_question_bank(session, bank_seed)
        except DomainError as exc:
            raise SeedFileError(question_bank_file, exc.field or "(filen)", exc.message) from exc
        if demo_seed is not None:
            try:
                loaded = load_demo(session, demo_seed, today=today or date.today())
            except DomainError as exc:
                raise SeedFileError(demo_file, exc.field or "(filen)", exc.message) from exc
            result.demo_created = loaded.created
        # Rows were indexed as they were written, each with the words known by then; once
        # all are in, the index is built again with every word, as `search-reindex` would.
        reindex_all(session)
    return result
