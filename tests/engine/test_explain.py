"""explain_facility: each result line traced to its records, factor, GWP and arithmetic."""

from __future__ import annotations

import pytest

from envledger.engine import compute_inventory, explain_facility
from envledger.errors import NotFoundError
from tests.support.engine_inputs import (
    YEAR,
    electricity_factor,
    facility,
    make_inputs,
    record,
    reference_inputs,
)

INPUTS = make_inputs(
    [
        record("F1", "electricity", 600.0, "kWh"),
        # 2022-12-01..2023-01-31: 31 of 62 days in 2023
        record("F1", "electricity", 400.0, "kWh", "2022-12-01", "2023-01-31"),
        record("F1", "refrigerant", 10.0, "kg", gas="R-410A"),
        record("F2", "electricity", 1.0, "MWh"),
    ],
    [facility("F1"), facility("F2")],
    [electricity_factor("cn", 0.5703, data_year=2022)],
)


@pytest.fixture(scope="module")
def explained() -> list[dict]:
    return explain_facility(INPUTS, YEAR, "AR5", [], "F1").to_pylist()


def test_each_record_carries_its_share_conversion_factor_and_formula(
    explained: list[dict],
) -> None:
    first, second = (r for r in explained if r["activity"] == "electricity")
    assert (first["record_id"], first["share_in_year"], first["to_canonical"]) == (1, 1.0, 0.001)
    assert first["unit_note"] == "1 kWh = 0.001 MWh"
    # 600 kWh x 0.001 = 0.6 MWh x 0.5703 t/MWh = 0.34218 t
    assert first["quantity_canonical"] == pytest.approx(0.6)
    assert first["t_co2e"] == pytest.approx(0.34218)
    assert first["formula"] == "0.6 MWh x 0.5703 t CO2/MWh x GWP 1.0 = 0.34218 tCO2e"
    assert (first["factor_id"], first["factor_tier"], first["factor_citation"]) == (
        "cn", "national", "citation of cn")
    assert "2022" in first["data_year_note"]
    # 400 kWh x 31/62 = 200 kWh = 0.2 MWh x 0.5703 = 0.11406 t
    assert second["share_in_year"] == pytest.approx(0.5)
    assert second["t_co2e"] == pytest.approx(0.11406)


def test_blend_records_explain_each_component(explained: list[dict]) -> None:
    rows = {r["gas"]: r for r in explained if r["activity"] == "refrigerant"}
    assert set(rows) == {"HFC-32", "HFC-125"}
    # 10 kg x 0.5 kg/kg x 677 / 1000 = 3.385 t
    assert rows["HFC-32"]["formula"] == (
        "10.0 kg x 0.5 kg HFC-32/kg x GWP 677.0 / 1000 = 3.385 tCO2e")
    assert rows["HFC-32"]["blend"] == "R-410A"


def test_records_sum_to_the_facility_lines(explained: list[dict]) -> None:
    lines = compute_inventory(INPUTS, YEAR, "AR5", []).lines.to_pylist()
    for line in (line for line in lines if line["facility_code"] == "F1"):
        records = [r for r in explained
                   if (r["activity"], r["gas"]) == (line["activity"], line["gas"])]
        assert sum(r["t_co2e"] for r in records) == pytest.approx(line["t_co2e"])
        assert len(records) == line["record_count"]
    assert {r["facility_code"] for r in explained} == {"F1"}


def test_unknown_facility_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="facility 'NOPE'"):
        explain_facility(INPUTS, YEAR, "AR5", [], "NOPE")


def test_diesel_shows_the_energy_ncv_and_the_emission_ncv() -> None:
    us_site = facility("D", country="US", province="", grid_region="")
    inputs = reference_inputs([record("D", "diesel", 1.0, "t")], [us_site])
    rows = explain_facility(inputs, YEAR, "AR5", ["user"], "D").to_pylist()
    co2 = next(r for r in rows if r["gas"] == "CO2")
    # Emissions: IPCC 74,100 kg/TJ with the IPCC NCV 43.0 GJ/t = 3186.3 kg/t
    assert co2["conversion_note"] == "kg/TJ -> kg/t via ncv_ipcc 43 GJ/t"
    assert co2["kg_per_canonical"] == pytest.approx(3186.3)
    # Energy: GB/T 2589-2020 NCV 42.652 GJ/t = 11.8478 MWh/t, coefficient 1457.1 kgce/t
    assert "via ncv 42.652 GJ/t = 11.8478 MWh/t" in co2["energy_note"]
    assert "1457.1 kgce/t (GB/T 2589-2020)" in co2["energy_note"]
    assert {r["energy_note"] for r in rows} == {co2["energy_note"]}
