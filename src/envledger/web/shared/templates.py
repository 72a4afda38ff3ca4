"""The one Jinja2 environment of the package's HTML templates (site and signed-in pages)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape


@cache
def templates() -> Environment:
    """Templates from ``envledger/web/templates``, HTML autoescaped.

    ``auto_reload`` is off: the templates ship inside the package and never change while
    the server runs, so re-checking their files on every render is wasted work.
    """
    return Environment(
        loader=PackageLoader("envledger.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
