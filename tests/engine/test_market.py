"""Market-based Scope 2, worked by hand: hierarchy, pro rata pools, each Quality Criterion.

Sites: A (CN, 100 MWh), B (CN, 300 MWh), I (IN, 50 MWh) in 2023. Location-based factors
CN 0.5 and IN 0.7 t/MWh; the CN residual mix is 0.6 t/MWh; India has none, so its
market-based figure falls back to the grid average (0.7).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pyarrow as pa
import pytest

from envledger.engine import Inventory, compute_inventory
from envledger.engine.instruments import INSTRUMENT_SCHEMA
from tests.support.engine_inputs import (
    YEAR,
    electricity_factor,
    facility,
    factor,
    make_inputs,
    record,
)

SITES = [facility("A"), facility("B", province="CN-SH", grid_region="CN-East"),
         facility("I", country="IN", province="IN-KA", grid_region="IN-All")]
RECORDS = [record("A", "electricity", 100.0, "MWh"), record("B", "electricity", 300.0, "MWh"),
           record("I", "electricity", 50.0, "MWh")]
FACTORS = [
    electricity_factor("cn_grid", 0.5),
    electricity_factor("in_grid", 0.7, geography_code="IN"),
    electricity_factor("cn_rm", 0.6, series="cn_residual_mix", data_year=2023),
    factor("heat_default", "heat", "CO2", 110.0, tier="international", geography_code="*"),
]


def instrument(instrument_id: str, volume: float, facility: str = "", **kwargs: Any) -> dict:
    row = {"instrument_id": instrument_id, "type": "GEC", "energy": "electricity",
           "volume_mwh": volume, "vintage": YEAR, "market": "CN", "facility_code": facility,
           "retired": True, "retirement_reference": "ret-1", "emission_rate_t_per_mwh": 0.0,
           "claimed_year": YEAR}
    return {**row, **kwargs}


def run(instruments: list[dict], records: list[dict] | None = None, **kwargs: Any) -> Inventory:
    inputs = make_inputs(RECORDS if records is None else records, SITES, FACTORS)
    table = pa.Table.from_pylist(
        [{"claim_id": i + 1, **row} for i, row in enumerate(instruments)],
        schema=INSTRUMENT_SCHEMA,
    )
    return compute_inventory(dataclasses.replace(inputs, instruments=table), YEAR, "AR5", [],
                             **kwargs)


def market(inventory: Inventory, code: str | None = None) -> float:
    if code is None:
        return inventory.company_totals["scope2_market_t"][0].as_py()
    rows = inventory.facility_totals.to_pylist()
    return next(r["scope2_market_t"] for r in rows if r["facility_code"] == code)


def claims(inventory: Inventory) -> list[tuple[str, float, float, str | None]]:
    return [(r["instrument_id"], r["applied_mwh"], r["excluded_mwh"], r["reason"])
            for r in inventory.instrument_claims.to_pylist()]


@pytest.fixture(scope="module")
def plain() -> Inventory:
    inputs = make_inputs(RECORDS, SITES, FACTORS, groups={"China": ["A", "B"]})
    return compute_inventory(inputs, YEAR, "AR5", [])


def test_without_instruments_residual_mix_then_grid_average(plain: Inventory) -> None:
    # location: 100 x 0.5 + 300 x 0.5 + 50 x 0.7 = 235; market: CN at the residual mix
    # 400 x 0.6 = 240, India at its grid average 50 x 0.7 = 35 -> 275
    assert plain.company_totals["scope2_location_t"][0].as_py() == pytest.approx(235.0)
    assert market(plain) == pytest.approx(275.0)
    payload = plain.to_dict()
    assert payload["by_scope"][2] == {"scope": 2, "method": "market",
                                      "emissions": {"value": pytest.approx(275.0),
                                                    "unit": "tCO2e"}}
    assert payload["instruments"] == {"applied": [], "excluded": []}
    basis = {(b["basis"], b["factor_id"]): b["emissions"]["value"]
             for b in payload["scope2_market_basis"]}
    assert basis == {("residual_mix", "cn_rm"): pytest.approx(240.0),
                     ("grid_average", None): pytest.approx(35.0)}


def test_market_based_totals_reach_groups(plain: Inventory) -> None:
    # (100 + 300) x 0.6 = 240 t
    assert plain.to_dict()["groups"][0]["emissions"]["scope2_market"] == {
        "value": pytest.approx(240.0), "unit": "tCO2e"}


def test_partial_cover_excess_and_an_indian_certificate() -> None:
    inventory = run([instrument("G1", 40.0, "A"), instrument("G2", 350.0, "B"),
                     instrument("R1", 20.0, market="IN", type="I-REC")])
    # A: 40 MWh x 0 + 60 MWh x 0.6 = 36 t; B: 300 of 350 MWh applied -> 0 t, 50 excluded;
    # India (grid-average fallback): (50 - 20) x 0.7 = 21 t
    assert market(inventory, "A") == pytest.approx(36.0)
    assert market(inventory, "B") == pytest.approx(0.0)
    assert market(inventory, "I") == pytest.approx(21.0)
    (g1, g2, r1) = claims(inventory)
    assert (g1, r1) == (("G1", 40.0, 0.0, None), ("R1", 20.0, 0.0, None))
    assert g2[:3] == ("G2", 300.0, 50.0)
    assert g2[3] == ("exceeds the electricity consumption it can be matched to: 300.0 MWh was"
                     " left uncovered (facility B); the excess is not counted"
                     " (Scope 2 Quality Criterion 2)")
    excluded = inventory.to_dict()["instruments"]["excluded"]
    assert [(e["instrument_id"], e["volume"]) for e in excluded] == [
        ("G2", {"value": 50.0, "unit": "MWh"})]


def test_company_wide_instruments_are_shared_pro_rata_in_their_market() -> None:
    inventory = run([instrument("C1", 200.0)])
    # pool CN: A 100 + B 300 = 400 MWh uncovered; 200 applied:
    # A gets 200 x 100/400 = 50 -> (100 - 50) x 0.6 = 30; B 150 -> 150 x 0.6 = 90
    assert market(inventory, "A") == pytest.approx(30.0)
    assert market(inventory, "B") == pytest.approx(90.0)
    assert market(inventory, "I") == pytest.approx(35.0)  # India untouched
    assert market(inventory) == pytest.approx(155.0)


def test_facility_instruments_come_before_the_company_pool() -> None:
    inventory = run([instrument("F1", 80.0, "A"), instrument("C1", 100.0)])
    # A: 80 covered, 20 left; pool 20 + 300 = 320; A gets 100 x 20/320 = 6.25,
    # B 93.75 -> A (20 - 6.25) x 0.6 = 8.25; B (300 - 93.75) x 0.6 = 123.75
    assert market(inventory, "A") == pytest.approx(8.25)
    assert market(inventory, "B") == pytest.approx(123.75)


def test_supplier_rate_after_certificates_then_residual_mix() -> None:
    inventory = run([instrument("S1", 100.0, "A", type="supplier_rate", retired=False,
                                emission_rate_t_per_mwh=0.3),
                     instrument("G1", 40.0, "A")])
    # A: 40 MWh by the GEC (0 t), 60 MWh at the supplier's 0.3 t/MWh = 18 t; the supplier
    # contract's other 40 MWh exceed A's consumption and are excluded
    assert market(inventory, "A") == pytest.approx(18.0)
    assert [c[:3] for c in claims(inventory)] == [("G1", 40.0, 0.0), ("S1", 60.0, 40.0)]


@pytest.fixture(scope="module")
def quality() -> dict[str, tuple[float, float, str | None]]:
    inventory = run([
        instrument("M1", 40.0, "A", market="IN"),
        instrument("R1", 40.0, "A", retired=False),
        *(instrument(f"V{v}", 10.0, "B", vintage=v) for v in (2021, 2022, 2023, 2024)),
        instrument("D1", 40.0, "A"), instrument("D1", 40.0, "B"),
        instrument("Y1", 40.0, "A", claimed_year=2022), instrument("Y1", 40.0, "A"),
        instrument("Z1", 40.0, "Z"),
        instrument("U1", 10.0, market="US"),
    ])
    rows = claims(inventory)
    assert len(rows) == 11  # every claim of 2023, the 2022 claim of Y1 is not
    return {f"{iid}:{n}": row[1:] for n, row in enumerate(rows) for iid in [row[0]]}


def _only(quality: dict, prefix: str) -> list[tuple[float, float, str | None]]:
    return [v for k, v in quality.items() if k.startswith(f"{prefix}:")]


def test_wrong_market_is_excluded(quality: dict) -> None:
    assert _only(quality, "M1") == [(0.0, 40.0, "market IN is not the market of facility A"
                                     " (CN) (Scope 2 Quality Criterion 5)")]


def test_not_retired_is_excluded(quality: dict) -> None:
    assert _only(quality, "R1") == [(0.0, 40.0, "not retired or cancelled on behalf of the"
                                     " company (Scope 2 Quality Criterion 3)")]


@pytest.mark.parametrize(("vintage", "applied"), [(2021, 0.0), (2022, 10.0), (2023, 10.0),
                                                  (2024, 0.0)])
def test_vintage_must_be_the_reporting_year_or_the_year_before(
    quality: dict, vintage: int, applied: float
) -> None:
    ((used, excluded, reason),) = _only(quality, f"V{vintage}")
    assert (used, excluded) == (applied, 10.0 - applied)
    expected = None if applied else (f"vintage {vintage} is outside the allowed window"
                                     " 2022-2023 (Scope 2 Quality Criterion 4)")
    assert reason == expected


def test_claimed_twice_in_one_year_counts_for_neither_claim(quality: dict) -> None:
    reason = ("claimed 2 times (reporting years 2023, 2023): an instrument counts once or not"
              " at all (Scope 2 Quality Criterion 2)")
    assert _only(quality, "D1") == [(0.0, 40.0, reason), (0.0, 40.0, reason)]


def test_claimed_in_another_year_too_is_excluded(quality: dict) -> None:
    ((applied, _, reason),) = _only(quality, "Y1")
    assert applied == 0.0 and reason.startswith("claimed 2 times (reporting years 2022, 2023)")


def test_facility_outside_the_boundary_is_excluded(quality: dict) -> None:
    assert _only(quality, "Z1")[0][2] == "facility Z is not in the reporting boundary in 2023"


def test_company_wide_instrument_without_consumption_in_its_market_is_excess(
    quality: dict,
) -> None:
    ((applied, excluded, reason),) = _only(quality, "U1")
    assert (applied, excluded) == (0.0, 10.0)
    assert "0.0 MWh was left uncovered (market US)" in reason


def test_vintage_window_is_a_setting() -> None:
    inventory = run([instrument("G1", 40.0, "A", vintage=2021)], vintage_years_before=2)
    assert claims(inventory) == [("G1", 40.0, 0.0, None)]


def test_heat_stays_location_based_unless_a_heat_instrument_exists() -> None:
    heat = [*RECORDS, record("A", "heat", 36.0, "GJ"), record("B", "heat", 36.0, "GJ")]
    # each: 36 GJ x 0.11 t/GJ = 3.96 t location-based, 36 / 3.6 = 10 MWh; no heat residual
    # mix, so B's heat stays at 3.96 t; A holds a 4 MWh green heat tariff:
    # (10 - 4) MWh x 3.96 t / 10 MWh = 2.376 t
    inventory = run([instrument("H1", 4.0, "A", type="green_tariff", energy="heat")],
                    records=heat)
    lines = {(r["facility_code"], r["basis"]): r["t_co2e"]
             for r in inventory.market_lines.to_pylist() if r["activity"] == "heat"}
    assert lines == {("A", "contractual_instruments"): pytest.approx(0.0),
                     ("A", "grid_average"): pytest.approx(2.376),
                     ("B", "grid_average"): pytest.approx(3.96)}
