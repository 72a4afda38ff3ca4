"""The demo company, published as `envledger demo` does, in a SQLite ledger for web tests.

Test modules wrap :func:`demo_ledger` in a fixture; every caller in a session gets the
same ledger, site data and app (the demo takes a few seconds to import and compute).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
import yaml
from fastapi import FastAPI

from envledger.demo import DEMO_SEED
from envledger.disclosure import SiteData
from envledger.disclosure.template import DEFAULT_TEMPLATE
from envledger.services.demo.load import load_demo_company
from envledger.services.inventory.calculate import prepare_ledger
from envledger.settings import Settings
from envledger.web import create_app

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "envledger" / "disclosure"


@dataclass(frozen=True)
class DemoLedger:
    """The demo company's ledger, its disclosure template and the app serving it."""

    settings: Settings
    template_path: Path
    organization: str
    app: FastAPI

    @property
    def site(self) -> SiteData:
        """The site data the app computed at startup."""
        return self.app.state.site


_loaded: dict[str, DemoLedger] = {}


def demo_ledger(factory: pytest.TempPathFactory) -> DemoLedger:
    """Generate and import the demo company once, with a template naming the company."""
    key = str(factory.getbasetemp())
    if key not in _loaded:
        folder = factory.mktemp("demo-ledger")
        url = f"sqlite:///{folder / 'ledger.db'}"
        settings = Settings(database_url=url)
        prepare_ledger(url)
        files = load_demo_company(settings, folder / "data", seed=DEMO_SEED).files
        template = yaml.safe_load((TEMPLATES / DEFAULT_TEMPLATE).read_text(encoding="utf-8"))
        template["company"] = files.organization
        template_path = folder / "disclosure.yaml"
        template_path.write_text(yaml.safe_dump(template, allow_unicode=True), encoding="utf-8")
        _loaded[key] = DemoLedger(
            settings=settings,
            template_path=template_path,
            organization=files.organization,
            app=create_app(settings, template_path),
        )
    return _loaded[key]


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port for a browser; yields its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
