"""Scenario: a company with measured, invoiced and estimated rows; its data-quality mix
and 95 % uncertainty (IPCC 2006 Vol. 1 ch. 3, Approach 1), worked by hand.

The company: A buys 100 MWh of electricity on invoices (U_A 5 %); B meters 100 MWh
(U_A 2 %) and burns 1000 m3 of natural gas estimated from its own meter (U_A 20 %).
One grid factor 0.5 t CO2/MWh (default U_F 10 %) serves both; natural gas 2 kg CO2/m3
(U_F 3.9 %, IPCC Table 1.4). GWP of CO2 = 1. Defaults: data/uncertainty_defaults.csv.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from envledger.engine import compute_inventories, compute_inventory, explain_facility
from tests.support.engine_inputs import (
    YEAR,
    electricity_factor,
    facility,
    fuel_factors,
    make_inputs,
    record,
)

RECORDS = [
    record("A", "electricity", 60.0, "MWh", f"{YEAR}-01-01", f"{YEAR}-06-30",
           data_source="invoice"),
    record("A", "electricity", 40.0, "MWh", f"{YEAR}-07-01", f"{YEAR}-12-31",
           data_source="invoice"),
    record("B", "electricity", 100000.0, "kWh", data_source="measured"),
    record("B", "natural_gas", 1000.0, "m3", data_source="estimated"),
]
# CH4 and N2O of the gas set to 0 so that the hand arithmetic stays on CO2
FACTORS = [electricity_factor("grid", 0.5), *fuel_factors("natural_gas", 2.0, 0.0, 0.0)]


def figures(records: list[dict[str, Any]] = RECORDS) -> dict[str, Any]:
    inputs = make_inputs(records, [facility("A"), facility("B")], FACTORS,
                         groups={"All": ["A", "B"]})
    return compute_inventory(inputs, YEAR, "AR5", ["test_series"]).to_dict()


def test_mix_shares_by_emissions_and_by_quantity() -> None:
    out = figures()
    total = out["company"]["emissions"]["total"]
    assert total["value"] == pytest.approx(102.0)  # 50 + 50 + 1000 x 2 / 1000
    mix = {k: v["value"] for k, v in total["data_quality"].items()}
    assert mix["invoice"] == pytest.approx(100 * 50 / 102)
    assert mix["measured"] == pytest.approx(100 * 50 / 102)
    assert mix["estimated"] == pytest.approx(100 * 2 / 102)
    assert mix["unstated"] == pytest.approx(0.0)
    scope2 = out["company"]["emissions"]["scope2_location"]["data_quality"]
    assert (scope2["invoice"]["value"], scope2["estimated"]["value"]) == pytest.approx((50, 0))
    # energy by quantity: 200 MWh electricity + 1000 m3 x 0.038931 GJ/m3 / 3.6 GJ/MWh gas
    gas_mwh = 1000 * 0.038931 / 3.6
    energy = out["company"]["energy"]["total"]["data_quality"]
    assert energy["estimated"]["value"] == pytest.approx(100 * gas_mwh / (200 + gas_mwh))
    b = next(f for f in out["facilities"] if f["code"] == "B")
    assert b["emissions"]["scope1"]["data_quality"]["estimated"]["value"] == pytest.approx(100)
    # no water reported: null, never 0
    assert out["company"]["water"]["total"]["uncertainty"]["value"] is None
    assert out["company"]["water"]["total"]["data_quality"]["measured"]["value"] is None


def test_uncertainty_worked_by_hand() -> None:
    out = figures()
    a = next(f for f in out["facilities"] if f["code"] == "A")
    # A, scope 2: product rule (Eq. 3.1) sqrt(5^2 + 10^2)
    assert a["emissions"]["scope2_location"]["uncertainty"]["value"] == pytest.approx(
        math.sqrt(5**2 + 10**2))
    # company scope 2: AD errors 0.05 x 50 and 0.02 x 50 are independent; the shared grid
    # factor is one error of 0.10 x (50 + 50) (fully correlated): sqrt(2.5^2 + 1^2 + 10^2)
    scope2 = out["company"]["emissions"]["scope2_location"]["uncertainty"]["value"]
    assert scope2 == pytest.approx(100 * math.sqrt(2.5**2 + 1.0**2 + 10.0**2) / 100)
    # total adds gas: AD 0.20 x 2 and factor 0.039 x 2
    total = out["company"]["emissions"]["total"]["uncertainty"]["value"]
    assert total == pytest.approx(
        100 * math.sqrt(2.5**2 + 1.0**2 + 10.0**2 + 0.4**2 + 0.078**2) / 102)
    assert out["groups"][0]["emissions"]["total"]["uncertainty"]["value"] == pytest.approx(
        total)
    # energy: activity data only (GB/T coefficients exact), facilities independent
    gas_mwh = 1000 * 0.038931 / 3.6
    energy = out["company"]["energy"]["total"]["uncertainty"]["value"]
    assert energy == pytest.approx(
        100 * math.sqrt(5.0**2 + 2.0**2 + (0.2 * gas_mwh) ** 2) / (200 + gas_mwh))


def test_a_row_of_its_own_uncertainty_overrides_the_default() -> None:
    rows = [*RECORDS[:3], record("B", "natural_gas", 1000.0, "m3", data_source="estimated",
                                 uncertainty_pct=50.0)]
    b = next(f for f in figures(rows)["facilities"] if f["code"] == "B")
    # scope 1 of B = gas only: sqrt(50^2 + 3.9^2)
    assert b["emissions"]["scope1"]["uncertainty"]["value"] == pytest.approx(
        math.sqrt(50**2 + 3.9**2))


def test_months_of_one_meter_are_one_error_not_averaged_away() -> None:
    a = next(f for f in figures()["facilities"] if f["code"] == "A")
    # two invoices of one supply: 0.05 x 30 + 0.05 x 20 = 2.5 t, not sqrt(1.5^2 + 1^2)
    assert a["emissions"]["scope2_location"]["uncertainty"]["value"] == pytest.approx(
        100 * math.sqrt(2.5**2 + 5.0**2) / 50)


def test_explain_shows_each_records_source_and_the_uncertainties_applied() -> None:
    rows = [*RECORDS[:3], record("B", "natural_gas", 1000.0, "m3", data_source="estimated",
                                 uncertainty_pct=50.0)]
    inputs = make_inputs(rows, [facility("A"), facility("B")], FACTORS)
    explained = explain_facility(inputs, YEAR, "AR5", ["test_series"], "B").to_pylist()
    seen = {(r["activity"], r["gas"]): (r["data_source"], r["activity_uncertainty_pct"],
                                        r["factor_uncertainty_pct"]) for r in explained}
    assert seen[("electricity", "CO2")] == ("measured", 2.0, 10.0)
    assert seen[("natural_gas", "CO2")] == ("estimated", 50.0, 3.9)
    # CH4 and N2O factors: lognormal x/3, U = 119 % (data/uncertainty_defaults.csv)
    assert seen[("natural_gas", "CH4")] == ("estimated", 50.0, 119.0)


def test_several_years_at_once_give_the_same_uncertainty() -> None:
    rows = [*RECORDS[:3], record("B", "natural_gas", 1000.0, "m3", data_source="estimated",
                                 uncertainty_pct=50.0)]
    inputs = make_inputs(rows, [facility("A"), facility("B")], FACTORS)
    both = compute_inventories(inputs, [YEAR - 1, YEAR], "AR5", ["test_series"])
    alone = compute_inventory(inputs, YEAR, "AR5", ["test_series"])
    assert both[YEAR].quality.to_pylist() == alone.quality.to_pylist()
    b = next(f for f in both[YEAR].to_dict()["facilities"] if f["code"] == "B")
    assert b["emissions"]["scope1"]["uncertainty"]["value"] == pytest.approx(
        math.sqrt(50**2 + 3.9**2))
