"""The web app wired together: public site, JSON API and signed-in workflow app (FastAPI)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import uvicorn
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from envledger import __version__
from envledger.disclosure import load_template
from envledger.errors import LedgerBusyError, NotFoundError
from envledger.io.limits import ReadLimits
from envledger.services.ledger.database import open_ledger
from envledger.services.publication.site_data import build_site_data
from envledger.settings import Settings
from envledger.web.api import disclosure as disclosure_api
from envledger.web.api import docs as api_docs
from envledger.web.api import ledger as ledger_api
from envledger.web.app import check_pages, review_pages
from envledger.web.app.accounts import install_accounts
from envledger.web.shared.body_limit import BodyLimit
from envledger.web.shared.headers import SecurityHeaders
from envledger.web.site import routes as site_routes

DESCRIPTION = (
    "The JSON twin of the environmental disclosure page: every figure with its unit, "
    "unrounded (rounding is for display only). Inventories follow the contract "
    "`envledger.inventory/1`."
)


async def _not_found(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=404)


async def _busy(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=503, headers={"Retry-After": "5"})


async def _http_error(request: Request, error: Exception) -> Response:
    if isinstance(error, HTTPException) and error.status_code == 404:
        detail = f"no page or API route at {request.url.path}; the API is listed at /docs"
        return JSONResponse({"detail": detail}, status_code=404)
    return await http_exception_handler(request, error)  # type: ignore[arg-type]


def create_app(settings: Settings, template_path: Path | None = None) -> FastAPI:
    """The disclosure site of the ledger in ``settings``; every year is computed once, here.

    The site data is cached in ``app.state.site`` (refreshing is a restart for now). A
    database that holds no ledger is refused here (LedgerUnavailableError), not per request.
    """
    open_ledger(settings.database_url)
    # A server checks uploads one after another, each allocating and freeing a few
    # hundred MB of Arrow columns: the C library's allocator gives that memory back
    # where mimalloc (Arrow's default) keeps it for reuse. Measured on a 50 MB upload:
    # 473 MB peak against 534 MB (tests/reliability/test_upload_limits.py).
    pa.set_memory_pool(pa.system_memory_pool())
    site = build_site_data(settings, load_template(template_path))
    app = FastAPI(title="envledger disclosure", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None)
    app.state.site = site
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(LedgerBusyError, _busy)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(BodyLimit, max_file_bytes=ReadLimits.from_settings(settings).max_bytes)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so it sees every response
    app.mount("/static", StaticFiles(packages=[("envledger.web", "static")]), name="static")
    app.mount(api_docs.ASSETS, StaticFiles(packages=[("envledger.web", "apidocs")]),
              name="apidocs")
    app.include_router(api_docs.router)
    app.include_router(site_routes.router)
    app.include_router(disclosure_api.router)
    install_accounts(app, settings)
    app.include_router(ledger_api.router)
    app.include_router(review_pages.router)
    app.include_router(check_pages.router)
    return app


def serve(
    settings: Settings, host: str = "127.0.0.1", port: int = 8000,
    template_path: Path | None = None,
) -> None:
    """Run the disclosure site with uvicorn until interrupted (no ``server`` banner)."""
    uvicorn.run(create_app(settings, template_path), host=host, port=port,
                server_header=False)
