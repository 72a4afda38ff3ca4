"""Every role against every route (tests/support/access_matrix.py), by session and by token.

Allowed combinations answer the row's status; every other one is refused with 401
(anonymous), 403 (role lacks the permission) or 404 (facility outside the scope), and
changes nothing. Tokens carry every scope, so they reach what the role reaches.
The web layer is the same on every backend, so this runs on SQLite; the services'
scope checks run on both backends in tests/services/access/test_accounts.py and
tests/services/workflow/test_scoped_reads.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from envledger.services.access.api_tokens import issue_token
from envledger.services.access.roles import ROLE_PERMISSIONS, TOKEN_SCOPES, Role
from tests.support.access import ROLE_USER, SignedInApp, signed_in_app
from tests.support.access_matrix import PUBLIC, ROUTES, Route

ROLES = [PUBLIC, *ROLE_USER]
DENIED = {401, 403, 404}


@pytest.fixture(scope="module", params=["sqlite"])
def signed_in(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignedInApp]:
    yield from signed_in_app(request, tmp_path_factory)


@pytest.fixture(scope="module")
def sessions(signed_in: SignedInApp) -> dict[str, TestClient]:
    """One client per role: anonymous, or signed in through the login form."""
    clients = {PUBLIC: signed_in.client()}
    clients.update({role: signed_in.sign_in(user) for role, user in ROLE_USER.items()})
    return clients


@pytest.fixture(scope="module")
def tokens(signed_in: SignedInApp) -> dict[str, dict[str, str]]:
    """Bearer headers per role, with every scope the role can use (none for the public)."""
    headers = {PUBLIC: {}}
    for role, user in ROLE_USER.items():
        scopes = [s for s, granted in TOKEN_SCOPES.items()
                  if granted & ROLE_PERMISSIONS[Role(role)]]
        secret = issue_token(signed_in.settings.database_url, user, "matrix", scopes).secret
        headers[role] = {"Authorization": f"Bearer {secret}"}
    return headers


def _call(client: TestClient, route: Route, headers: dict[str, str], csrf: str) -> int:
    if route.method == "GET":
        return client.get(route.path, headers=headers).status_code
    form = dict(route.form)
    if csrf:
        form["csrf_token"] = csrf
    return client.post(route.path, data=form, headers=headers).status_code


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=[route.id for route in ROUTES])
def test_by_session(
    signed_in: SignedInApp, sessions: dict[str, TestClient], route: Route, role: str
) -> None:
    client = sessions[role]
    csrf = signed_in.csrf(client) if role != PUBLIC else ""
    status = _call(client, route, {}, csrf)
    if role in route.allowed:
        assert status == route.ok
    else:
        assert status in DENIED


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", [r for r in ROUTES if r.method == "GET"],
                         ids=[r.id for r in ROUTES if r.method == "GET"])
def test_by_token(
    signed_in: SignedInApp, tokens: dict[str, dict[str, str]], route: Route, role: str
) -> None:
    status = _call(signed_in.client(), route, tokens[role], "")
    if role in route.allowed:
        assert status == route.ok
    else:
        assert status in DENIED
