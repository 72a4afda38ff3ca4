"""CLI: user accounts (`users ...`) and API tokens (`tokens ...`)."""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated

import typer
from rich.table import Table

from envledger.cli._common import Format, FormatOption, console, ready, user_errors
from envledger.services.access.accounts import (
    add_user,
    list_users,
    parse_role,
    set_active,
    set_role,
)
from envledger.services.access.api_tokens import issue_token, list_tokens, revoke_token
from envledger.services.access.roles import ASSIGNABLE_ROLES, TOKEN_SCOPES

PASSWORD_VARIABLE = "ENVLEDGER_NEW_PASSWORD"



RoleOption = Annotated[str, typer.Option(help=f"One of {', '.join(ASSIGNABLE_ROLES)}.")]
FacilityOption = Annotated[list[str] | None, typer.Option(
    "--facility", help="A facility code a facility_owner may work on (repeat for more).")]


def _new_password() -> str:
    password = os.environ.get(PASSWORD_VARIABLE)
    if password:
        return password
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def register(app: typer.Typer) -> None:
    """Add `user add|list|set-role|disable|enable` and `token create|list|revoke`."""

    users_app = typer.Typer(help="User accounts and their roles.")
    tokens_app = typer.Typer(help="API tokens for scripts (Authorization: Bearer).")
    app.add_typer(users_app, name="user")
    app.add_typer(tokens_app, name="token")

    @users_app.command("add")
    def users_add(
        username: str, role: RoleOption, facility: FacilityOption = None,
        name: Annotated[str, typer.Option(help="Display name (the username if empty).")] = "",
    ) -> None:
        """Add a user; the password is prompted for or read from ENVLEDGER_NEW_PASSWORD."""
        with user_errors():
            settings = ready()
            chosen = parse_role(role)
            user = add_user(settings.database_url, username, _new_password(), chosen,
                            facility or [], name)
        scope = f" for {', '.join(user.facilities)}" if user.facilities else ""
        console.print(f"Added {user.username} as {user.role}{scope}.", highlight=False)

    @users_app.command("list")
    def users_list(format: FormatOption = Format.table) -> None:
        """List the users, their roles, facility scope and state."""
        with user_errors():
            users = list_users(ready().database_url)
        if format is Format.json:
            sys.stdout.write(json.dumps([u.as_dict() for u in users], indent=2) + "\n")
            return
        table = Table("User", "Name", "Role", "Facilities", "State")
        for user in users:
            state = "active" if user.active else "disabled"
            if user.locked_until is not None:
                state += f", locked until {user.locked_until:%Y-%m-%d %H:%M} UTC"
            table.add_row(user.username, user.display_name, user.role,
                          ", ".join(user.facilities), state)
        console.print(table)

    @users_app.command("set-role")
    def users_set_role(username: str, role: RoleOption, facility: FacilityOption = None) -> None:
        """Change a user's role (and a facility owner's facilities)."""
        with user_errors():
            settings = ready()
            user = set_role(settings.database_url, username, parse_role(role), facility or [])
        console.print(f"{user.username} is now {user.role}.", highlight=False)

    @users_app.command("disable")
    def users_disable(username: str) -> None:
        """Disable a user: sign-in, sessions and tokens stop working."""
        with user_errors():
            set_active(ready().database_url, username, False)
        console.print(f"Disabled {username}.", highlight=False)

    @users_app.command("enable")
    def users_enable(username: str) -> None:
        """Enable a disabled user again (also lifts a sign-in lock)."""
        with user_errors():
            set_active(ready().database_url, username, True)
        console.print(f"Enabled {username}.", highlight=False)

    @tokens_app.command("create")
    def token_create(
        username: str,
        name: Annotated[str, typer.Option(help="What the token is for.")],
        scope: Annotated[list[str], typer.Option(
            help=f"Scope (repeat for more): {', '.join(TOKEN_SCOPES)}.")],
        days: Annotated[int | None, typer.Option(
            help="Expire after this many days (never when omitted).")] = None,
    ) -> None:
        """Issue an API token and print it once (only its hash is kept)."""
        with user_errors():
            issued = issue_token(ready().database_url, username, name, scope, days)
        console.print(f"Token {issued.id} '{issued.name}' for {issued.username}"
                      f" ({', '.join(issued.scopes)}). Store it now: it is never shown again.",
                      highlight=False)
        sys.stdout.write(issued.secret + "\n")

    @tokens_app.command("list")
    def tokens_list(format: FormatOption = Format.table) -> None:
        """List API tokens (never their secrets)."""
        with user_errors():
            tokens = list_tokens(ready().database_url)
        if format is Format.json:
            sys.stdout.write(json.dumps([{
                "id": t.id, "username": t.username, "name": t.name, "scopes": list(t.scopes),
                "revoked": t.revoked_at is not None,
            } for t in tokens], indent=2) + "\n")
            return
        table = Table("Id", "User", "Name", "Scopes", "Last used", "Expires", "State")
        for t in tokens:
            table.add_row(str(t.id), t.username, t.name, ", ".join(t.scopes),
                          f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "",
                          f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "never",
                          "revoked" if t.revoked_at else "active")
        console.print(table)

    @tokens_app.command("revoke")
    def tokens_revoke(token_id: Annotated[int, typer.Argument(metavar="ID")]) -> None:
        """Revoke an API token: it stops working at once."""
        with user_errors():
            revoke_token(ready().database_url, token_id)
        console.print(f"Revoked token {token_id}.", highlight=False)
