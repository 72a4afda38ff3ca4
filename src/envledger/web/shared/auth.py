"""Who is calling, and may they: FastAPI dependencies for every protected route.

``current_principal`` resolves the caller from ``Authorization: Bearer <token>`` (scripts)
or the session cookie (browsers); without either it is the anonymous public. For a
browser session every state-changing request (POST, PUT, PATCH, DELETE) must carry the
session's CSRF token, as the form field ``csrf_token`` or the ``X-CSRF-Token`` header;
a missing or foreign token is refused with 403 before the route runs. Bearer-token calls
carry no ambient authority, so they need none. ``require(...)`` adds the role and
permission check: 401 for the public (a browser asking for a page is sent to /login
instead), 403 for a user without the permission.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from envledger.errors import AuthenticationError
from envledger.services.access.api_tokens import token_principal
from envledger.services.access.roles import PUBLIC, Permission, Principal, Role
from envledger.services.access.web_sessions import BrowserSession, find_session
from envledger.settings import Settings

SESSION_COOKIE = "envledger_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def app_settings(request: Request) -> Settings:
    """The Settings the app was created with."""
    return request.app.state.settings


async def browser_session(request: Request) -> BrowserSession | None:
    """The live session named by the request's cookie (looked up once per request)."""
    if not hasattr(request.state, "browser_session"):
        session_id = request.cookies.get(SESSION_COOKIE)
        found = None
        if session_id:
            found = await run_in_threadpool(
                find_session, app_settings(request).database_url, session_id)
        request.state.browser_session = found
    return request.state.browser_session


async def check_csrf(request: Request, browser: BrowserSession) -> None:
    """403 unless the request carries ``browser``'s CSRF token (form field or header)."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent.encode(), browser.csrf_token.encode()):
        raise HTTPException(403, "missing or invalid CSRF token: reload the page and retry")


async def current_principal(request: Request) -> Principal:
    """The caller: a token's or a session's user, or the public (see the module doc)."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise HTTPException(401, "use 'Authorization: Bearer <token>'", headers=_CHALLENGE)
        try:
            return await run_in_threadpool(
                token_principal, app_settings(request).database_url, secret.strip())
        except AuthenticationError as error:
            raise HTTPException(401, str(error), headers=_CHALLENGE) from None
    browser = await browser_session(request)
    if browser is None:
        return PUBLIC
    if request.method not in SAFE_METHODS:
        await check_csrf(request, browser)
    return browser.principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def _browser_page(request: Request) -> bool:
    """A browser asking for a page (GET, HTML accepted, not the JSON API)."""
    return (request.method == "GET" and "text/html" in request.headers.get("accept", "")
            and not request.url.path.startswith("/api/"))


def require(*needs: Permission | Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency: the caller must be signed in, hold every Permission and (when Roles
    are given) have one of those roles; 401 for the public, 403 otherwise."""
    permissions = [need for need in needs if isinstance(need, Permission)]
    roles = {need for need in needs if isinstance(need, Role)}

    async def dependency(request: Request, principal: CurrentPrincipal) -> Principal:
        if not principal.authenticated:
            if _browser_page(request):  # a person following a link: to the sign-in form
                target = quote(request.url.path + (
                    f"?{request.url.query}" if request.url.query else ""), safe="")
                raise HTTPException(303, "sign in first",
                                    headers={"Location": f"/login?next={target}"})
            raise HTTPException(401, "sign in first (or send a bearer token)",
                                headers=_CHALLENGE)
        missing = [str(p) for p in permissions if not principal.can(p)]
        if missing or (roles and principal.role not in roles):
            what = ", ".join(missing) or " or ".join(sorted(roles))
            raise HTTPException(403, f"{principal.actor} ({principal.role}) needs {what}")
        return principal

    return dependency


def set_session_cookie(request: Request, response: Response, browser: BrowserSession) -> None:
    """Send the session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS or by setting."""
    secure = request.url.scheme == "https" or app_settings(request).secure_cookies
    response.set_cookie(
        SESSION_COOKIE, browser.session_id, httponly=True, samesite="lax", secure=secure,
        path="/", expires=browser.expires_at,
    )


def clear_session_cookie(response: Response) -> None:
    """Tell the browser to forget the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
