"""The command line: clear one-line errors for bad configuration, and the schema export."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from catalogue.graphql.schema import build_schema
from catalogue.settings import PROJECT_ROOT, Settings


def _catalogue(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    return subprocess.run(
        [sys.executable, "-m", "catalogue.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=PROJECT_ROOT,
    )


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://nobody@127.0.0.1:9/nowhere",
        "not a url",
        "mysql://root@127.0.0.1/test",
        "katalog:cli-db-password@127.0.0.1/katalog",
        "postgresql+psycopg://katalog:cli-db-password@127.0.0.1:notaport/katalog",
    ],
    ids=["unreachable", "malformed", "unsupported", "no scheme, a password", "bad port"],
)
def test_bad_database_url_ends_start_up_with_one_line_naming_the_setting(url: str) -> None:
    for command in ("migrate", "serve"):
        result = _catalogue(command, env={"CATALOGUE_DATABASE_URL": url})
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("fejl: CATALOGUE_DATABASE_URL")
        assert "Traceback" not in result.stderr
        assert "cli-db-password" not in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret() -> None:
    result = _catalogue("migrate", env={"CATALOGUE_ENV": "prod"})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "fejl: CATALOGUE_SECRET_KEY skal være sat i produktion (CATALOGUE_ENV=prod), "
        "eller tokens skal valideres via CATALOGUE_OIDC_JWKS_URL"
    ]


def test_migrate_and_seed_from_the_command_line(tmp_path: Path) -> None:
    env = {"CATALOGUE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    assert _catalogue("migrate", env=env).returncode == 0
    first = _catalogue("seed", env=env)
    assert first.returncode == 0, first.stderr
    assert "version 1 oprettet" in first.stdout
    assert "courses" in first.stdout
    second = _catalogue("seed", env=env)
    assert second.stdout.strip() == "kompetenceprofil version 1 uændret; intet nyt fra demodata"
    reindexed = _catalogue("search-reindex", env=env)
    assert reindexed.returncode == 0, reindexed.stderr
    assert reindexed.stdout.strip() == "søgeindekset er bygget igen: 47 kurser, 39 udsagn"


def test_committed_sdl_is_what_the_cli_prints() -> None:
    printed = _catalogue("schema", env={}).stdout
    committed = (PROJECT_ROOT / "graphql" / "schema.graphql").read_text(encoding="utf-8")
    assert printed == committed, "graphql/schema.graphql er forældet: kør `make schema`"
    assert printed.strip() == build_schema(Settings()).as_str().strip()
