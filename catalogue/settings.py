"""Service settings, read from the environment with the prefix ``CATALOGUE_``.

One validated object so that a wrong value stops start-up with a clear message
instead of failing later inside a request. Secrets (the signing key, the
database URL with its password, the Moodle token) are ``SecretStr``: the
settings object prints them as ``**********`` wherever it ends up, and code
asks for the value only where it is used.
"""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import (
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from catalogue.models.person import Role
from catalogue.role_mapping import RoleMappingError, load_role_mapping, parse_role_mapping
from catalogue.settings_errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"
SEED_DIR = PROJECT_ROOT / "seed"


class Environment(StrEnum):
    DEV = "dev"
    PROD = "prod"


#: ``CATALOGUE_LMS_KIND`` when no LMS is connected; other kinds name a connector in the
#: workers' registry (``workers.lms.registry``), which refuses one it does not know.
NO_LMS = "none"
#: A provisioning token shorter than this could be guessed.
SCIM_TOKEN_MIN_LENGTH = 32


def _default_database_url() -> SecretStr:
    return SecretStr(f"sqlite:///{VAR_DIR / 'catalogue.sqlite3'}")


class Settings(BaseSettings):
    """Everything configurable; see the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="CATALOGUE_", extra="ignore")

    env: Environment = Environment.DEV
    #: Secret because a PostgreSQL URL carries the password.
    database_url: SecretStr = Field(default_factory=_default_database_url)
    redis_url: str | None = None
    # Connections per process; also how many requests a process serves at once.
    db_pool_size: int = Field(default=10, ge=1, le=200)
    db_max_overflow: int = Field(default=10, ge=0, le=200)
    secret_key: SecretStr | None = None
    log_level: str = "INFO"
    log_json: bool = False

    # GraphQL guards
    max_page_size: int = Field(default=100, ge=1, le=1000)
    max_query_depth: int = Field(default=12, ge=2)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=5000, ge=100)
    #: Most objects one query may ask for (see catalogue/graphql/core/query_cost.py).
    max_query_cost: int = Field(default=500_000, ge=1)
    #: How many objects a plain list field (not a connection) is counted as.
    query_cost_list_size: int = Field(default=10, ge=1, le=1000)
    #: Seconds one GraphQL request may use (database statements; see catalogue/time_budget.py).
    request_time_budget: float = Field(default=5.0, gt=0, le=300)
    # HTTP request size (bytes): headers (all lines together) and body.
    max_request_header_bytes: int = Field(default=16_384, ge=1024, le=1_048_576)
    max_request_body_bytes: int = Field(default=1_048_576, ge=1024)

    # Identity
    token_issuer: str = "kompetencekatalog-dev"  # noqa: S105 - an issuer name, not a secret
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None
    #: One JWKS fetch may take this long; on failure the last good keys stay in use.
    oidc_jwks_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    #: Keys older than this are fetched again (and at once for an unknown key id).
    oidc_jwks_max_age_seconds: float = Field(default=300.0, ge=0)
    #: The provider token's claim that lists the person's roles or groups (Entra ID: ``groups``).
    oidc_roles_claim: str = Field(default="roles", min_length=1, max_length=100)
    #: YAML file mapping the claim's group names or ids to roles (catalogue/role_mapping.py).
    oidc_role_mapping_file: Path | None = None
    #: The same mapping inline, as JSON (``{"Ledere": ["LEADER"]}``); not with the file.
    oidc_role_mapping: dict[str, Any] | None = None
    #: Create a person on the first login of a provider token that grants a role.
    oidc_create_people: bool = False
    #: The web app's OIDC client (Authorization Code + PKCE, ``catalogue/web/oidc.py``):
    #: the provider's discovery document is read from ``oidc_issuer``.
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_scopes: str = "openid email profile"
    #: Signs the web app's session and CSRF cookies; in dev generated into ``var/`` if unset.
    web_session_secret: SecretStr | None = None
    #: A web session ends this long after its last request (and at logout at once).
    web_session_idle_minutes: int = Field(default=120, ge=5, le=24 * 60)
    #: ... and this long after login whatever happens.
    web_session_max_hours: int = Field(default=12, ge=1, le=24 * 30)
    #: The LTI tool's RSA private key (PEM) that signs deep-linking responses; its public
    #: half is served at ``/.well-known/jwks.json``. In dev generated into ``var/`` if unset.
    lti_private_key: SecretStr | None = None
    #: GraphQL introspection (``__schema``, ``__type``); unset: on in dev, off in prod.
    graphql_introspection: bool | None = None
    lms_persisted_only: bool = False
    #: LmsCataloguePage answered by bulk queries instead of per-field execution (same output).
    lms_page_fast_path: bool = True

    # LMS
    lms_kind: str = NO_LMS
    moodle_url: str | None = None
    moodle_token: SecretStr | None = None
    moodle_student_role_id: int = Field(default=5, ge=1)
    #: Only courses directly in this Moodle category are pulled (None: every course).
    moodle_category_id: int | None = Field(default=None, ge=1)
    #: The Moodle user field compared with the person's e-mail address.
    moodle_user_match_field: Literal["email", "idnumber", "username"] = "email"
    moodle_timeout_seconds: float = Field(default=30.0, gt=0)
    #: The scale the profile's competency framework rates with; 2 is the "Default competence
    #: scale" of a fresh Moodle (item 1 "Not yet competent" the default, 2 "Competent").
    # The profile as a Moodle competency framework is opt-in: it needs competencies
    # enabled and nine more web-service functions, which many sites don't offer.
    moodle_push_competencies: bool = False
    moodle_competency_scale_id: int = Field(default=2, ge=1)

    # Provisioning (SCIM 2.0 at /scim/v2; catalogue/scim/)
    #: The provisioning client's bearer token (e.g. Entra ID's "Secret token"); unset:
    #: /scim/v2 refuses every request. Separate from people's tokens; at least 32 characters.
    scim_token: SecretStr | None = None
    #: Group names that grant a role, e.g. ``{"LTK Kompetencekatalog HR": "HR"}`` (JSON).
    scim_group_roles: dict[str, Role] = Field(default_factory=dict)
    #: Most resources one SCIM list answer holds (``count`` is capped to it).
    scim_max_results: int = Field(default=200, ge=1, le=1000)
    #: A department that names no org unit (by code or name) is refused instead of kept
    #: as text only: for sites whose org units come from the HR file first.
    scim_require_known_department: bool = False

    # LMS sync: the Celery queue, beat intervals, retries and time limits (seconds)
    #: Queue name on the broker; distinct names let several sites (or test runs) share a Redis.
    celery_queue: str = Field(default="kompetencekatalog", min_length=1, max_length=100)
    sync_courses_interval: int = Field(default=3600, ge=10)
    sync_outbox_interval: int = Field(default=60, ge=5)
    sync_completions_interval: int = Field(default=900, ge=10)
    sync_enrolments_interval: int = Field(default=86400, ge=60)
    sync_competencies_interval: int = Field(default=86400, ge=60)
    sync_max_retries: int = Field(default=5, ge=0, le=20)
    sync_retry_backoff_max: int = Field(default=600, ge=1)
    sync_soft_time_limit: int = Field(default=1500, ge=5)
    sync_time_limit: int = Field(default=1800, ge=10)

    # Privacy
    #: Days a leaver's data is kept after deactivation before the scheduled erasure; None: kept.
    leaver_retention_days: int | None = Field(default=None, ge=1, le=36_500)
    #: Seconds between two runs of the scheduled erasure of leavers past retention.
    leaver_retention_interval: int = Field(default=86400, ge=60)

    _role_mapping: dict[str, frozenset[Role]] | None = PrivateAttr(default=None)
    # E-mail through SMTP (catalogue/services/mail.py): dialogue reminders, evaluation
    # invitations and reminders; without a host no mail is sent.
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = Field(default="kompetencekatalog@localhost", min_length=3, max_length=320)
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    #: The address people open the service at; links in e-mails start with it.
    public_url: str = "http://127.0.0.1:8000"
    #: Seconds between the beat's evaluation ticks (close due rounds, send due e-mails).
    evaluation_mail_interval: int = Field(default=900, ge=30)
    #: How often the beat asks which dialogue reminders are due (seconds).
    dialogue_reminders_interval: int = Field(default=3600, ge=60)
    # Recruitment (catalogue/services/recruitment/retention.py)
    #: Days after a vacancy closes before its candidates are anonymised (about six months).
    recruitment_retention_days: int = Field(default=183, ge=1, le=3650)
    #: How often the beat looks for vacancies past the retention period (seconds).
    recruitment_retention_interval: int = Field(default=86400, ge=60)

    @model_validator(mode="after")
    def _require_secret_in_production(self) -> Self:
        if self.env is Environment.PROD and not self.secret_key and not self.oidc_jwks_url:
            raise ValueError(
                "CATALOGUE_SECRET_KEY skal være sat i produktion (CATALOGUE_ENV=prod), "
                "eller tokens skal valideres via CATALOGUE_OIDC_JWKS_URL"
            )
        if (
            self.env is Environment.PROD
            and self.secret_key is not None
            and self.secret_key.get_secret_value() == "change-me"
        ):
            raise ValueError("CATALOGUE_SECRET_KEY må ikke være standardværdien i produktion")
        return self

    @model_validator(mode="after")
    def _check_web_login(self) -> Self:
        if self.oidc_client_id and not self.oidc_issuer:
            raise ValueError(
                "CATALOGUE_OIDC_ISSUER skal være sat, når CATALOGUE_OIDC_CLIENT_ID er sat: "
                "webappens login læser identitetsudbyderens oplysninger derfra"
            )
        if self.env is Environment.PROD and self.oidc_client_id and not self.web_session_secret:
            raise ValueError(
                "CATALOGUE_WEB_SESSION_SECRET skal være sat i produktion, når webappens login "
                "er slået til (CATALOGUE_OIDC_CLIENT_ID)"
            )
        return self

    @model_validator(mode="after")
    def _check_lms_sync(self) -> Self:
        if self.lms_kind == "moodle" and not (self.moodle_url and self.moodle_token):
            raise ValueError(
                "CATALOGUE_MOODLE_URL og CATALOGUE_MOODLE_TOKEN skal være sat, "
                "når CATALOGUE_LMS_KIND=moodle"
            )
        if self.sync_soft_time_limit >= self.sync_time_limit:
            raise ValueError(
                "CATALOGUE_SYNC_SOFT_TIME_LIMIT skal være mindre end CATALOGUE_SYNC_TIME_LIMIT"
            )
        return self

    @model_validator(mode="after")
    def _read_role_mapping(self) -> Self:
        if self.oidc_role_mapping_file is not None and self.oidc_role_mapping is not None:
            raise ValueError(
                "sæt enten CATALOGUE_OIDC_ROLE_MAPPING_FILE eller CATALOGUE_OIDC_ROLE_MAPPING, "
                "ikke begge"
            )
        try:
            if self.oidc_role_mapping_file is not None:
                self._role_mapping = load_role_mapping(self.oidc_role_mapping_file)
            elif self.oidc_role_mapping is not None:
                self._role_mapping = parse_role_mapping(
                    self.oidc_role_mapping, source="CATALOGUE_OIDC_ROLE_MAPPING"
                )
        except RoleMappingError as exc:
            raise ValueError(str(exc)) from None
        return self

    @property
    def role_mapping(self) -> dict[str, frozenset[Role]] | None:
        """Group -> roles for provider tokens; None: the claim names our roles directly."""
        return self._role_mapping

    @field_validator("scim_token", mode="before")
    @classmethod
    def _empty_scim_token_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("scim_token")
    @classmethod
    def _long_scim_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < SCIM_TOKEN_MIN_LENGTH:
            raise ValueError(
                f"CATALOGUE_SCIM_TOKEN skal være mindst {SCIM_TOKEN_MIN_LENGTH} tegn "
                "(fx fra `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        return value

    @field_validator("lms_kind")
    @classmethod
    def _normalise_lms_kind(cls, value: str) -> str:
        return value.strip().casefold() or NO_LMS

    @property
    def lms_connected(self) -> bool:
        return self.lms_kind != NO_LMS

    @property
    def is_dev(self) -> bool:
        return self.env is Environment.DEV

    @property
    def introspection_allowed(self) -> bool:
        if self.graphql_introspection is None:
            return self.is_dev
        return self.graphql_introspection

    @property
    def tasks_in_process(self) -> bool:
        """Without a broker, background tasks run in the calling process."""
        return not self.redis_url

    def secret_values(self) -> list[str]:
        """The configured secret values, which the log formatter masks wherever they appear.

        The API and the workers both pass them to ``configure_logging``: the LMS token
        is used by the workers, the signing key by the API.
        """
        from sqlalchemy import make_url
        from sqlalchemy.exc import ArgumentError

        values = [
            self.secret_key,
            self.moodle_token,
            self.scim_token,
            self.smtp_password,
            self.oidc_client_secret,
            self.web_session_secret,
            self.lti_private_key,
        ]
        found = [value.get_secret_value() for value in values if value is not None]
        try:
            password = make_url(self.database_url.get_secret_value()).password
        except (ArgumentError, ValueError):  # make_engine says what is wrong with the URL
            password = None
        if password:
            found.append(str(password))
        return found

    def signing_key(self) -> str | None:
        """The key for locally minted tokens, or None: no local tokens at all.

        In development a key is generated once into ``var/`` so ``make run`` needs
        no setup. In production only a configured CATALOGUE_SECRET_KEY signs: a key
        generated there would let whoever reads ``var/`` mint tokens (HR included)
        beside the identity provider, so without one local tokens are refused.
        """
        if self.secret_key:
            return self.secret_key.get_secret_value()
        if not self.is_dev:
            return None
        key_file = VAR_DIR / "secret_key"
        if not key_file.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            key_file.chmod(0o600)
        return key_file.read_text(encoding="utf-8").strip()

    def web_secret(self) -> str | None:
        """The key that signs web session and CSRF cookies, or None: no web login.

        Kept apart from the token key, so that a web app in production does not also
        make the service accept locally minted tokens. In development it is generated
        once into ``var/``, like the token key.
        """
        if self.web_session_secret:
            return self.web_session_secret.get_secret_value()
        if not self.is_dev:
            return None
        key_file = VAR_DIR / "web_session_secret"
        if not key_file.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            key_file.chmod(0o600)
        return key_file.read_text(encoding="utf-8").strip()

    def lti_key_pem(self) -> str | None:
        """The LTI tool's private key (PEM), or None: the LTI tool is off.

        Like the web secret: set in production, generated once into ``var/`` in dev.
        """
        if self.lti_private_key:
            return self.lti_private_key.get_secret_value()
        if not self.is_dev:
            return None
        key_file = VAR_DIR / "lti_private_key.pem"
        if not key_file.exists():
            from cryptography.hazmat.primitives import serialization
            from cryptography.hazmat.primitives.asymmetric import rsa

            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            key_file.chmod(0o600)
        return key_file.read_text(encoding="utf-8")


@lru_cache
def get_settings() -> Settings:
    """The settings from the environment; a bad value is a ``SettingsError`` in Danish."""
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError.from_validation(error) from None
