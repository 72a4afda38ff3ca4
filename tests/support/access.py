"""A signed-in web app over the small company (publication_helpers), one per test module.

Users, one per role (password ``PASSWORD``): ``admin``, ``owner`` (inventory_owner),
``site`` (facility_owner of CD-OF only), ``reviewer``, ``verifier``; ``target`` is a
facility owner of WH-CD that the administration routes act on. 2022 is published, so
its evidence pack exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from envledger.services.access.accounts import add_user
from envledger.services.access.roles import Role
from envledger.services.access.web_sessions import find_session
from envledger.services.publication.publishing import publish
from envledger.settings import Settings
from envledger.web import create_app
from envledger.web.shared.auth import SESSION_COOKIE
from tests.support.publication import module_company

PASSWORD = "correct horse battery"
USERS = {
    "admin": (Role.admin, []), "owner": (Role.inventory_owner, []),
    "site": (Role.facility_owner, ["CD-OF"]), "reviewer": (Role.reviewer, []),
    "verifier": (Role.verifier, []), "target": (Role.facility_owner, ["WH-CD"]),
}
ROLE_USER = {str(role): name for name, (role, _) in USERS.items() if name != "target"}
"""role -> the user who has it."""


@dataclass(frozen=True)
class SignedInApp:
    """The app, its settings, and a way to get a signed-in client per role."""

    settings: Settings
    app: FastAPI

    def client(self) -> TestClient:
        """A fresh anonymous client (no cookies)."""
        return TestClient(self.app, follow_redirects=False)

    def sign_in(self, username: str, password: str = PASSWORD) -> TestClient:
        """A client signed in as ``username`` through the login form."""
        client = self.client()
        response = client.post("/login", data={
            "username": username, "password": password, "csrf_token": self.login_token(client),
        })
        assert response.status_code == 303, response.text
        return client

    def login_token(self, client: TestClient) -> str:
        """GET /login as ``client`` and return its form's CSRF token (signed, not stored)."""
        page = client.get("/login")
        form = page.text[page.text.index('action="/login"'):]  # not the sign-out form's
        found = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert found is not None, page.text
        return found.group(1)

    def csrf(self, client: TestClient) -> str:
        """The CSRF token of ``client``'s session (as its pages' forms carry it)."""
        found = find_session(self.settings.database_url, client.cookies[SESSION_COOKIE])
        assert found is not None
        return found.csrf_token


def signed_in_app(
    request: pytest.FixtureRequest, factory: pytest.TempPathFactory
) -> Iterator[SignedInApp]:
    """The small company with 2022 published, the users above, and its app."""
    for settings in module_company(request, factory):
        publish(settings, 2022)
        for name, (role, facilities) in USERS.items():
            add_user(settings.database_url, name, PASSWORD, role, facilities)
        yield SignedInApp(settings, create_app(settings))
