"""`catalogue import people`: the command as an operator runs it, on a database of its own."""

from __future__ import annotations

from pathlib import Path

from catalogue import migrate
from tests.test_cli import _catalogue

FILE = (
    "Medarbejdernummer;E-mail;Navn;Titel;Enhed;Leder;Roller\n"
    "1001;anne.direktoer@ltk.example;Anne Direktør;Direktør;DIR=Direktionen;;CHEF\n"
    "1002;mette.chef@ltk.example;Mette Chef;Centerchef;DIR/SKO=Center for Skole;1001;CHEF\n"
)


def test_dry_run_then_import_then_again_and_a_bad_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    migrate.upgrade(url)
    env = {"CATALOGUE_DATABASE_URL": url}
    hr = tmp_path / "medarbejdere.csv"
    hr.write_text(FILE, encoding="utf-8")

    preview = _catalogue("import", "people", str(hr), "--dry-run", env=env)
    assert preview.returncode == 0, preview.stderr
    assert "intet er skrevet" in preview.stdout
    assert "2 personer ville blive oprettet" in preview.stdout
    done = _catalogue("import", "people", str(hr), env=env)
    assert "2 personer blev oprettet" in done.stdout
    again = _catalogue("import", "people", str(hr), env=env)
    assert "0 personer blev oprettet" in again.stdout
    assert "2 personer uændrede" in again.stdout

    bad = tmp_path / "forkert.csv"
    bad.write_text(FILE + "1003;;Uden Mail;;;;\n", encoding="utf-8")
    refused = _catalogue("import", "people", str(bad), env=env)
    assert refused.returncode == 1
    assert "intet er skrevet" in refused.stderr
    assert "række 4, kolonne 'e-mail'" in refused.stderr
    assert "Traceback" not in refused.stderr
