"""The sign-in form's CSRF token without a server-side row: a signed double-submit.

GET /login writes nothing to the ledger, so reading pages never competes with imports
for the write lock and an anonymous visitor leaves no row behind. The browser gets a
random nonce in the cookie ``envledger_login`` (HttpOnly, path /login) and the form the
token ``<issued>.<HMAC-SHA256(key, nonce.issued)>``. POST /login accepts the form only
when the token matches the cookie's nonce under this server's key and is at most
:data:`FORM_MINUTES` old: another site can neither read the cookie nor compute the MAC.
The key is ``ENVLEDGER_LOGIN_FORM_KEY``, or a random one per server process.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

from fastapi import HTTPException, Request, Response

from envledger.web.shared.auth import CSRF_FIELD, app_settings

LOGIN_COOKIE = "envledger_login"
FORM_MINUTES = 60
"""How long a sign-in form may be filled in before it must be reloaded [min]."""
_NONCE = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
_EXPIRED = "the sign-in form expired or came from elsewhere: reload /login and sign in again"


def new_key(configured: str) -> bytes:
    """The HMAC key: the configured one, or a random one for this process."""
    return configured.encode() if configured else secrets.token_bytes(32)


def _mac(request: Request, nonce: str, issued: int) -> str:
    key: bytes = request.app.state.login_form_key
    return hmac.new(key, f"{nonce}.{issued}".encode(), hashlib.sha256).hexdigest()


def form_token(request: Request) -> tuple[str, str]:
    """(nonce for the cookie, token for the form); the browser's nonce is kept if it has one."""
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    if not _NONCE.fullmatch(nonce):
        nonce = secrets.token_urlsafe(32)
    issued = int(time.time())
    return nonce, f"{issued}.{_mac(request, nonce, issued)}"


def set_login_cookie(request: Request, response: Response, nonce: str) -> None:
    """Send the nonce: HttpOnly, SameSite=Lax, Secure like the session cookie."""
    secure = request.url.scheme == "https" or app_settings(request).secure_cookies
    response.set_cookie(LOGIN_COOKIE, nonce, max_age=FORM_MINUTES * 60, path="/login",
                        httponly=True, samesite="lax", secure=secure)


def clear_login_cookie(response: Response) -> None:
    """The form is used: the browser may forget the nonce."""
    response.delete_cookie(LOGIN_COOKIE, path="/login", httponly=True, samesite="lax")


async def check_form_token(request: Request) -> None:
    """403 unless the posted form carries a fresh token for the cookie's nonce."""
    sent = (await request.form()).get(CSRF_FIELD)
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    issued_text, _, mac = sent.partition(".") if isinstance(sent, str) else ("", "", "")
    if not (_NONCE.fullmatch(nonce) and issued_text.isdigit() and mac):
        raise HTTPException(403, _EXPIRED)
    issued = int(issued_text)
    age = time.time() - issued
    expected = _mac(request, nonce, issued)
    if not (hmac.compare_digest(mac.encode(), expected.encode())
            and -60 <= age <= FORM_MINUTES * 60):  # a minute of clock skew between processes
        raise HTTPException(403, _EXPIRED)
