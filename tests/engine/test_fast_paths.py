"""The engine's fast paths give the results of the plain definitions.

Dictionary-encoded keys, several years on one connection and factor resolution per
geography profile are optimisations: these tests pin that they change no figure.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from envledger.engine import InventoryInputs, compute_inventories, compute_inventory
from envledger.engine.inputs import KEY_COLUMNS, KEY_TYPE, encode_activities
from tests.support.engine_inputs import (
    YEAR,
    electricity_factor,
    facility,
    fuel_factors,
    make_inputs,
    record,
)

SITES = [facility("A"), facility("B"), facility("C", province="CN-SH", grid_region="CN-East")]
FACTORS = [
    electricity_factor("cn", 0.5703),
    electricity_factor("gd", 0.4, tier="local", geography_code="CN-GD"),
    electricity_factor("b_own", 0.1, tier="supplier", geography_code="B"),
    *fuel_factors("natural_gas", 2.1622, 0.000194655, 0.0000038931),
]
RECORDS = [
    record("A", "electricity", 1000.0, "kWh"),
    record("A", "electricity", 2.0, "MWh", f"{YEAR}-12-01", f"{YEAR + 1}-01-31"),
    record("B", "electricity", 3.0, "MWh", f"{YEAR - 1}-12-15", f"{YEAR}-01-15"),
    record("B", "natural_gas", 100.0, "m3", f"{YEAR + 1}-03-01", f"{YEAR + 1}-03-31"),
    record("C", "electricity", 500.0, "kWh", f"{YEAR}-06-01", f"{YEAR}-06-30"),
    record("C", "refrigerant", 1.5, "kg", gas="R-410A"),
]
YEARS = [YEAR - 1, YEAR, YEAR + 1]


def inputs() -> InventoryInputs:
    years = [
        {"facility_code": s["code"], "year": y, "floor_area_m2": 100.0, "headcount": 5.0,
         "in_boundary": True}
        for s in SITES for y in YEARS
    ]
    return make_inputs(RECORDS, SITES, FACTORS, facility_years=years)


def test_inputs_dictionary_encode_the_key_columns_without_changing_values() -> None:
    built = inputs()
    for name in KEY_COLUMNS:
        assert built.activities.schema.field(name).type == KEY_TYPE
    assert built.activities.to_pylist() == [
        {"record_id": i + 1, **r} for i, r in enumerate(RECORDS)
    ]
    again = encode_activities(built.activities)
    assert again.equals(built.activities)


def test_encoding_accepts_other_dictionary_and_string_types() -> None:
    table = pa.table({
        "facility_code": pa.chunked_array([["A", "B"], ["B"]], pa.large_string()),
        "activity": pa.chunked_array([
            pa.DictionaryArray.from_arrays(pa.array([0, 0], pa.int8()), pa.array(["heat"])),
            pa.DictionaryArray.from_arrays(pa.array([0], pa.int8()), pa.array(["water"])),
        ]),
        "quantity": [1.0, 2.0, 3.0],
    })
    encoded = encode_activities(table)
    assert encoded.schema.field("facility_code").type == KEY_TYPE
    assert encoded.schema.field("activity").type == KEY_TYPE
    assert encoded["facility_code"].to_pylist() == ["A", "B", "B"]
    assert encoded["activity"].to_pylist() == ["heat", "heat", "water"]
    chunks = encoded["activity"].chunks
    assert all(c.dictionary.equals(chunks[0].dictionary) for c in chunks)


def same(mine: pa.Table, theirs: pa.Table) -> None:
    """Equal tables, floats to 1e-12 (summation order may differ in the last digit)."""
    assert mine.column_names == theirs.column_names
    for a, b in zip(mine.to_pylist(), theirs.to_pylist(), strict=True):
        for key, value in b.items():
            if isinstance(value, float):
                assert a[key] == pytest.approx(value, rel=1e-12, abs=1e-12)
            else:
                assert a[key] == value


def test_several_years_on_one_connection_equal_one_year_at_a_time() -> None:
    built = inputs()
    together = compute_inventories(built, YEARS, "AR5", [])
    assert list(together) == YEARS
    for year in YEARS:
        alone = compute_inventory(built, year, "AR5", [])
        both = together[year]
        assert both.year == year
        for table in ("lines", "facility_totals", "group_totals", "company_totals",
                      "by_source", "by_gas", "intensities"):
            same(getattr(both, table), getattr(alone, table))


def test_a_record_across_new_year_is_split_between_the_years() -> None:
    built = inputs()
    by_year = compute_inventories(built, YEARS, "AR5", [])
    # B: 3 MWh over 2022-12-15 .. 2023-01-15 (32 days): 17 days in 2022, 15 in 2023
    def b_mwh(year: int) -> float:
        rows = [r for r in by_year[year].lines.to_pylist()
                if r["facility_code"] == "B" and r["activity"] == "electricity"]
        return sum(r["quantity"] for r in rows)
    assert b_mwh(YEAR - 1) == pytest.approx(3.0 * 17 / 32)
    assert b_mwh(YEAR) == pytest.approx(3.0 * 15 / 32)


def test_factors_resolved_per_profile_still_honour_a_facility_specific_factor() -> None:
    inventory = compute_inventory(inputs(), YEAR, "AR5", [])
    lines = inventory.lines.to_pylist()
    chosen = {r["facility_code"]: r["factor_id"] for r in lines
              if r["activity"] == "electricity"}
    # A and B share a profile but for B's supplier factor, which is market-based only
    # (GHG Protocol Scope 2 Guidance ch. 6); C is outside Guangdong
    assert chosen == {"A": "gd", "B": "gd", "C": "cn"}
    market = {r["facility_code"]: (r["basis"], r["factor_id"])
              for r in inventory.market_lines.to_pylist()}
    assert market == {"A": ("grid_average", None), "B": ("supplier_rate", "b_own"),
                      "C": ("grid_average", None)}


def test_no_years_gives_no_inventories() -> None:
    assert compute_inventories(inputs(), [], "AR5", []) == {}

