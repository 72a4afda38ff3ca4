"""Browser sessions: fixation defence, CSRF on every form, cookie flags, sign-out.

The small company's app (access_helpers) on SQLite; the service rules behind it run on
both backends in tests/services/access/test_accounts.py.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from envledger.services.access.accounts import list_users, set_active
from envledger.services.access.api_tokens import issue_token
from envledger.services.access.web_sessions import find_session
from envledger.store.db import get_engine
from envledger.web.shared.auth import SESSION_COOKIE
from tests.support.access import PASSWORD, SignedInApp, signed_in_app


@pytest.fixture(scope="module", params=["sqlite"])
def web(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignedInApp]:
    yield from signed_in_app(request, tmp_path_factory)


def _me(web: SignedInApp, session_id: str) -> str | None:
    client = web.client()
    client.cookies.set(SESSION_COOKIE, session_id)
    return client.get("/api/v1/me").json()["username"]


def _usernames(web: SignedInApp) -> set[str]:
    return {user.username for user in list_users(web.settings.database_url)}


def test_sign_in_issues_a_new_session_id_and_the_planted_one_dies(web: SignedInApp) -> None:
    planted = web.sign_in("verifier").cookies[SESSION_COOKIE]  # a session the attacker knows
    victim = web.client()
    victim.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")  # fixed on the victim
    response = victim.post("/login", data={
        "username": "owner", "password": PASSWORD, "csrf_token": web.login_token(victim),
    })
    assert response.status_code == 303
    issued = victim.cookies[SESSION_COOKIE]
    assert issued != planted
    assert find_session(web.settings.database_url, planted) is None
    assert _me(web, planted) is None  # the planted id is not signed in: public
    assert _me(web, issued) == "owner"


def test_an_unknown_session_cookie_is_ignored_and_replaced(web: SignedInApp) -> None:
    client = web.client()
    client.cookies.set(SESSION_COOKIE, "chosen-by-an-attacker", domain="testserver.local")
    assert client.get("/api/v1/me").json()["role"] == "public"
    client.post("/login", data={"username": "owner", "password": PASSWORD,
                                "csrf_token": web.login_token(client)})
    assert client.cookies[SESSION_COOKIE] != "chosen-by-an-attacker"


def _rows(url: str) -> dict[str, int]:
    with get_engine(url).connect() as connection:
        return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("web_session", "signin_address", "audit_event")}


def test_reading_the_sign_in_form_writes_nothing(web: SignedInApp) -> None:
    url = web.settings.database_url
    before = _rows(url)
    for client in (web.client(), web.client(), web.sign_in("reviewer")):
        page = client.get("/login")
        assert page.status_code == 200 and "envledger_session" not in page.headers.get(
            "set-cookie", "")
    assert _rows(url) == {**before, "web_session": before["web_session"] + 1}  # the sign-in


def test_a_wrong_password_answers_401_and_the_form_can_be_retried(web: SignedInApp) -> None:
    client = web.client()
    csrf = web.login_token(client)
    refused = client.post("/login", data={
        "username": "owner", "password": "not the password", "csrf_token": csrf})
    assert refused.status_code == 401
    assert "wrong username or password" in refused.text
    retried = client.post("/login", data={
        "username": "owner", "password": PASSWORD, "csrf_token": csrf})
    assert retried.status_code == 303
    assert 'envledger_login=""' in retried.headers["set-cookie"]  # the form's nonce is spent


def test_the_login_form_needs_its_own_csrf_token(web: SignedInApp) -> None:
    other = web.client()
    foreign = web.login_token(other)
    client = web.client()
    mine = web.login_token(client)
    form = {"username": "owner", "password": PASSWORD}
    assert client.post("/login", data=form).status_code == 403
    assert client.post("/login", data=form | {"csrf_token": foreign}).status_code == 403
    assert client.post("/login", data=form | {"csrf_token": "x"}).status_code == 403
    issued, _, mac = mine.partition(".")
    forged = f"{int(issued) + 1}.{mac}"  # a later time under the same MAC
    assert client.post("/login", data=form | {"csrf_token": forged}).status_code == 403
    assert web.client().post("/login", data=form | {"csrf_token": mine}).status_code == 403
    # a token older than FORM_MINUTES (60), made with the server's key: expired
    nonce = client.cookies["envledger_login"]
    old = int(time.time()) - 61 * 60
    key = web.app.state.login_form_key
    stale = f"{old}.{hmac.new(key, f'{nonce}.{old}'.encode(), hashlib.sha256).hexdigest()}"
    expired = client.post("/login", data=form | {"csrf_token": stale})
    assert expired.status_code == 403 and "reload /login" in expired.text
    assert client.post("/login", data=form | {"csrf_token": mine}).status_code == 303


def test_every_form_post_needs_the_sessions_csrf_token(web: SignedInApp) -> None:
    admin, other_admin = web.sign_in("admin"), web.sign_in("admin")
    form = {"username": "csrf-victim", "password": "a long enough password",
            "role": "reviewer"}
    assert admin.post("/admin/users", data=form).status_code == 403
    foreign = form | {"csrf_token": web.csrf(other_admin)}
    assert admin.post("/admin/users", data=foreign).status_code == 403
    assert admin.post("/admin/users", data=form | {"csrf_token": ""}).status_code == 403
    assert "csrf-victim" not in _usernames(web)
    assert admin.post("/admin/users", data=form | {"csrf_token": web.csrf(admin)}
                      ).status_code == 303
    assert "csrf-victim" in _usernames(web)
    # the header works too (for pages that post with fetch)
    response = admin.post("/admin/users/csrf-victim/disable",
                          headers={"X-CSRF-Token": web.csrf(admin)})
    assert response.status_code == 303


def test_sign_out_needs_csrf_and_kills_the_session(web: SignedInApp) -> None:
    client = web.sign_in("verifier")
    session_id = client.cookies[SESSION_COOKIE]
    assert client.post("/logout").status_code == 403
    assert _me(web, session_id) == "verifier"
    response = client.post("/logout", data={"csrf_token": web.csrf(client)})
    assert (response.status_code, response.headers["location"]) == (303, "/")
    assert 'envledger_session=""' in response.headers["set-cookie"]
    assert _me(web, session_id) is None


def test_bearer_tokens_need_no_csrf_and_keep_to_their_scopes(web: SignedInApp) -> None:
    url = web.settings.database_url
    full = issue_token(url, "admin", "script", ["read", "admin"]).secret
    read_only = issue_token(url, "admin", "reader", ["read"]).secret
    client = web.client()
    set_active(url, "target", False, actor="admin")  # enabling an enabled user is a 409
    enable = "/admin/users/target/enable"
    assert client.post(enable, headers={"Authorization": f"Bearer {full}"}).status_code == 303
    assert client.post(enable, headers={"Authorization": f"Bearer {read_only}"}
                       ).status_code == 403
    assert client.get("/api/v1/me", headers={"Authorization": "Basic YTpi"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer elt_nope"}
                      ).status_code == 401


def test_cookie_flags(web: SignedInApp) -> None:
    plain = web.client().get("/login").headers["set-cookie"]
    assert "HttpOnly" in plain and "SameSite=lax" in plain and "Secure" not in plain
    https = TestClient(web.app, base_url="https://testserver").get("/login")
    assert "Secure" in https.headers["set-cookie"]
    settings = web.app.state.settings
    web.app.state.settings = settings.model_copy(update={"secure_cookies": True})
    try:
        assert "Secure" in web.client().get("/login").headers["set-cookie"]
    finally:
        web.app.state.settings = settings


@pytest.mark.parametrize(("target", "location"), [
    ("/admin/users", "/admin/users"), ("//evil.example/x", "/"),
    ("https://evil.example/", "/"), ("/\\evil.example", "/"),
])
def test_sign_in_redirects_only_within_the_site(
    web: SignedInApp, target: str, location: str
) -> None:
    client = web.client()
    response = client.post("/login", data={
        "username": "reviewer", "password": PASSWORD, "csrf_token": web.login_token(client),
        "next": target,
    })
    assert response.headers["location"] == location


def test_a_browser_asking_for_a_page_is_sent_to_the_sign_in_form(web: SignedInApp) -> None:
    page = web.client().get("/admin/users?x=1", headers={"Accept": "text/html,*/*"})
    assert (page.status_code, page.headers["location"]) == (
        303, "/login?next=%2Fadmin%2Fusers%3Fx%3D1")
    api = web.client().get("/api/v1/admin/users", headers={"Accept": "text/html,*/*"})
    assert api.status_code == 401  # scripts and the JSON API get the status, not a page


def test_the_admin_page_refuses_to_disable_or_demote_the_last_admin(web: SignedInApp) -> None:
    admin = web.sign_in("admin")
    csrf = {"csrf_token": web.csrf(admin)}
    for path, form in (("/admin/users/admin/disable", csrf),
                       ("/admin/users/admin/role", csrf | {"role": "reviewer"})):
        refused = admin.post(path, data=form)
        assert refused.status_code == 400
        assert "'admin' is the last active admin" in refused.json()["detail"]
    assert _me(web, admin.cookies[SESSION_COOKIE]) == "admin"
    assert any(u.username == "admin" and u.role == "admin" and u.active
               for u in list_users(web.settings.database_url))
