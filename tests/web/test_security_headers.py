"""Security headers on every response, no-store when signed in, HEAD like GET, no banner.

Every GET route of the OpenAPI schema (path parameters filled from the small company)
plus every HTML page, asked anonymously and as the administrator: whatever the status
(200, 303, 401, 404), the response carries the policy headers; signed-in responses are
``no-store``; HEAD answers GET's status with no body. The pages hold no inline script,
style or event handler, so the strict Content-Security-Policy costs them nothing. A live
``envledger.web.serve`` sends no ``server`` header.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from envledger.web.shared.headers import (
    CONTENT_SECURITY_POLICY,
    PAGE_POLICY,
    SECURITY_HEADERS,
    script_hashes,
)
from envledger.web.site.static_site import write_site
from tests.support.access import SignedInApp, signed_in_app

PAGES = ["/", "/?lang=zh-CN", "/login", "/upload", "/submissions", "/submissions/2",
         "/facilities", "/facilities/CD-OF?year=2022", "/audit", "/admin/users"]
OTHERS = ["/docs", "/redoc", "/openapi.json", "/static/site.css", "/static/site.js",
          "/apidocs/swagger-ui-bundle.js", "/apidocs/redoc.standalone.js",
          "/no/such/page", "/api/v1/no-such-route"]
PARAMETERS = {"year": "2022", "section": "ghg", "code": "CD-OF", "batch_id": "2",
              "name": "no-such-group"}
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style\b|\sstyle="
    r"|\son[a-z]+=", re.IGNORECASE)


@pytest.fixture(scope="module", params=["sqlite"])
def signed_in(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignedInApp]:
    yield from signed_in_app(request, tmp_path_factory)


def _api_paths(client: TestClient) -> list[str]:
    """Every GET route of the OpenAPI schema, with its path parameters filled in."""
    schema = client.get("/openapi.json").json()
    paths = [
        re.sub(r"\{(\w+)\}", lambda m: PARAMETERS[m.group(1)], path)
        for path, methods in schema["paths"].items() if "get" in methods
    ]
    assert len(paths) >= 15
    return paths


@pytest.fixture(scope="module")
def paths(signed_in: SignedInApp) -> list[str]:
    return PAGES + OTHERS + _api_paths(signed_in.client())


def _check_headers(response: httpx.Response, path: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (path, name)
    csp = response.headers["content-security-policy"]
    if path in ("/docs", "/redoc"):
        assert "frame-ancestors 'none'" in csp and "'unsafe-eval'" not in csp, path
        # Swagger UI's inline start-up script is allowed by its hash, and only it
        assert f"{script_hashes(response.content)};" in csp, path
    else:
        assert csp == CONTENT_SECURITY_POLICY, path


def test_every_response_carries_the_security_headers(
    signed_in: SignedInApp, paths: list[str]
) -> None:
    anonymous, admin = signed_in.client(), signed_in.sign_in("admin")
    statuses = set()
    for client in (anonymous, admin):
        for path in paths:
            response = client.get(path, headers={"accept": "text/html"})
            statuses.add(response.status_code)
            _check_headers(response, path)
            assert "server" not in response.headers
    assert {200, 303, 404} <= statuses
    # a bearer-less API call by the public: 401 carries the headers too
    response = anonymous.get("/api/v1/ledger/facilities")
    assert response.status_code == 401
    _check_headers(response, "/api/v1/ledger/facilities")


def test_signed_in_responses_are_never_stored(signed_in: SignedInApp, paths: list[str]) -> None:
    admin = signed_in.sign_in("admin")
    for path in paths:
        response = admin.get(path)
        assert response.headers.get("cache-control") == "no-store", path
    token_call = signed_in.client().get(
        "/api/v1/me", headers={"authorization": "Bearer not-a-token"})
    assert token_call.status_code == 401
    assert token_call.headers.get("cache-control") == "no-store"
    # the login form hands out a session cookie: not for a shared cache either
    assert signed_in.client().get("/login").headers.get("cache-control") == "no-store"
    # the public page, asked without credentials, may be cached
    assert "no-store" not in signed_in.client().get("/").headers.get("cache-control", "")


def test_head_answers_like_get_without_a_body(signed_in: SignedInApp, paths: list[str]) -> None:
    for client in (signed_in.client(), signed_in.sign_in("admin")):
        for path in paths:
            got = client.get(path, headers={"accept": "text/html"})
            head = client.head(path, headers={"accept": "text/html"})
            assert head.status_code == got.status_code != 405, path
            assert head.content == b"", path
            _check_headers(head, path)


def test_the_pages_hold_no_inline_script_style_or_handler(signed_in: SignedInApp) -> None:
    admin = signed_in.sign_in("admin")
    for path in PAGES:
        response = admin.get(path)
        assert response.status_code == 200, path
        assert INLINE.findall(response.text) == [], path
    assert INLINE.findall(signed_in.client().get("/login").text) == []


def test_the_static_site_carries_its_policy_in_a_meta_tag(
    signed_in: SignedInApp, tmp_path: Path
) -> None:
    write_site(signed_in.app.state.site, tmp_path)
    for page in ("index.html", "zh-CN/index.html"):
        html = (tmp_path / page).read_text(encoding="utf-8").replace("&#39;", "'")
        assert f'<meta http-equiv="Content-Security-Policy" content="{PAGE_POLICY}">' in html
        assert INLINE.findall(html) == [], page


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_live_server_sends_no_server_banner(signed_in: SignedInApp) -> None:
    port = _free_port()
    code = (
        "import sys; from envledger.settings import Settings; from envledger.web import serve;"
        "serve(Settings(database_url=sys.argv[1]), port=int(sys.argv[2]))"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", code, signed_in.settings.database_url, str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/v1/years", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not start in 60 s"
                time.sleep(0.1)
        assert response.status_code == 200
        assert "server" not in response.headers
        assert response.headers["x-content-type-options"] == "nosniff"
        head = httpx.head(f"http://127.0.0.1:{port}/", timeout=5)
        assert head.status_code == 200 and head.content == b""
        assert "server" not in head.headers
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize(("path", "assets"), [
    ("/docs", ["/apidocs/swagger-ui-bundle.js", "/apidocs/swagger-ui.css"]),
    ("/redoc", ["/apidocs/redoc.standalone.js"]),
])
def test_the_api_documentation_needs_no_other_host(
    signed_in: SignedInApp, path: str, assets: list[str]
) -> None:
    """Swagger UI and ReDoc are vendored: the pages and their policy name no other host."""
    client = signed_in.client()
    page = client.get(path)
    assert page.status_code == 200
    assert "https://" not in page.text and "http://" not in page.text
    assert "https:" not in page.headers["content-security-policy"]
    for asset in assets:
        assert f'"{asset}"' in page.text
        served = client.get(asset)
        assert served.status_code == 200 and len(served.content) > 100_000, asset
