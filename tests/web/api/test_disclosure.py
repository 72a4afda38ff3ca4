"""The JSON API and the page, through an in-process client on the demo company's ledger."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from envledger.services.inventory.calculate import calculate, reporting_years
from envledger.services.publication.publishing import published_payload
from envledger.web.shared.documents import number
from tests.support.web import DemoLedger, demo_ledger


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoLedger:
    return demo_ledger(tmp_path_factory)


@pytest.fixture(scope="module")
def client(demo: DemoLedger) -> TestClient:
    return TestClient(demo.app)


def _quantities(node: Any) -> list[dict[str, Any]]:
    """Every object holding a "value" in a JSON document."""
    if isinstance(node, dict):
        found = [node] if "value" in node else []
        return found + [q for v in node.values() for q in _quantities(v)]
    if isinstance(node, list):
        return [q for v in node for q in _quantities(v)]
    return []


def test_years_are_the_ledger_reporting_years(client: TestClient, demo: DemoLedger) -> None:
    body = client.get("/api/v1/years").json()
    years = reporting_years(demo.settings)
    assert body["years"] == years == [2020, 2021, 2022, 2023]
    assert body["latest"] == 2023
    assert body["sections"][:4] == ["ghg", "energy", "water", "waste"]


def _assert_same(got: Any, expected: Any, path: str = "") -> None:
    """Equal documents; floats to 1e-12 (the engine's sums may differ in the last bit)."""
    if isinstance(expected, dict):
        assert set(got) == set(expected), path
        for key in expected:
            _assert_same(got[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(got) == len(expected), path
        for index, (one, two) in enumerate(zip(got, expected, strict=True)):
            _assert_same(one, two, f"{path}[{index}]")
    elif isinstance(expected, float):
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-12), path
    else:
        assert got == expected, path


def test_inventory_is_the_published_snapshot(client: TestClient, demo: DemoLedger) -> None:
    body = client.get("/api/v1/inventory/2022").json()
    assert body == demo.site.payload(2022)
    published = published_payload(demo.settings, 2022)
    assert {k: v for k, v in body.items() if k not in ("targets", "measures")} == published
    assert body["publication"]["version"] == 2  # the demo restated 2022 once
    # The ledger has not changed since the demo's last publication, so a fresh
    # calculation gives the published figures again.
    fresh = json.loads(json.dumps(calculate(demo.settings, 2022).to_dict()))
    _assert_same({k: body[k] for k in fresh}, fresh)


@pytest.mark.parametrize(
    ("section", "paths"),
    [
        ("ghg", {"total": ("emissions", "total"), "scope1": ("emissions", "scope1"),
                 "scope2_location": ("emissions", "scope2_location"),
                 "scope2_market": ("emissions", "scope2_market")}),
        ("energy", {"total": ("energy", "total"), "direct": ("energy", "direct"),
                    "indirect": ("energy", "indirect")}),
        ("water", {"total": ("water", "total"), "running": ("water", "running"),
                   "reclaimed": ("water", "reclaimed")}),
        ("waste", {"non_hazardous": ("waste", "non_hazardous"),
                   "hazardous": ("waste", "hazardous")}),
    ],
)
def test_section_figures_equal_the_payload(
    client: TestClient, demo: DemoLedger, section: str, paths: dict[str, tuple[str, str]]
) -> None:
    for year in (2020, 2023):
        company = demo.site.payload(year)["company"]
        body = client.get(f"/api/v1/sections/{section}", params={"year": year}).json()
        assert body["year"] == year
        figures = {f["metric"]: f for f in body["figures"]}
        # The energy section then lists energy by type (carrier.*, tested below).
        shown = [m for m in figures if not m.startswith("carrier.")]
        assert shown == list(figures)[:len(shown)] == list(paths)
        for metric, (group, key) in paths.items():
            expected = company[group][key]
            assert figures[metric]["value"] == expected["value"]
            assert figures[metric]["unit"] == expected["unit"]
            assert figures[metric]["display"] == number(expected["value"], 2)


def test_energy_section_lists_energy_by_type(client: TestClient, demo: DemoLedger) -> None:
    for year in (2020, 2023):
        by_carrier = demo.site.payload(year)["energy_by_carrier"]["company"]
        body = client.get("/api/v1/sections/energy", params={"year": year}).json()
        figures = {f["metric"]: f for f in body["figures"] if f["metric"].startswith("carrier.")}
        assert {f"carrier.{r['carrier']}" for r in by_carrier} <= set(figures)
        for row in by_carrier:
            figure = figures[f"carrier.{row['carrier']}"]
            assert (figure["value"], figure["unit"]) == (row["energy"]["value"], "MWh")
        # HKEX KPI A2.1: the types add up to the total energy.
        total = demo.site.payload(year)["company"]["energy"]["total"]["value"]
        assert sum(r["energy"]["value"] for r in by_carrier) == pytest.approx(total)


def test_change_vs_previous_year_from_unrounded_values(client: TestClient) -> None:
    now = client.get("/api/v1/sections/ghg", params={"year": 2021}).json()["figures"][0]
    before = client.get("/api/v1/sections/ghg", params={"year": 2020}).json()["figures"][0]
    change = now["change_vs_previous_year"]
    assert change["unit"] == "%"
    assert change["value"] == pytest.approx((now["value"] / before["value"] - 1) * 100)
    first = client.get("/api/v1/sections/ghg", params={"year": 2020}).json()["figures"][0]
    assert first["change_vs_previous_year"]["value"] is None


def test_section_defaults_to_the_latest_year(client: TestClient) -> None:
    assert client.get("/api/v1/sections/energy").json()["year"] == 2023


def test_every_number_has_a_unit(client: TestClient) -> None:
    documents = [
        "/api/v1/inventory/2023", "/api/v1/sections/ghg?year=2021",
        "/api/v1/groups/The smart factory/intensities?year=2022",
        "/api/v1/sections/kpi-retail?year=2020",
    ]
    for address in documents:
        quantities = _quantities(client.get(address).json())
        assert quantities, address
        for quantity in quantities:
            assert isinstance(quantity.get("unit"), str) and quantity["unit"], (address, quantity)


def test_groups_and_their_indicators(client: TestClient) -> None:
    groups = {g["name"]: g for g in client.get("/api/v1/groups").json()["groups"]}
    assert list(groups) == [
        "Office areas in mainland China",
        "The smart factory",
        "Self-operated retail stores in mainland China",
    ]
    assert len(groups["The smart factory"]["indicators"]) == 7
    retail = [i["indicator"] for i in groups["Self-operated retail stores in mainland China"][
        "indicators"]]
    assert retail == ["energy_per_floor_area", "ghg_per_floor_area"]


def test_intensities_equal_the_payload(client: TestClient, demo: DemoLedger) -> None:
    name = "Office areas in mainland China"
    body = client.get(f"/api/v1/groups/{name}/intensities", params={"year": 2021}).json()
    expected = {
        row["indicator"]: row["intensity"]
        for row in demo.site.payload(2021)["intensities"] if row["group"] == name
    }
    assert len(body["intensities"]) == 7
    for row in body["intensities"]:
        assert row["value"] == expected[row["indicator"]]["value"]
        assert row["unit"] == expected[row["indicator"]]["unit"]
        assert row["display"] == number(row["value"], 4)
    assert body["denominators"]["floor_area"]["unit"] == "m2"
    assert body["denominators"]["headcount"]["unit"] == "person"


def test_footnotes_are_numbered_and_generated_from_the_data(client: TestClient) -> None:
    notes = client.get("/api/v1/footnotes", params={"year": 2020}).json()["footnotes"]
    assert [n["number"] for n in notes] == list(range(1, len(notes) + 1))
    text = {n["key"]: n["text"] for n in notes}
    # The Chengdu warehouse was acquired in 2021; the demo restated the 2020 base year
    # as if it had been owned then (GHG Protocol ch. 5), so 2020 covers all 40.
    assert "40 facilities" in text["boundary"]
    assert "warehouses (4)" in text["boundary"]
    assert "GB/T 2589-2020" in text["standards"] and "ISO 14064-1:2018" in text["standards"]
    assert "HFCs" in text["gases"] and "AR5" in text["gases"]
    assert "0.1229 kgce/kWh" in text["energy"]
    assert "rounded" in text["rounding"]
    latest = client.get("/api/v1/footnotes", params={"lang": "zh-CN"}).json()
    assert latest["year"] == 2023
    assert "40个设施" in latest["footnotes"][0]["text"]


def test_restatement_note_sets_the_original_beside_the_revised_total(
    client: TestClient, demo: DemoLedger
) -> None:
    restated = demo.site.payload(2020)["publication"]["restatements"]
    totals = sorted(
        (r for r in restated if r["figure"] == "emissions.total"),
        key=lambda r: r["revised_snapshot_id"],
    )
    assert [r["reason"] for r in totals] == ["structural_change", "methodology_change"]
    notes = client.get("/api/v1/footnotes", params={"year": 2020}).json()["footnotes"]
    text = {n["key"]: n["text"] for n in notes}["restatement"]
    assert f"{totals[0]['original']['value']:,.2f} tCO₂e" in text
    assert f"{totals[-1]['revised']['value']:,.2f} tCO₂e" in text
    assert "structural change" in text and "change of methodology" in text
    notes_2023 = client.get("/api/v1/footnotes", params={"year": 2023}).json()["footnotes"]
    assert "not been restated" in {n["key"]: n["text"] for n in notes_2023}["restatement"]


def test_targets_report_progress_with_units(client: TestClient) -> None:
    body = client.get("/api/v1/targets").json()
    assert "note" not in body
    by_name = {t["name"]: t for t in body["targets"]}
    energy = next(t for t in by_name.values() if t["metric"] == "energy")
    assert energy["base_year"] == 2020 and energy["latest_year"] == 2023
    assert energy["latest_value"]["unit"] == "MWh/person"
    # change so far = latest - base, in the metric's unit
    assert energy["change"]["value"] == pytest.approx(
        energy["latest_value"]["value"] - energy["base_value"]["value"]
    )
    assert any(t["kind"] == "qualitative" for t in body["targets"])


def test_section_csv_one_year_and_all_years(client: TestClient, demo: DemoLedger) -> None:
    response = client.get("/api/v1/sections/energy.csv", params={"year": 2022})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    carriers = [f"carrier.{r['carrier']}"
                for r in demo.site.payload(2022)["energy_by_carrier"]["company"]]
    assert [r["metric"] for r in rows][:3] == ["total", "direct", "indirect"]
    assert sorted(r["metric"] for r in rows[3:]) == sorted(carriers)
    energy = demo.site.payload(2022)["company"]["energy"]
    assert float(rows[0]["value"]) == energy["total"]["value"]
    assert rows[0]["unit"] == "MWh"
    every = list(csv.DictReader(io.StringIO(client.get("/api/v1/sections/energy.csv").text)))
    assert sorted({r["year"] for r in every}) == ["2020", "2021", "2022", "2023"]
    assert len(every) == 4 * len(rows)


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/api/v1/inventory/1999", 404),
        ("/api/v1/inventory/-1", 404),
        ("/api/v1/inventory/99999999999999999999999", 404),
        ("/api/v1/inventory/abc", 422),
        ("/api/v1/inventory/2023.5", 422),
        ("/api/v1/sections/nope", 404),
        ("/api/v1/sections/nope.csv", 404),
        ("/api/v1/sections/..%2F..%2Fetc", 404),
        ("/api/v1/sections/%E7%A2%B3", 404),
        ("/api/v1/sections/ghg?year=1850", 404),
        ("/api/v1/sections/ghg?year=twenty", 422),
        ("/api/v1/sections/ghg?year=", 422),
        ("/api/v1/sections/ghg?lang=fr", 422),
        ("/api/v1/sections/ghg.csv?year=3000", 404),
        ("/api/v1/groups/Nobody/intensities", 404),
        ("/api/v1/groups/The smart factory/intensities?year=2019", 404),
        ("/api/v1/groups/The smart factory/intensities?year=x", 422),
        ("/api/v1/footnotes?year=2024", 404),
        ("/api/v1/footnotes?year=0x7e7", 422),
        ("/api/v1/groups?lang=de", 422),
    ],
)
def test_bad_input_is_a_clear_4xx(client: TestClient, address: str, status: int) -> None:
    response = client.get(address)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert detail
    if status == 404:
        assert isinstance(detail, str) and len(detail) > 10


