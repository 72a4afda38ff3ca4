"""The static site: same page and documents as the server, every relative link resolves."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from envledger.web.site.static_site import write_site
from tests.support.web import DemoLedger, demo_ledger


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoLedger:
    return demo_ledger(tmp_path_factory)


@pytest.fixture(scope="module")
def built(demo: DemoLedger, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    write_site(demo.site, out)
    return out


def _json(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def test_documents_equal_the_api(demo: DemoLedger, built: Path) -> None:
    client = TestClient(demo.app)
    api = built / "api" / "v1"
    assert _json(api / "years.json") == client.get("/api/v1/years").json()
    assert _json(api / "targets.json") == client.get("/api/v1/targets").json()
    assert _json(api / "groups.json") == client.get("/api/v1/groups").json()
    assert _json(api / "inventory" / "2021.json") == client.get("/api/v1/inventory/2021").json()
    assert _json(api / "sections" / "water" / "2020.json") == client.get(
        "/api/v1/sections/water?year=2020").json()
    assert _json(api / "footnotes" / "2022.json") == client.get(
        "/api/v1/footnotes?year=2022").json()
    assert _json(api / "groups" / "kpi-factory" / "intensities" / "2023.json") == client.get(
        "/api/v1/groups/The smart factory/intensities?year=2023").json()
    assert (api / "sections" / "ghg.csv").read_text(encoding="utf-8") == client.get(
        "/api/v1/sections/ghg.csv").text
    assert (api / "sections" / "kpi-retail" / "2021.csv").read_text(encoding="utf-8") == (
        client.get("/api/v1/sections/kpi-retail.csv?year=2021").text
    )


def test_pages_in_both_languages(demo: DemoLedger, built: Path) -> None:
    english = (built / "index.html").read_text(encoding="utf-8")
    chinese = (built / "zh-CN" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and '<html lang="zh-CN">' in chinese
    assert demo.organization in english
    assert 'id="envledger-data"' in english  # every year's figures: no fetch needed
    assert 'href="zh-CN/index.html"' in english and 'href="../index.html"' in chinese
    assert "/api/" not in english.split('id="envledger-data"')[0]  # no absolute links


@pytest.mark.parametrize("page", ["index.html", "zh-CN/index.html"])
def test_every_relative_link_resolves(built: Path, page: str) -> None:
    html = (built / page).read_text(encoding="utf-8")
    targets = re.findall(r'(?:href|src)="([^"#][^"]*)"', html)
    assert len(targets) > 20
    for target in targets:
        if target.startswith(("data:", "http:", "https:")):
            continue
        path = (built / page).parent / target.split("?")[0]
        assert path.is_file(), target


def test_vendored_scripts_and_licenses(built: Path) -> None:
    vendor = built / "static" / "vendor"
    for name in ("vega", "vega-lite", "vega-embed"):
        assert (vendor / f"{name}.min.js").stat().st_size > 10_000
        assert "Copyright" in (vendor / f"{name}.LICENSE").read_text(encoding="utf-8")


def test_page_weight_without_vendor_scripts_is_small(built: Path) -> None:
    own = [built / "index.html", built / "static" / "site.css", built / "static" / "site.js"]
    assert sum(p.stat().st_size for p in own) < 120_000
