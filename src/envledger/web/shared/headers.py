"""Security headers on every response, no caching of signed-in responses, HEAD as GET.

An ASGI middleware (not Starlette's BaseHTTPMiddleware, so streamed downloads stay
streamed). The pages load scripts and styles only from /static (no inline script or
style: the page's data travels in a ``<script type="application/json">`` block, which a
browser never runs); Vega draws charts with its AST interpreter, so no ``unsafe-eval``.
The API documentation pages (/docs, /redoc) load the vendored Swagger UI and ReDoc from
/apidocs with an inline start-up script: their policy allows that script by its SHA-256
hash, inline styles (both libraries set styles at run time) and ReDoc's blob: worker.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from envledger.web.shared.auth import SESSION_COOKIE

#: the page's policy; a <meta> policy (static build) cannot carry frame-ancestors
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'"
)
CONTENT_SECURITY_POLICY = PAGE_POLICY + "; frame-ancestors 'none'"
DOCS_POLICY = (
    "default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def script_hashes(html: bytes) -> str:
    """CSP sources (``'sha256-...'``) allowing exactly the inline scripts of ``html``."""
    return " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    )


def _signed_in(scope: Scope) -> bool:
    """The request carries a session cookie or a bearer token."""
    for name, value in scope["headers"]:
        if name == b"authorization" or (
            name == b"cookie" and SESSION_COOKIE.encode() + b"=" in value
        ):
            return True
    return False


def _add_headers(start: Message, signed_in: bool) -> MutableHeaders:
    """Put :data:`SECURITY_HEADERS` (and no-store when it applies) on a response start."""
    headers = MutableHeaders(scope=start)
    for name, value in SECURITY_HEADERS.items():
        headers[name] = value
    if signed_in or "set-cookie" in headers:
        headers["Cache-Control"] = "no-store"
    return headers


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` and a Content-Security-Policy to every HTTP response;
    ``Cache-Control: no-store`` when the caller is signed in or is given a cookie; answers
    HEAD like GET without the body (FastAPI routes answer HEAD with 405 otherwise)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        signed_in = _signed_in(scope)
        docs = scope["path"] in DOCS_PATHS
        if docs:  # hashing needs the plain HTML, so these small pages go uncompressed
            scope = {**scope, "headers": [
                (name, value) for name, value in scope["headers"] if name != b"accept-encoding"
            ]}
        held: list[Message] = []  # a docs page's start, until its body is complete
        body = bytearray()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = _add_headers(message, signed_in)
                if docs:  # its policy names the page's inline scripts: wait for the body
                    held.append(message)
                    return
                headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
            elif message["type"] == "http.response.body":
                if held:
                    body.extend(message.get("body", b""))
                    if message.get("more_body", False):
                        return
                    start = held.pop()
                    MutableHeaders(scope=start)["Content-Security-Policy"] = DOCS_POLICY.format(
                        hashes=script_hashes(bytes(body)))
                    await send(start)
                    message = {"type": "http.response.body", "body": bytes(body)}
                if head:
                    message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_with_headers)
