"""The site model: layout from template and payloads, optional rows, groups, notes, lists."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from envledger.disclosure import SiteData, load_template
from envledger.disclosure.figures import change_pct
from envledger.disclosure.footnotes import NOTE_KEYS, build_footnotes
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
        company=None,
        title={"en": "Disclosure"},
        intro=None,
        payloads=payloads,
        footnotes={y: build_footnotes(p, facts) for y, p in payloads.items()},
        blocks=resolve_layout(parsed, payloads),
    )


def _payloads(demo: DemoLedger) -> dict[int, Any]:
    return copy.deepcopy(dict(demo.site.payloads))


def test_market_based_row_appears_only_for_payloads_that_carry_it(demo: DemoLedger) -> None:
    assert demo.site.section("ghg").metrics[-1] == "scope2_market"
    payloads = _payloads(demo)
    for payload in payloads.values():
        del payload["company"]["emissions"]["scope2_market"]
    assert "scope2_market" not in _site(demo, payloads).section("ghg").metrics
    payloads[2023]["company"]["emissions"]["scope2_market"] = {"value": 1234.5, "unit": "tCO2e"}
    site = _site(demo, payloads)
    figures = {f.metric: f for f in site.figures(site.section("ghg"), 2023)}
    assert figures["scope2_market"].value == 1234.5
    assert {f.metric: f for f in site.figures(site.section("ghg"), 2022)}[
        "scope2_market"].value is None


def test_unlisted_groups_get_their_own_section_and_missing_ones_are_skipped(
    demo: DemoLedger,
) -> None:
    template = {"sections": [{"kind": "intensity", "groups": [
        {"name": "The smart factory", "indicators": ["ghg_per_capita"]},
        {"name": "Moon base"},
    ]}]}
    site = _site(demo, _payloads(demo), template)
    sections = {s.group: s for s in site.sections}
    assert list(sections) == [
        "The smart factory",
        "Office areas in mainland China",
        "Self-operated retail stores in mainland China",
    ]
    assert sections["The smart factory"].metrics == ("ghg_per_capita",)
    assert len(sections["Office areas in mainland China"].metrics) == 7
    offices = sections["Office areas in mainland China"]
    assert offices.id == "intensity-office-areas-in-mainland-china"


def test_notes_cover_every_key_with_stable_numbers(demo: DemoLedger) -> None:
    for year in demo.site.years:
        notes = demo.site.notes(year)
        assert [n.key for n in notes] == list(NOTE_KEYS)
        assert [n.number for n in notes] == list(range(1, len(NOTE_KEYS) + 1))
    boundary = demo.site.notes(2023)[0].text
    assert "offices (20)" in boundary["en"] and "retail stores (14)" in boundary["en"]
    assert "China, India, Singapore" in boundary["en"]
    assert "办公区（20个）" in boundary["zh-CN"]
    sources = demo.site.notes(2023)[1].text["en"]
    assert "purchased electricity" in sources and "refrigeration" in sources


def test_change_pct() -> None:
    assert change_pct(110.0, 100.0) == pytest.approx(10.0)
    assert change_pct(90.0, -100.0) == pytest.approx(190.0)
    assert change_pct(1.0, 0.0) is None
    assert change_pct(None, 1.0) is None


def test_targets_from_the_payload_are_listed(demo: DemoLedger) -> None:
    payloads = _payloads(demo)
    payloads[2023]["targets"] = [{
        "name": {"en": "Cut GHG per capita", "zh-CN": "降低人均温室气体排放"},
        "base_year": 2020, "target_year": 2030,
        "reduction": {"value": 30.0, "unit": "%"},
    }]
    site = _site(demo, payloads)
    assert site.listed("targets")[0]["target_year"] == 2030
    html = render_page(site, "zh-CN", {}, SERVER_LINKS)
    assert "降低人均温室气体排放" in html and "30.00 %" in html
    assert "尚未设定环境目标" not in html


def test_targets_and_measures_of_the_latest_year_are_listed(demo: DemoLedger) -> None:
    html = render_page(demo.site, "en", {}, SERVER_LINKS)
    latest = demo.site.payload(2023)
    assert latest["targets"] and latest["measures"]
    for item in (*latest["targets"], *latest["measures"]):
        assert item["name"] in html


def test_empty_lists_say_none_or_hide(demo: DemoLedger) -> None:
    payloads = _payloads(demo)
    for payload in payloads.values():
        payload["targets"], payload["measures"] = [], []
    html = render_page(_site(demo, payloads), "en", {}, SERVER_LINKS)
    assert "No environmental targets have been set." in html
    assert 'id="measures"' not in html  # the default template hides empty measures


def test_an_empty_ledger_renders_a_page(demo: DemoLedger) -> None:
    site = _site(demo, {})
    assert site.sections == [] and site.latest is None
    html = render_page(site, "en", {"ghg": "2023"}, SERVER_LINKS)
    assert "holds no reporting year yet" in html
