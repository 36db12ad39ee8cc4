"""``catalogue erase-leavers`` for deployments without beat: once, from cron."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from catalogue import migrate
from catalogue.db import make_engine, make_session_factory
from catalogue.models import Person
from catalogue.models.base import utcnow
from catalogue.settings import PROJECT_ROOT


def _catalogue(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    return subprocess.run(
        [sys.executable, "-m", "catalogue.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=PROJECT_ROOT,
    )


def test_the_command_erases_leavers_past_retention_and_says_who_was_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cron.sqlite3'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        chef = Person(email="chef.gaaet@ltk.dk", name="Chef Gået", active=False)
        alone = Person(email="alene.gaaet@ltk.dk", name="Alene Gået", active=False)
        session.add_all([chef, alone])
        session.flush()
        session.add(Person(email="bliver@ltk.dk", name="Bliver", manager_id=chef.id))
        chef.deactivated_at = alone.deactivated_at = utcnow() - timedelta(days=100)
        session.commit()
        chef_id = chef.id
    engine.dispose()

    unset = _catalogue("erase-leavers", env={"CATALOGUE_DATABASE_URL": url})
    assert unset.returncode == 1
    assert "CATALOGUE_LEAVER_RETENTION_DAYS er ikke sat" in unset.stderr

    env = {"CATALOGUE_DATABASE_URL": url, "CATALOGUE_LEAVER_RETENTION_DAYS": "90"}
    dry = _catalogue("erase-leavers", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert "1 fratrådte personers data ville blive slettet" in dry.stdout
    done = _catalogue("erase-leavers", env=env)
    assert done.returncode == 0, done.stderr
    assert "1 fratrådte personers data slettet" in done.stdout
    assert f"person {chef_id} beholdt: Personens data kan ikke slettes endnu" in done.stdout
    assert "Chef Gået" not in done.stdout + done.stderr
    again = _catalogue("erase-leavers", env=env)
    assert "0 fratrådte personers data slettet" in again.stdout