def test_openapi_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/years", "/api/v1/inventory/{year}", "/api/v1/sections/{section}",
                 "/api/v1/sections/{section}.csv", "/api/v1/groups",
                 "/api/v1/groups/{name}/intensities", "/api/v1/footnotes", "/api/v1/targets"):
        assert path in paths


def _panel(html: str, section: str) -> str:
    start = html.index(f'data-section="{section}"')
    return html[start:html.index('class="history"', start)]


def test_page_shows_energy_by_type(client: TestClient, demo: DemoLedger) -> None:
    by_carrier = demo.site.payload(2023)["energy_by_carrier"]["company"]
    assert by_carrier
    english = _panel(client.get("/").text, "energy")
    chinese = _panel(client.get("/", params={"lang": "zh-CN"}).text, "energy")
    # The demo buys electricity and burns diesel in generators and vehicles.
    assert {"electricity", "diesel"} <= {r["carrier"] for r in by_carrier}
    for row in by_carrier:
        assert number(row["energy"]["value"], 2) in english
    assert "Energy by type: purchased electricity" in english
    assert "Energy by type: diesel" in english
    assert "分类能源消耗：外购电力" in chinese


def test_page_shows_the_latest_year_in_html(client: TestClient, demo: DemoLedger) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert demo.organization in html
    company = demo.site.payload(2023)["company"]
    assert number(company["emissions"]["total"]["value"], 2) in _panel(html, "ghg")
    assert number(company["energy"]["total"]["value"], 2) in _panel(html, "energy")
    for link in ('href="/api/v1/sections/ghg?year=2023"', 'href="/api/v1/sections/ghg.csv'):
        assert link in html
    assert 'scope="row"' in html and "<caption" in html
    assert '<script defer src="/static/vendor/vega-embed.min.js">' in html


