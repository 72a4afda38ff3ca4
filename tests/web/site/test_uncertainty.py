"""The figures tables show each figure's ± 95 % uncertainty (switchable in the template),
and a note names the share of each headline figure that rests on estimated data."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from envledger.disclosure import SiteData, load_template
from envledger.disclosure.footnotes import build_footnotes
from envledger.disclosure.layout import resolve_layout
from envledger.disclosure.template import parse_template
from envledger.services.publication.site_data import read_ledger
from envledger.web.site.page import SERVER_LINKS, render_page
from tests.support.web import DemoLedger, demo_ledger


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoLedger:
    return demo_ledger(tmp_path_factory)


def _site(demo: DemoLedger, payloads: dict[int, Any], template: dict | None = None) -> SiteData:
    parsed = parse_template(template, "test") if template else load_template()
    facts = read_ledger(demo.settings).facts
    return SiteData(
        company=None, title={"en": "Disclosure"}, intro=None, payloads=payloads,
        footnotes={y: build_footnotes(p, facts) for y, p in payloads.items()},
        blocks=resolve_layout(parsed, payloads),
    )


def test_each_figure_shows_its_uncertainty(demo: DemoLedger) -> None:
    site = demo.site
    figures = {f.metric: f for f in site.figures(site.section("ghg"), 2023)}
    expected = site.payload(2023)["company"]["emissions"]["total"]["uncertainty"]["value"]
    assert expected is not None and 0 < expected < 100
    assert figures["total"].uncertainty_pct == expected
    html = render_page(site, "en", {"ghg": "2023"}, SERVER_LINKS)
    assert "Uncertainty (95 %)" in html
    assert f"± {expected:,.1f} %" in html
    # market-based Scope 2 has no uncertainty: a dash, not a number
    assert figures["scope2_market"].uncertainty_pct is None


def test_the_template_can_switch_the_column_off(demo: DemoLedger) -> None:
    template = {"sections": [{"kind": "ghg", "uncertainty": False}, {"kind": "energy"}]}
    site = _site(demo, copy.deepcopy(dict(demo.site.payloads)), template)
    assert not site.section("ghg").show_uncertainty and site.section("energy").show_uncertainty
    html = render_page(site, "en", {}, SERVER_LINKS)
    ghg = html[html.index('data-section="ghg"'):html.index('data-section="energy"')]
    assert "± " not in ghg and "Uncertainty (95 %)" not in ghg
    assert "± " in html[html.index('data-section="energy"'):]


def test_the_estimates_note_names_the_estimated_shares(demo: DemoLedger) -> None:
    payloads = copy.deepcopy(dict(demo.site.payloads))
    total = payloads[2023]["company"]["emissions"]["total"]["data_quality"]["estimated"]
    total["value"] = 2.345
    for kind, metric in (("energy", "total"), ("water", "total"), ("waste", "hazardous"),
                         ("waste", "non_hazardous")):
        payloads[2023]["company"][kind][metric]["data_quality"]["estimated"]["value"] = 0.0
    notes = {n.key: n.text for n in _site(demo, payloads).notes(2023)}
    assert notes["estimates"]["en"].startswith(
        "Estimated activity data in 2023: 2.3 % of Total GHG emissions rest on")
    assert "温室气体排放总量的2.3 %" in notes["estimates"]["zh-CN"]
    total["value"] = 0.0
    notes = {n.key: n.text for n in _site(demo, payloads).notes(2023)}
    assert notes["estimates"]["en"].startswith(
        "No figure of 2023 rests on estimated activity data.")


def test_the_api_serves_the_mix_and_the_uncertainty(demo: DemoLedger) -> None:
    client = TestClient(demo.app)
    company = client.get("/api/v1/inventory/2023").json()["company"]
    total = company["emissions"]["total"]
    shares = [total["data_quality"][s]["value"] for s in
              ("measured", "invoice", "estimated", "unstated")]
    assert sum(shares) == pytest.approx(100.0)
    assert total["uncertainty"]["unit"] == "%" and total["uncertainty"]["value"] > 0
    rows = client.get("/api/v1/sections/ghg", params={"year": 2023}).json()["figures"]
    first = next(r for r in rows if r["metric"] == "total")
    assert first["uncertainty"] == total["uncertainty"]
