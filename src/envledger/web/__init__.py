"""The disclosure site: FastAPI app (page + JSON API), static build and server."""

from envledger.web.main import create_app, serve
from envledger.web.site.static_site import build_site

__all__ = ["build_site", "create_app", "serve"]
