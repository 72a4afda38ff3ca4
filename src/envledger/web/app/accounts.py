"""Signing in and out (/login, /logout), and wiring access control into the app."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from envledger.errors import (
    AuthenticationError,
    ConflictError,
    EnvledgerError,
    PermissionDeniedError,
)
from envledger.services.access.throttle import SigninPolicy
from envledger.services.access.web_sessions import sign_in, sign_out
from envledger.settings import Settings
from envledger.web.app import admin_users
from envledger.web.app.forms import render
from envledger.web.app.login_form import (
    check_form_token,
    clear_login_cookie,
    form_token,
    new_key,
    set_login_cookie,
)
from envledger.web.shared.auth import (
    SESSION_COOKIE,
    CurrentPrincipal,
    app_settings,
    browser_session,
    clear_session_cookie,
    set_session_cookie,
)

router = APIRouter(tags=["accounts"])


def _local(target: str) -> str:
    """``target`` if it is a path on this site, else "/" (no open redirects)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _client_address(request: Request) -> str:
    """The caller's address, for the per-address sign-in throttle (behind a proxy: the
    forwarded one when uvicorn runs with --proxy-headers)."""
    return request.client.host if request.client else "unknown"


@router.get("/login", include_in_schema=False)
async def login_page(request: Request, next: str = "/") -> Response:
    """The sign-in form; its CSRF token is signed, not stored (web.app.login_form)."""
    await browser_session(request)  # a signed-in visitor still sees who they are (read only)
    nonce, token = form_token(request)
    response = render(request, "login.html", next=_local(next), error="", login_token=token)
    set_login_cookie(request, response, nonce)
    return response


@router.post("/login", include_in_schema=False)
async def login(
    request: Request, username: Annotated[str, Form()], password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password; on success a NEW session id replaces any the browser had."""
    await check_form_token(request)
    settings = app_settings(request)
    try:
        signed_in = await run_in_threadpool(
            sign_in, settings.database_url, username, password, settings.session_hours,
            request.cookies.get(SESSION_COOKIE), None, _client_address(request),
            SigninPolicy.from_settings(settings),
        )
    except AuthenticationError as error:
        _, token = form_token(request)
        return render(request, "login.html", status_code=401, next=_local(next),
                      error=str(error), login_token=token)
    response = RedirectResponse(_local(next), status_code=303)
    set_session_cookie(request, response, signed_in)
    clear_login_cookie(response)
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request, principal: CurrentPrincipal) -> Response:
    """End the browser session (CSRF-checked like every form) and go to the front page."""
    browser = await browser_session(request)
    if browser is not None:
        await run_in_threadpool(sign_out, app_settings(request).database_url, browser.session_id)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response)
    return response


@router.get("/api/v1/me")
def me(principal: CurrentPrincipal) -> dict[str, object]:
    """Who is calling: username, role, permissions and facility scope (or the public)."""
    return {
        "username": principal.username, "role": str(principal.role), "via": principal.via,
        "permissions": sorted(principal.permissions),
        "facilities": sorted(principal.facilities),
    }


def _status(code: int):  # type: ignore[no-untyped-def]
    async def handler(request: Request, error: Exception) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if code == 401 else None
        return JSONResponse({"detail": str(error)}, status_code=code, headers=headers)

    return handler


def install_accounts(app: FastAPI, settings: Settings) -> None:
    """Add sign-in and administration, and map the access errors to HTTP statuses.

    AuthenticationError -> 401, PermissionDeniedError -> 403, ConflictError (a change
    someone made first) -> 409, any other EnvledgerError (bad input to a form) -> 400;
    NotFoundError keeps the app's own 404 handler.
    """
    app.state.settings = settings
    app.state.login_form_key = new_key(settings.login_form_key)
    app.add_exception_handler(AuthenticationError, _status(401))
    app.add_exception_handler(PermissionDeniedError, _status(403))
    app.add_exception_handler(ConflictError, _status(409))
    app.add_exception_handler(EnvledgerError, _status(400))
    app.include_router(router)
    app.include_router(admin_users.router)
