"""docker-compose.yml describes the production setup of docs/architecture.md §8 correctly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from catalogue.settings import PROJECT_ROOT, Settings
from tests.backends import require_redis
from tests.workers.celery_worker import celery_worker, wait_for

COMPOSE = PROJECT_ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


def test_services_are_the_production_set(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"postgres", "redis", "api", "worker", "beat"}
    assert compose["services"]["postgres"]["image"].startswith("postgres:15")
    assert compose["services"]["redis"]["image"].startswith("redis:7")
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]
    assert "pgdata" in compose["volumes"]


def test_every_service_has_a_health_check_or_waits_for_healthy_ones(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    for name in ("postgres", "redis", "api", "worker"):
        check = services[name]["healthcheck"]["test"]
        assert check[0] in ("CMD", "CMD-SHELL")
        assert len(check) > 1
    for name, needs in {
        "api": {"postgres", "redis"},
        "worker": {"api", "redis"},
        "beat": {"api", "redis"},
    }.items():
        depends = services[name]["depends_on"]
        assert set(depends) == needs
        assert all(depends[d]["condition"] == "service_healthy" for d in depends)
    assert "/readyz" in " ".join(services["api"]["healthcheck"]["test"])


def test_api_migrates_then_serves_with_several_workers(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    assert api["build"] == "."
    command = " ".join(api["command"])
    assert command.index("catalogue migrate") < command.index("catalogue serve")
    assert "--workers 4" in command
    assert "--host 0.0.0.0" in command
    assert (PROJECT_ROOT / "Dockerfile").exists()


def test_worker_and_beat_run_our_celery_app(compose: dict[str, Any]) -> None:
    for name, role in (("worker", "worker"), ("beat", "beat")):
        service = compose["services"][name]
        assert service["image"] == compose["services"]["api"]["image"]
        assert service["command"][:4] == ["celery", "-A", "workers.celery_app", role]
    from workers.celery_app import app

    assert app.main == "kompetencekatalog"


def test_configuration_goes_through_catalogue_settings(compose: dict[str, Any]) -> None:
    known = {f"CATALOGUE_{name.upper()}" for name in Settings.model_fields}
    for name in ("api", "worker", "beat"):
        env = compose["services"][name]["environment"]
        assert set(env) <= known, set(env) - known
        assert env["CATALOGUE_ENV"] == "prod"
        assert env["CATALOGUE_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert "@postgres:5432/" in env["CATALOGUE_DATABASE_URL"]
        assert env["CATALOGUE_REDIS_URL"] == "redis://redis:6379/0"
        assert "CATALOGUE_SECRET_KEY" in env


def _interpolate(value: str) -> str:
    """Compose's ${VAR:-default} takes the default, ${VAR:?message} a stand-in secret."""
    value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)
    return re.sub(r"\$\{[A-Z_]+:\?[^}]*\}", "s3cret-for-the-test-" + "x" * 20, value)


def test_the_services_environment_is_valid_settings(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("api", "worker", "beat"):
        for key in [k for k in os.environ if k.startswith("CATALOGUE_")]:
            monkeypatch.delenv(key)
        for key, value in compose["services"][name]["environment"].items():
            monkeypatch.setenv(key, _interpolate(str(value)))
        settings = Settings()
        assert settings.env.value == "prod"
        assert settings.lms_persisted_only is True
        assert settings.redis_url == "redis://redis:6379/0"


def worker_health_command(compose: dict[str, Any]) -> str:
    """The worker's health check as the container's shell runs it (compose turns $$ into $)."""
    check: list[str] = compose["services"]["worker"]["healthcheck"]["test"]
    assert check[0] == "CMD-SHELL"
    return check[1].replace("$$", "$")


def test_the_worker_is_healthy_only_while_its_own_node_answers_a_ping(
    compose: dict[str, Any],
) -> None:
    worker = compose["services"]["worker"]
    command = worker_health_command(compose)
    assert command.startswith("celery -A workers.celery_app inspect ping ")
    assert "--destination celery@$HOSTNAME" in command, "only this container's worker"
    assert "--hostname=celery@%h" in worker["command"], "the node name the check pings"
    timeout = int(re.search(r"--timeout (\d+)", command).group(1))  # type: ignore[union-attr]
    assert timeout < int(worker["healthcheck"]["timeout"].removesuffix("s"))


@pytest.mark.redis
def test_the_worker_health_check_passes_against_a_live_worker_and_fails_without_one(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    """The compose command itself, run as the container would, against a real worker."""
    queue = f"health-{uuid.uuid4().hex[:10]}"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    env = {
        **clean,
        "CATALOGUE_REDIS_URL": require_redis(),
        "CATALOGUE_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "CATALOGUE_CELERY_QUEUE": queue,
        # The image has ``celery`` on its PATH; here it is beside this Python.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{clean.get('PATH', '')}",
    }
    command = worker_health_command(compose)
    log = tmp_path / "worker.log"

    def check(hostname: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["sh", "-c", command],
            env={**env, "HOSTNAME": hostname},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=PROJECT_ROOT,
        )

    with celery_worker(env, queue, log, node=f"celery@{queue}") as worker:
        answered = wait_for("the health check", lambda: check(queue).returncode == 0, worker, log)
        assert answered
        other = check(f"not-{queue}")
        assert other.returncode != 0, other.stdout
