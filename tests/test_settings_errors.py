"""A bad CATALOGUE_* value stops start-up with Danish naming the variable and the value."""

from __future__ import annotations

import subprocess
import sys

import pytest

from catalogue.settings import PROJECT_ROOT, get_settings
from catalogue.settings_errors import SettingsError

ENGLISH = ("Input should", "valid integer", "unable to parse", "Field required")


@pytest.fixture(autouse=True)
def _fresh_settings() -> object:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("CATALOGUE_DB_POOL_SIZE", "ti", "CATALOGUE_DB_POOL_SIZE skal være et heltal (fik 'ti')."),
        (
            "CATALOGUE_DB_POOL_SIZE",
            "2.5",
            "CATALOGUE_DB_POOL_SIZE skal være et heltal (fik '2.5').",
        ),
        ("CATALOGUE_MAX_PAGE_SIZE", "0", "CATALOGUE_MAX_PAGE_SIZE skal være mindst 1 (fik '0')."),
        (
            "CATALOGUE_MAX_PAGE_SIZE",
            "5000",
            "CATALOGUE_MAX_PAGE_SIZE skal være højst 1000 (fik '5000').",
        ),
        (
            "CATALOGUE_REQUEST_TIME_BUDGET",
            "1,5",
            "CATALOGUE_REQUEST_TIME_BUDGET skal være et tal (med punktum som decimaltegn) "
            "(fik '1,5').",
        ),
        (
            "CATALOGUE_REQUEST_TIME_BUDGET",
            "0",
            "CATALOGUE_REQUEST_TIME_BUDGET skal være større end 0 (fik '0').",
        ),
        (
            "CATALOGUE_LOG_JSON",
            "kanske",
            "CATALOGUE_LOG_JSON skal være true eller false (eller 1/0, yes/no, on/off) "
            "(fik 'kanske').",
        ),
        (
            "CATALOGUE_MOODLE_USER_MATCH_FIELD",
            "mail",
            "CATALOGUE_MOODLE_USER_MATCH_FIELD skal være en af 'email', 'idnumber' eller "
            "'username' (fik 'mail').",
        ),
        ("CATALOGUE_ENV", "test", "CATALOGUE_ENV skal være en af 'dev' eller 'prod' (fik 'test')."),
    ],
)
def test_each_bad_value_is_named_in_danish(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, problem: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        get_settings()
    assert caught.value.problems == [problem]
    assert not [word for word in ENGLISH if word in str(caught.value)]


def test_every_bad_value_is_named_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CATALOGUE_DB_POOL_SIZE", "ti")
    monkeypatch.setenv("CATALOGUE_SYNC_MAX_RETRIES", "-1")
    with pytest.raises(SettingsError) as caught:
        get_settings()
    assert caught.value.problems == [
        "CATALOGUE_DB_POOL_SIZE skal være et heltal (fik 'ti').",
        "CATALOGUE_SYNC_MAX_RETRIES skal være mindst 0 (fik '-1').",
    ]


def test_a_secret_is_never_repeated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CATALOGUE_MOODLE_TOKEN", "")
    monkeypatch.setenv("CATALOGUE_DB_POOL_SIZE", "x")
    monkeypatch.setenv("CATALOGUE_SECRET_KEY", "hemmelig-nøgle")
    with pytest.raises(SettingsError) as caught:
        get_settings()
    assert "hemmelig-nøgle" not in str(caught.value)


def test_the_command_line_prints_one_danish_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "catalogue.cli", "schema"],
        env={"CATALOGUE_DB_POOL_SIZE": "ti", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "fejl: CATALOGUE_DB_POOL_SIZE skal være et heltal (fik 'ti')."
    ]
