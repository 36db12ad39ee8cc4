"""pylti1p3's framework interfaces for Starlette, over our database.

pylti1p3 ships adapters for Django and Flask only; it asks a framework for a request
(parameters, cookies, https), a cookie service, a session service (where the nonce is
kept) and a redirect. These are those, thin. The tool configuration reads the
``lti_platform`` table, so a platform registered a second ago launches at once.
"""

from __future__ import annotations

import typing as t
from collections.abc import Mapping

from pylti1p3.cookie import CookieService
from pylti1p3.deployment import Deployment
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.oidc_login import OIDCLogin
from pylti1p3.redirect import Redirect
from pylti1p3.registration import Registration
from pylti1p3.request import Request as LtiRequest
from pylti1p3.session import SessionService
from pylti1p3.tool_config.abstract import ToolConfAbstract
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from catalogue.models import LtiPlatform
from catalogue.models.base import utcnow
from catalogue.services.lti_keys import ToolKey
from catalogue.services.lti_launch import save_nonce, use_nonce
from catalogue.services.lti_platforms import find_platform
from catalogue.web.security import partition_last_cookie

#: pylti1p3 names the nonce's key ``lti1p3-nonce-<nonce>``.
NONCE_KEY_PREFIX = "lti1p3-nonce-"
#: The state cookie is set in the login initiation and read at the launch.
STATE_COOKIE_MAX_AGE = 5 * 60


class StarletteLtiRequest(LtiRequest):
    """The parameters (query and form) and cookies of one request, read beforehand."""

    def __init__(
        self, params: Mapping[str, str], cookies: Mapping[str, str], *, secure: bool
    ) -> None:
        self._params = dict(params)
        self._cookies = dict(cookies)
        self._secure = secure

    @property
    def session(self) -> dict[str, t.Any]:
        return {}  # unused: the nonce is in the database (``NonceStorage``)

    def is_secure(self) -> bool:
        return self._secure

    def get_param(self, key: str) -> str:
        return self._params.get(key, "")

    def get_cookie(self, name: str) -> str | None:
        return self._cookies.get(name)


class NonceStorage(LaunchDataStorage[t.Any]):
    """Keeps only what a launch must check: the nonce, in ``lti_nonce``, used once.

    pylti1p3 also stores the launch's claims and a state/id_token hash pair (for a
    launch restored later by id); the tool does not restore launches, so those are
    dropped, and the state check falls back to the state cookie, as the spec has it.
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self._db = session

    def can_set_keys_expiration(self) -> bool:
        return False

    def get_session_cookie_name(self) -> None:
        return None

    def get_value(self, key: str) -> t.Any:
        return None

    def set_value(self, key: str, value: t.Any, exp: int | None = None) -> None:
        if key.startswith(NONCE_KEY_PREFIX):
            save_nonce(self._db, key.removeprefix(NONCE_KEY_PREFIX), now=utcnow())

    def check_value(self, key: str) -> bool:
        if not key.startswith(NONCE_KEY_PREFIX):
            return False
        return use_nonce(self._db, key.removeprefix(NONCE_KEY_PREFIX), now=utcnow())


class StarletteCookieService(CookieService):
    """Collects the cookies pylti1p3 sets, to put on the response it returns.

    SameSite=None; Secure; Partitioned: the launch is a cross-site form post from the
    platform, inside its iframe, where a Lax cookie would not come back.
    """

    def __init__(self, request: StarletteLtiRequest) -> None:
        self._request = request
        self._to_set: dict[str, tuple[str, int | None]] = {}

    def _key(self, name: str) -> str:
        return f"{self._cookie_prefix}-{name}"

    def get_cookie(self, name: str) -> str | None:
        return self._request.get_cookie(self._key(name))

    def set_cookie(self, name: str, value: str | int, exp: int | None = 3600) -> None:
        self._to_set[self._key(name)] = (str(value), exp)

    def update_response(self, response: Response) -> None:
        secure = self._request.is_secure()
        for key, (value, max_age) in self._to_set.items():
            response.set_cookie(
                key,
                value,
                max_age=max_age,
                path="/lti",
                httponly=True,
                secure=secure,
                samesite="none" if secure else "lax",
            )
            if secure:
                partition_last_cookie(response)


class StarletteRedirect(Redirect[Response]):
    def __init__(self, location: str, cookies: StarletteCookieService) -> None:
        self._location = location
        self._cookies = cookies

    def do_redirect(self) -> Response:
        response = RedirectResponse(self._location, status_code=302)
        self._cookies.update_response(response)
        return response

    def do_js_redirect(self) -> Response:
        return self.do_redirect()

    def set_redirect_url(self, location: str) -> None:
        self._location = location

    def get_redirect_url(self) -> str:
        return self._location


class DatabaseToolConf(ToolConfAbstract[StarletteLtiRequest]):
    """The registrations in ``lti_platform``; one issuer may have many client ids."""

    def __init__(self, session: Session, key: ToolKey) -> None:
        super().__init__()
        self._db = session
        self._key = key
        self.platform: LtiPlatform | None = None

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def _registration(self, platform: LtiPlatform) -> Registration:
        self.platform = platform
        registration = (
            Registration()
            .set_issuer(platform.issuer)
            .set_client_id(platform.client_id)
            .set_auth_login_url(platform.auth_login_url)
            .set_auth_token_url(platform.auth_token_url)
            .set_key_set_url(platform.key_set_url)
            .set_key_set(t.cast(t.Any, platform.key_set))
            .set_tool_private_key(self._key.private_pem)
            .set_tool_public_key(self._key.public_pem)
        )
        return registration

    def find_registration_by_issuer(  # type: ignore[override]
        self, iss: str, *args: t.Any, **kwargs: t.Any
    ) -> Registration | None:
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(  # type: ignore[override]
        self, iss: str, client_id: str | None, *args: t.Any, **kwargs: t.Any
    ) -> Registration | None:
        platform = find_platform(self._db, iss, client_id or None)
        return None if platform is None else self._registration(platform)

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return None  # never asked: every issuer may have many client ids

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args: t.Any, **kwargs: t.Any
    ) -> Deployment | None:
        platform = find_platform(self._db, iss, client_id)
        if platform is None or deployment_id not in platform.deployment_ids:
            return None
        return Deployment().set_deployment_id(deployment_id)


def _services(
    request: StarletteLtiRequest, session: Session
) -> tuple[SessionService, StarletteCookieService]:
    sessions = SessionService(request)
    sessions.set_data_storage(NonceStorage(session))
    return sessions, StarletteCookieService(request)


class StarletteOidcLogin(OIDCLogin):  # type: ignore[type-arg]
    def __init__(self, request: StarletteLtiRequest, conf: DatabaseToolConf, session: Session):
        sessions, cookies = _services(request, session)
        super().__init__(request, conf, sessions, cookies)
        self.cookies = cookies

    def get_redirect(self, url: str) -> Redirect[Response]:
        return StarletteRedirect(url, self.cookies)


class StarletteMessageLaunch(MessageLaunch):  # type: ignore[type-arg]
    def __init__(self, request: StarletteLtiRequest, conf: DatabaseToolConf, session: Session):
        sessions, cookies = _services(request, session)
        super().__init__(request, conf, sessions, cookies)

    def _get_request_param(self, key: str) -> str:
        return str(self._request.get_param(key))
