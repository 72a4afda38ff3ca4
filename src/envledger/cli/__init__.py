"""The `envledger` command line: parse, call a service, render. No methodology here.

``main`` assembles the app from one module per command group; the groups share only
``_common`` (consoles, errors, output formats) and ``render`` (terminal tables).
"""

from envledger.cli.main import app

__all__ = ["app"]
