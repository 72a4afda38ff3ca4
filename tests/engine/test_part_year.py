"""A facility inside the boundary for part of the year counts for those days only."""

from __future__ import annotations

import datetime as dt

import pytest

from envledger.engine import InventoryInputs, compute_inventories, compute_inventory
from envledger.engine.explain import explain_facility
from tests.support.engine_inputs import electricity_factor, facility, make_inputs, record

GRID = electricity_factor("cn_grid", 0.5)


def _inputs(**boundary: dt.date) -> InventoryInputs:
    records = [
        record("F1", "electricity", 365.0, "MWh", "2023-01-01", "2023-12-31"),
        record("F2", "electricity", 365.0, "MWh", "2023-01-01", "2023-12-31"),
    ]
    years = [
        {"facility_code": "F1", "year": 2023, "floor_area_m2": 1.0, "headcount": 1.0,
         "in_boundary": True, **boundary},
        {"facility_code": "F2", "year": 2023, "floor_area_m2": 1.0, "headcount": 1.0,
         "in_boundary": True},
    ]
    return make_inputs(records, [facility("F1"), facility("F2")], [GRID], facility_years=years)


def test_acquired_on_1_july_counts_the_second_half_only() -> None:
    inputs = _inputs(in_boundary_from=dt.date(2023, 7, 1))
    inventory = compute_inventory(inputs, 2023, "AR5", [])
    by_code = {r["facility_code"]: r for r in inventory.facility_totals.to_pylist()}
    # 1 July - 31 December = 31+31+30+31+30+31 = 184 of 365 days: 365 MWh x 184/365 = 184 MWh
    assert by_code["F1"]["indirect_mwh"] == pytest.approx(184.0)
    # 184 MWh x 0.5 t/MWh = 92 t; the whole-year facility keeps 365 MWh, 182.5 t
    assert by_code["F1"]["scope2_location_t"] == pytest.approx(92.0)
    assert by_code["F2"]["indirect_mwh"] == pytest.approx(365.0)
    # the one-pass multi-year path gives the same figure
    several = compute_inventories(inputs, [2022, 2023], "AR5", [])
    assert several[2023].company_totals["indirect_mwh"][0].as_py() == pytest.approx(184 + 365)


def test_divested_on_31_march_and_explain_agree() -> None:
    inputs = _inputs(in_boundary_to=dt.date(2023, 3, 31))
    inventory = compute_inventory(inputs, 2023, "AR5", [])
    # 1 January - 31 March = 31+28+31 = 90 days: 365 MWh x 90/365 = 90 MWh
    f1 = next(r for r in inventory.facility_totals.to_pylist() if r["facility_code"] == "F1")
    assert f1["indirect_mwh"] == pytest.approx(90.0)
    rows = explain_facility(inputs, 2023, "AR5", [], "F1").to_pylist()
    assert rows[0]["share_in_year"] == pytest.approx(90 / 365)
