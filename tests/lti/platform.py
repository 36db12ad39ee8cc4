"""A real LTI 1.3 platform in the test process: lti1p3platform, as an LMS would run it.

The platform signs its launches with its own RSA key; the tool is registered with the
platform's JWKS, as ``catalogue lti`` or dynamic registration would store it. Only the
framework glue is here (lti1p3platform leaves the request and response to a framework);
the OIDC parameters, claims and signatures are the library's.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration

TOOL = "https://testserver"


def rsa_pem() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    return private, public


class _Conf(LTI1P3PlatformConfAbstract):  # type: ignore[misc]
    def init_platform_config(self, **kwargs: t.Any) -> None:
        self._registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs: t.Any) -> Registration:
        return self._registration


class _Login(OIDCLoginAbstract):  # type: ignore[misc]
    def set_lti_message_hint(self, **kwargs: t.Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class _Launch(LTIAdvantageMessageLaunchAbstract):  # type: ignore[misc]
    def __init__(self, preflight: dict[str, str], conf: _Conf) -> None:
        super().__init__(None, conf)
        self._preflight = preflight

    def get_preflight_response(self) -> dict[str, t.Any]:
        return self._preflight

    def render_launch_form(self, launch_data: dict[str, t.Any], **kwargs: t.Any) -> t.Any:
        return launch_data  # the auto-submitting form's fields: id_token, state, launch_url


@dataclass
class Platform:
    """One LMS: its issuer, our client id there, a deployment, its key pair."""

    issuer: str = "https://moodle.test.example"
    client_id: str = "kompetencekatalog-1"
    deployment_id: str = "1"
    private_pem: str = ""
    public_pem: str = ""
    kid: str = "platform-key-1"
    extra: dict[str, t.Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.private_pem:
            self.private_pem, self.public_pem = rsa_pem()

    def registration(
        self, *, client_id: str | None = None, deployment_id: str | None = None
    ) -> Registration:
        registration = (
            Registration()
            .set_iss(self.issuer)
            .set_client_id(client_id or self.client_id)
            .set_deployment_id(deployment_id or self.deployment_id)
            .set_oidc_login_url(f"{TOOL}/lti/login")
            .set_launch_url(f"{TOOL}/lti/launch")
            .set_platform_private_key(self.private_pem)
            .set_platform_public_key(self.public_pem)
        )
        registration._kid = self.kid  # the key id its JWKS names (library attribute)
        return registration

    def jwks(self) -> dict[str, t.Any]:
        return {"keys": self.registration().get_jwks()}

    @property
    def auth_login_url(self) -> str:
        return f"{self.issuer}/mod/lti/auth.php"

    def login_initiation_url(self, login_hint: str, *, message_hint: str = "rl-1") -> str:
        """Step 1: the URL the platform sends the browser to (the tool's login initiation)."""
        login = _Login(None, _Conf(registration=self.registration()))
        login.set_lti_message_hint(hint=message_hint)
        url: str = login.initiate_login(login_hint)
        return url

    def launch(
        self,
        auth_request_url: str,
        *,
        sub: str,
        email: str | None,
        name: str = "",
        client_id: str | None = None,
        deployment_id: str | None = None,
        expires_in: int = 300,
        custom: dict[str, str] | None = None,
    ) -> dict[str, str]:
        """Step 3: the platform answers the tool's authentication request with an id_token."""
        preflight = dict(parse_qsl(urlsplit(auth_request_url).query))
        assert auth_request_url.startswith(self.auth_login_url), auth_request_url
        if client_id is not None:  # a token addressed to another tool (wrong aud)
            preflight["client_id"] = client_id
        registration = self.registration(client_id=client_id, deployment_id=deployment_id)
        launch = _Launch(preflight, _Conf(registration=registration))
        launch.set_user_data(
            sub,
            ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            full_name=name or None,
            email_address=email,
        )
        launch.set_resource_link_claim("rl-1", title="Kompetencekataloget")
        launch.set_launch_context_claim("course-7", context_title="Lederuddannelse")
        if custom:
            launch.set_custom_parameters_claim(custom)
        launch.set_id_token_expiration(expires_in)
        form: dict[str, str] = launch.lti_launch()
        return form
