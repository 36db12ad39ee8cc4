"""The web app's cookies: the session token and the CSRF token, both signed.

The session cookie carries a random token (the server keeps its hash in
``login_session``), signed with itsdangerous so a forged or altered cookie is
refused before the database is asked. HttpOnly and SameSite=Lax always, Secure in
production.

CSRF is the signed double-submit pattern: a random nonce in its own HttpOnly
cookie, and in every form the nonce signed (itsdangerous, with the session
token's hash mixed into the salt once logged in). A POST is taken only when
the form's token unsigns to the cookie's nonce; another site can neither read
the cookie nor sign a token. A new nonce is set at login and logout.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, Signer, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from catalogue.settings import Settings

SESSION_COOKIE = "kk_session"
CSRF_COOKIE = "kk_csrf"
CSRF_FIELD = "csrf_token"
#: A form older than this is refused (the page is re-rendered with a fresh token).
CSRF_MAX_AGE_SECONDS = 12 * 3600


def partition_last_cookie(response: Response) -> None:
    """Mark the cookie just set ``Partitioned`` (CHIPS): kept per top-level site, so
    browsers that block third-party cookies still keep it inside the LMS's iframe.
    (Starlette's ``partitioned=`` needs Python 3.14; the attribute is added here.)"""
    name, value = response.raw_headers[-1]
    assert name == b"set-cookie"
    response.raw_headers[-1] = (name, value + b"; Partitioned")


class CsrfError(Exception):
    """The form's CSRF token is missing, forged, stale or not this browser's."""


class WebKeys:
    """The signers for one app, made from the web secret once."""

    def __init__(self, settings: Settings) -> None:
        secret = settings.web_secret()
        self.enabled = secret is not None
        key = secret or secrets.token_urlsafe(32)  # no login without a secret; forms still sign
        self._session = Signer(key, salt="kk-session")
        self._csrf = URLSafeTimedSerializer(key, salt="kk-csrf")
        self.secure = not settings.is_dev
        self.session_max_age = settings.web_session_max_hours * 3600

    # --- session cookie ---------------------------------------------------------------

    def session_token(self, request: Request) -> str | None:
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw or len(raw) > 200:
            return None
        try:
            return self._session.unsign(raw).decode("ascii")
        except (BadSignature, UnicodeDecodeError):
            return None

    def set_session(self, response: Response, token: str, *, framed: bool = False) -> None:
        """``framed``: opened in an LMS's iframe (LTI), where only a SameSite=None cookie
        (Secure, partitioned per top-level site) comes back."""
        response.set_cookie(
            SESSION_COOKIE,
            self._session.sign(token).decode("ascii"),
            max_age=self.session_max_age,
            httponly=True,
            samesite="none" if framed else "lax",
            secure=self.secure or framed,
            path="/",
        )
        if framed:
            partition_last_cookie(response)

    def clear_session(self, response: Response) -> None:
        response.delete_cookie(
            SESSION_COOKIE, httponly=True, samesite="lax", secure=self.secure, path="/"
        )

    # --- CSRF -------------------------------------------------------------------------

    def csrf_nonce(self, request: Request) -> str:
        """This browser's nonce; a new one (set by ``csrf_cookie``) when it has none."""
        state_nonce: str | None = getattr(request.state, "csrf_nonce", None)
        if state_nonce:
            return state_nonce
        nonce = request.cookies.get(CSRF_COOKIE)
        if not nonce or len(nonce) > 100:
            nonce = secrets.token_urlsafe(24)
            request.state.csrf_new = True
        request.state.csrf_nonce = nonce
        return nonce

    def renew_csrf(self, request: Request) -> None:
        """At login and logout: the forms from before no longer count."""
        request.state.csrf_nonce = secrets.token_urlsafe(24)
        request.state.csrf_new = True

    def csrf_token(self, request: Request) -> str:
        return self._csrf.dumps(self.csrf_nonce(request), salt=self._bound_salt(request))

    def check_csrf(self, request: Request, token: object) -> None:
        nonce = request.cookies.get(CSRF_COOKIE)
        if not isinstance(token, str) or not token or not nonce:
            raise CsrfError
        try:
            signed = self._csrf.loads(
                token, max_age=CSRF_MAX_AGE_SECONDS, salt=self._bound_salt(request)
            )
        except BadSignature:
            raise CsrfError from None
        if not isinstance(signed, str) or not hmac.compare_digest(signed, nonce):
            raise CsrfError

    def _bound_salt(self, request: Request) -> str:
        """Tokens made for one session do not count in another (or logged out)."""
        token = self.session_token(request) or ""
        return "kk-csrf-" + hashlib.sha256(token.encode("ascii")).hexdigest()[:16]

    def csrf_cookie(self, request: Request, response: Response) -> None:
        if getattr(request.state, "csrf_new", False):
            response.set_cookie(
                CSRF_COOKIE,
                request.state.csrf_nonce,
                max_age=CSRF_MAX_AGE_SECONDS,
                httponly=True,
                samesite="lax",
                secure=self.secure,
                path="/",
            )
