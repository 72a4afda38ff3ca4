"""The API documentation pages, /docs (Swagger UI) and /redoc, from vendored assets.

FastAPI's own pages load Swagger UI and ReDoc from a CDN; these load the copies under
``envledger/web/apidocs`` (see its VERSIONS.txt), so the documentation works on a
machine without internet and under a Content-Security-Policy that names no other host.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse

ASSETS = "/apidocs"
"""Where the vendored Swagger UI and ReDoc files are served."""
TITLE = "envledger API"
OPENAPI_URL = "/openapi.json"

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    """Swagger UI over the OpenAPI schema (try the API in the browser)."""
    return get_swagger_ui_html(
        openapi_url=OPENAPI_URL, title=TITLE,
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS}/favicon.png",
        oauth2_redirect_url="/docs/oauth2-redirect",
        # No badge from validator.swagger.io: the page talks to this server only.
        swagger_ui_parameters={"validatorUrl": None},
    )


@router.get("/docs/oauth2-redirect")
def swagger_ui_redirect() -> HTMLResponse:
    """The OAuth2 redirect page Swagger UI expects."""
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
def redoc() -> HTMLResponse:
    """ReDoc: the OpenAPI schema as a reference document."""
    return get_redoc_html(
        openapi_url=OPENAPI_URL, title=TITLE,
        redoc_js_url=f"{ASSETS}/redoc.standalone.js",
        redoc_favicon_url=f"{ASSETS}/favicon.png", with_google_fonts=False,
    )
