"""Browser tests: Debian's chromium driven by Playwright, a live server and a built site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from envledger.web.site.static_site import write_site
from tests.support.web import ROOT, DemoLedger, demo_ledger
from tests.support.web import live_server as serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
OUTPUT = ROOT / "test-output"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Debian's chromium (/usr/bin/chromium)")


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoLedger:
    return demo_ledger(tmp_path_factory)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless chromium; the tests skip only when /usr/bin/chromium is absent."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def live_server(demo: DemoLedger) -> Iterator[str]:
    """The demo's disclosure app served by uvicorn on a free loopback port."""
    with serve(demo.app) as url:
        yield url


@pytest.fixture(scope="session")
def static_site(demo: DemoLedger, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's static site, built into a temporary directory."""
    out = tmp_path_factory.mktemp("static-site")
    write_site(demo.site, out)
    return out


@pytest.fixture(scope="session")
def output() -> Path:
    """Where screenshots go (test-output/, ignored by git)."""
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT
