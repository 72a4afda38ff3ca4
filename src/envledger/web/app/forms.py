"""Rendering the signed-in pages (login, administration, workflow) from templates.

Every page gets ``principal`` (who is looking) and ``csrf_token`` (the session's token,
for the hidden field of each form) in its context.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from envledger.services.access.roles import PUBLIC


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("envledger.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(request: Request, template: str, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    """An HTML response of ``template`` with the caller and the CSRF token in context."""
    browser = getattr(request.state, "browser_session", None)
    context.setdefault("principal", browser.principal if browser else PUBLIC)
    context.setdefault("csrf_token", browser.csrf_token if browser else "")
    html = _environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)
