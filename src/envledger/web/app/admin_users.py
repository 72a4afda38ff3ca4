"""User administration for admins: a page with its forms, and its JSON twin.

Every form posts to a route that changes one thing through services.access.accounts or
services.access.api_tokens (audited there, with the admin as actor) and redirects back.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from envledger.services.access.accounts import (
    add_user,
    list_users,
    parse_role,
    set_active,
    set_role,
)
from envledger.services.access.api_tokens import issue_token, list_tokens, revoke_token
from envledger.services.access.roles import ASSIGNABLE_ROLES, TOKEN_SCOPES, Permission, Principal
from envledger.web.app.forms import render
from envledger.web.app.params import RowId
from envledger.web.shared.auth import app_settings, require

router = APIRouter(tags=["administration"])
Admin = Annotated[Principal, Depends(require(Permission.manage_users))]
USERS_PAGE = "/admin/users"


def _codes(text: str) -> list[str]:
    """Facility codes typed as "A, B C" -> ["A", "B", "C"]."""
    return [code for code in text.replace(",", " ").split() if code]


def _back() -> RedirectResponse:
    return RedirectResponse(USERS_PAGE, status_code=303)


@router.get(USERS_PAGE, include_in_schema=False)
def users_page(request: Request, principal: Admin) -> Response:
    """Users, their roles and tokens, with the forms that change them."""
    url = app_settings(request).database_url
    return render(request, "admin_users.html", users=list_users(url), tokens=list_tokens(url),
                  roles=ASSIGNABLE_ROLES, scopes=list(TOKEN_SCOPES), issued=None)


@router.get("/api/v1/admin/users")
def users_document(request: Request, principal: Admin) -> dict[str, object]:
    """Every user (no secrets) and every API token (no secrets): the page's JSON twin."""
    url = app_settings(request).database_url
    return {
        "users": [user.as_dict() for user in list_users(url)],
        "tokens": [{
            "id": t.id, "username": t.username, "name": t.name, "scopes": list(t.scopes),
            "created_at": t.created_at.isoformat(),
            "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            "expires_at": t.expires_at.isoformat() if t.expires_at else None,
            "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
        } for t in list_tokens(url)],
    }


@router.post(USERS_PAGE, include_in_schema=False)
async def create_user(
    request: Request, principal: Admin, username: Annotated[str, Form()],
    password: Annotated[str, Form()], role: Annotated[str, Form()],
    facilities: Annotated[str, Form()] = "", display_name: Annotated[str, Form()] = "",
) -> Response:
    """Add a user (the password is hashed with Argon2 before it is stored)."""
    await run_in_threadpool(
        add_user, app_settings(request).database_url, username, password, parse_role(role),
        _codes(facilities), display_name, principal.actor,
    )
    return _back()


@router.post(USERS_PAGE + "/{username}/role", include_in_schema=False)
def change_role(
    request: Request, principal: Admin, username: str, role: Annotated[str, Form()],
    facilities: Annotated[str, Form()] = "",
) -> Response:
    """Give a user another role (and, for a facility owner, facility scope)."""
    set_role(app_settings(request).database_url, username, parse_role(role),
             _codes(facilities), principal.actor)
    return _back()


@router.post(USERS_PAGE + "/{username}/disable", include_in_schema=False)
def disable_user(request: Request, principal: Admin, username: str) -> Response:
    """Disable a user: their sessions and tokens stop working at once."""
    set_active(app_settings(request).database_url, username, False, principal.actor)
    return _back()


@router.post(USERS_PAGE + "/{username}/enable", include_in_schema=False)
def enable_user(request: Request, principal: Admin, username: str) -> Response:
    """Enable a disabled user again (and lift a lock)."""
    set_active(app_settings(request).database_url, username, True, principal.actor)
    return _back()


@router.post(USERS_PAGE + "/{username}/tokens", include_in_schema=False)
def create_token(
    request: Request, principal: Admin, username: str, name: Annotated[str, Form()],
    scopes: Annotated[list[str], Form()], days: Annotated[int | None, Form()] = None,
) -> Response:
    """Issue an API token for a user; the page shows it once."""
    url = app_settings(request).database_url
    issued = issue_token(url, username, name, scopes, days, principal.actor)
    return render(request, "admin_users.html", users=list_users(url), tokens=list_tokens(url),
                  roles=ASSIGNABLE_ROLES, scopes=list(TOKEN_SCOPES), issued=issued)


@router.post("/admin/tokens/{token_id}/revoke", include_in_schema=False)
def revoke(request: Request, principal: Admin, token_id: RowId) -> Response:
    """Revoke an API token."""
    revoke_token(app_settings(request).database_url, token_id, principal.actor)
    return _back()
