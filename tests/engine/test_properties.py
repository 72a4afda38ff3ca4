"""Invariants of the inventory: additivity over facilities and groups, linearity."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envledger.engine import InventoryInputs, compute_inventory
from envledger.engine.totals import MEASURES
from tests.support.engine_inputs import (
    YEAR,
    electricity_factor,
    facility,
    factor,
    fuel_factors,
    make_inputs,
    record,
)

CODES = ["F1", "F2", "F3", "F4"]
FACTORS = [
    electricity_factor("cn", 0.5703),
    electricity_factor("gd", 0.4, tier="local", geography_code="CN-GD"),
    *fuel_factors("natural_gas", 2.1622, 0.000194655, 0.0000038931),
    factor("diesel_co2", "diesel", "CO2", 3095.9), factor("diesel_ch4", "diesel", "CH4", 0.4),
    factor("diesel_n2o", "diesel", "N2O", 0.03),
]
ACTIVITIES = [
    ("electricity", "kWh", ""), ("electricity", "MWh", ""), ("natural_gas", "m3", ""),
    ("diesel", "L", ""), ("refrigerant", "kg", "R-410A"), ("refrigerant", "g", "HFC-134a"),
    ("water_running", "m3", ""), ("waste_hazardous", "kg", ""),
]

records_strategy = st.lists(
    st.tuples(
        st.sampled_from(CODES),
        st.sampled_from(ACTIVITIES),
        st.floats(0.0, 1e6, allow_nan=False),
        st.integers(0, 500),  # start: days after 2022-10-01
        st.integers(0, 400),  # length - 1 [days]
    ),
    max_size=25,
)


def build(rows: list[tuple], groups: dict[str, list[str]], boundary: list[bool]) -> InventoryInputs:
    origin = dt.date(2022, 10, 1)
    records = []
    for code, (activity, unit, gas), quantity, start, length in rows:
        first = origin + dt.timedelta(days=start)
        last = first + dt.timedelta(days=length)
        records.append(record(code, activity, quantity, unit, first.isoformat(),
                              last.isoformat(), gas=gas))
    sites = [facility(c, province="CN-GD" if i % 2 else "CN-SH") for i, c in enumerate(CODES)]
    years = [{"facility_code": c, "year": YEAR, "floor_area_m2": 100.0 * (i + 1),
              "headcount": float(i), "in_boundary": inside}
             for i, (c, inside) in enumerate(zip(CODES, boundary, strict=True))]
    return make_inputs(records, sites, FACTORS, facility_years=years, groups=groups)


def scaled(inputs: InventoryInputs, k: float) -> InventoryInputs:
    activities = inputs.activities
    quantity = pc.multiply(activities["quantity"], pa.scalar(k))
    column = activities.schema.get_field_index("quantity")
    return InventoryInputs(**{**inputs.__dict__,
                              "activities": activities.set_column(column, "quantity", quantity)})


groups_strategy = st.dictionaries(
    st.sampled_from(["g1", "g2", "g3"]), st.lists(st.sampled_from(CODES), unique=True),
    max_size=3,
)
boundary_strategy = st.lists(st.booleans(), min_size=len(CODES), max_size=len(CODES))


@settings(max_examples=12, deadline=None)
@given(records_strategy, groups_strategy, boundary_strategy)
def test_totals_add_up(rows: list[tuple], groups: dict[str, list[str]],
                       boundary: list[bool]) -> None:
    inventory = compute_inventory(build(rows, groups, boundary), YEAR, "AR5", [])
    facilities = inventory.facility_totals.to_pylist()
    company = inventory.company_totals.to_pylist()[0]
    inside = {c for c, b in zip(CODES, boundary, strict=True) if b}
    assert {f["facility_code"] for f in facilities} == inside
    for measure in MEASURES:
        assert company[measure] == _sum_or_none([f[measure] for f in facilities])
    if company["total_t"] is None:
        # not reported only when no scope is, and when no line exists
        assert company["scope1_t"] is None and company["scope2_location_t"] is None
        assert inventory.lines.num_rows == 0
    else:
        assert company["total_t"] == pytest.approx(
            (company["scope1_t"] or 0.0) + (company["scope2_location_t"] or 0.0),
            rel=1e-9, abs=1e-9)
        assert company["total_t"] == pytest.approx(
            pc.sum(inventory.lines["t_co2e"]).as_py(), rel=1e-9, abs=1e-9)
    by_code = {f["facility_code"]: f for f in facilities}
    for group in inventory.group_totals.to_pylist():
        members = [by_code[c] for c in groups[group["group_name"]] if c in by_code]
        for measure in MEASURES:
            assert group[measure] == _sum_or_none([m[measure] for m in members])


def _sum_or_none(values: list[float | None]) -> Any:
    """The sum of the reported parts, or None when no part is reported."""
    reported = [v for v in values if v is not None]
    return None if not reported else pytest.approx(sum(reported), rel=1e-9, abs=1e-9)


@settings(max_examples=6, deadline=None)
@given(records_strategy, st.floats(0.001, 1000.0))
def test_scaling_quantities_scales_everything_but_the_denominators(
    rows: list[tuple], k: float
) -> None:
    inputs = build(rows, {"all": CODES}, [True] * len(CODES))
    base = compute_inventory(inputs, YEAR, "AR5", []).company_totals.to_pylist()[0]
    more = compute_inventory(scaled(inputs, k), YEAR, "AR5", []).company_totals.to_pylist()[0]
    for measure in MEASURES:
        factor_k = 1.0 if measure in ("floor_area_m2", "headcount") else k
        if base[measure] is None:
            assert more[measure] is None
        else:
            assert more[measure] == pytest.approx(base[measure] * factor_k, rel=1e-9, abs=1e-9)