def test_page_honours_the_year_of_each_section(client: TestClient, demo: DemoLedger) -> None:
    html = client.get("/", params={"ghg": "2021", "energy": "2020"}).text
    ghg_2021 = demo.site.payload(2021)["company"]["emissions"]["total"]["value"]
    energy_2020 = demo.site.payload(2020)["company"]["energy"]["total"]["value"]
    water_2023 = demo.site.payload(2023)["company"]["water"]["total"]["value"]
    assert number(ghg_2021, 2) in _panel(html, "ghg")
    assert number(energy_2020, 2) in _panel(html, "energy")
    assert number(water_2023, 2) in _panel(html, "water")
    assert 'href="/?ghg=2021&amp;energy=2020&amp;lang=zh-CN"' in html


def test_page_in_chinese_and_bad_choices_fall_back(client: TestClient) -> None:
    html = client.get("/", params={"lang": "zh-CN", "ghg": "1900", "waste": "x"}).text
    assert '<html lang="zh-CN">' in html
    assert "温室气体排放总量" in html and "选择年份" in html
    assert client.get("/", params={"lang": "fr"}).status_code == 200


def test_static_assets_are_served(client: TestClient) -> None:
    for name in ("site.css", "site.js", "vendor/vega.min.js", "vendor/vega-lite.min.js",
                 "vendor/vega-embed.min.js", "vendor/vega.LICENSE"):
        assert client.get(f"/static/{name}").status_code == 200, name


def test_restatements_list_original_beside_revised(client: TestClient) -> None:
    everything = client.get("/api/v1/restatements").json()["restatements"]
    of_2020 = client.get("/api/v1/restatements", params={"year": 2020}).json()["restatements"]
    assert {r["year"] for r in everything} == {2020, 2021, 2022}  # 2023 never restated
    assert of_2020 == [r for r in everything if r["year"] == 2020]
    for r in everything:
        # difference = revised - original, each a figure with its unit
        assert r["difference"]["value"] == pytest.approx(
            r["revised"]["value"] - r["original"]["value"]
        )
        assert r["original"]["unit"] == r["revised"]["unit"] == r["difference"]["unit"]
    assert client.get("/api/v1/restatements", params={"year": 1999}).status_code == 404


def test_measures_carry_units_on_every_saving(client: TestClient) -> None:
    body = client.get("/api/v1/measures", params={"year": 2023}).json()
    assert body["measures"] and all(m["year"] == 2023 for m in body["measures"])
    for measure in body["measures"]:
        for key, unit in (("savings_tco2e", "tCO2e"), ("savings_mwh", "MWh"),
                          ("savings_water_t", "t")):
            assert measure[key]["unit"] == unit
