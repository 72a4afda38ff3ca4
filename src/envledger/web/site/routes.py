"""The disclosure page at ``/``: one language, one selected year per section."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from envledger.disclosure import LANGUAGES
from envledger.web.site.page import SERVER_LINKS, render_page

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def page(request: Request) -> HTMLResponse:
    """The disclosure page; ``?lang=zh-CN`` and ``?<section>=<year>`` choose what shows."""
    lang = request.query_params.get("lang", "en")
    language = lang if lang in LANGUAGES else "en"
    site = request.app.state.site
    return HTMLResponse(render_page(site, language, dict(request.query_params), SERVER_LINKS))
