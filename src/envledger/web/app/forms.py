"""Rendering the signed-in pages (login, administration, workflow) from templates.

Every page gets ``principal`` (who is looking) and ``csrf_token`` (the session's token,
for the hidden field of each form) in its context.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from envledger.services.access.roles import PUBLIC
from envledger.web.shared.templates import templates


def render(request: Request, template: str, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    """An HTML response of ``template`` with the caller and the CSRF token in context."""
    browser = getattr(request.state, "browser_session", None)
    context.setdefault("principal", browser.principal if browser else PUBLIC)
    context.setdefault("csrf_token", browser.csrf_token if browser else "")
    html = templates().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)
