"""Service settings, read from the environment with the prefix ``CATALOGUE_``.

One validated object so that a wrong value stops start-up with a clear message
instead of failing later inside a request.
"""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"
SEED_DIR = PROJECT_ROOT / "seed"


class Environment(StrEnum):
    DEV = "dev"
    PROD = "prod"


class LmsKind(StrEnum):
    NONE = "none"
    MOODLE = "moodle"


def _default_database_url() -> str:
    return f"sqlite:///{VAR_DIR / 'catalogue.sqlite3'}"


class Settings(BaseSettings):
    """Everything configurable; see the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="CATALOGUE_", extra="ignore")

    env: Environment = Environment.DEV
    database_url: str = Field(default_factory=_default_database_url)
    redis_url: str | None = None
    secret_key: str | None = None
    log_level: str = "INFO"
    log_json: bool = False

    # GraphQL guards
    max_page_size: int = Field(default=100, ge=1, le=1000)
    max_query_depth: int = Field(default=12, ge=2)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=5000, ge=100)

    # Identity
    token_issuer: str = "kompetencekatalog-dev"  # noqa: S105 - an issuer name, not a secret
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None
    lms_persisted_only: bool = False

    # LMS
    lms_kind: LmsKind = LmsKind.NONE
    moodle_url: str | None = None
    moodle_token: str | None = None

    @model_validator(mode="after")
    def _require_secret_in_production(self) -> Self:
        if self.env is Environment.PROD and not self.secret_key and not self.oidc_jwks_url:
            raise ValueError(
                "CATALOGUE_SECRET_KEY skal være sat i produktion (CATALOGUE_ENV=prod), "
                "eller tokens skal valideres via CATALOGUE_OIDC_JWKS_URL"
            )
        if self.env is Environment.PROD and self.secret_key == "change-me":  # noqa: S105
            raise ValueError("CATALOGUE_SECRET_KEY må ikke være standardværdien i produktion")
        return self

    @property
    def is_dev(self) -> bool:
        return self.env is Environment.DEV

    @property
    def tasks_in_process(self) -> bool:
        """Without a broker, background tasks run in the calling process."""
        return not self.redis_url

    def signing_key(self) -> str:
        """The key for locally minted tokens; in development generated once into ``var/``."""
        if self.secret_key:
            return self.secret_key
        key_file = VAR_DIR / "secret_key"
        if not key_file.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            key_file.chmod(0o600)
        return key_file.read_text(encoding="utf-8").strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
