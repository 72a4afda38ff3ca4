"""Hand-worked inventories: year split, boundary, gases, energy, water, waste, intensities."""

from __future__ import annotations

from typing import Any

import pytest

from envledger.engine import SCHEMA, Inventory, compute_inventory
from envledger.errors import (
    InputError,
    MissingFactorError,
    NotFoundError,
    ReferenceDataError,
    UnitError,
)
from tests.support.engine_inputs import (
    YEAR,
    electricity_factor,
    facility,
    factor,
    fuel_factors,
    make_inputs,
    record,
)

CN_GRID = electricity_factor("cn_grid", 0.5703)
# IPCC 2006 Vol. 5 Table 6.3: MCF anaerobic reactor 0.8, aerobic well managed 0;
# EF = B0 x MCF = 0.25 kg CH4/kg COD x MCF.
WASTEWATER = [
    factor("ww_anaerobic", "wastewater_cod", "CH4", 0.25 * 0.8, variant="anaerobic_reactor",
           tier="international", geography_code="*"),
    factor("ww_aerobic", "wastewater_cod", "CH4", 0.0, variant="aerobic_well_managed",
           tier="international", geography_code="*"),
]
# China guideline-style natural gas: 2.1622 kg CO2/m3; CH4 and N2O from the IPCC 2006
# commercial defaults 5 and 0.1 kg/TJ x 0.038931 GJ/m3 / 1000 GJ/TJ.
NATURAL_GAS = fuel_factors("natural_gas", 2.1622, 5 * 0.038931 / 1000, 0.1 * 0.038931 / 1000)


def run(records: list[dict[str, Any]], factors: list[dict[str, Any]] | None = None,
        gwp_set: str = "AR5", year: int = YEAR, **kwargs: Any) -> Inventory:
    kwargs.setdefault("facilities", [facility("F1")])
    inputs = make_inputs(records, factors=[CN_GRID] if factors is None else factors, **kwargs)
    return compute_inventory(inputs, year, gwp_set, [])


def company(inventory: Inventory, column: str) -> float:
    return inventory.company_totals[column][0].as_py()


def test_record_crossing_the_year_end_is_split_pro_rata_by_days() -> None:
    # 2020-12-01..2021-01-31 inclusive is 31 + 31 = 62 days; 31 fall in each year.
    records = [record("F1", "electricity", 62.0, "MWh", "2020-12-01", "2021-01-31")]
    years = [{"facility_code": "F1", "year": y, "floor_area_m2": 1.0, "headcount": 1.0,
              "in_boundary": True} for y in (2020, 2021)]
    for year in (2020, 2021):
        inventory = run(records, year=year, facility_years=years)
        # 62 MWh x 31/62 = 31 MWh; 31 MWh x 0.5703 t/MWh = 17.6793 t
        assert company(inventory, "indirect_mwh") == pytest.approx(31.0)
        assert company(inventory, "scope2_location_t") == pytest.approx(17.6793)
        assert inventory.lines["record_count"].to_pylist() == [1]


def test_records_outside_the_year_are_ignored() -> None:
    inventory = run([record("F1", "electricity", 5.0, "MWh", "2022-01-01", "2022-12-31"),
                     record("F1", "electricity", 2.0, "MWh", "2023-02-01", "2023-02-28")])
    # only the 2023 record: 2 MWh x 0.5703 = 1.1406 t
    assert company(inventory, "total_t") == pytest.approx(1.1406)


def test_facilities_outside_the_boundary_are_left_out() -> None:
    sites = [facility("IN"), facility("OUT"), facility("NOROW")]
    years = [
        {"facility_code": "IN", "year": YEAR, "floor_area_m2": 100.0, "headcount": 5.0,
         "in_boundary": True},
        {"facility_code": "OUT", "year": YEAR, "floor_area_m2": 100.0, "headcount": 5.0,
         "in_boundary": False},
        # NOROW is in the boundary in another year only
        {"facility_code": "NOROW", "year": YEAR - 1, "floor_area_m2": 100.0,
         "headcount": 5.0, "in_boundary": True},
    ]
    inventory = run([record(code, "electricity", 1.0, "MWh") for code in ("IN", "OUT", "NOROW")],
                    facilities=sites, facility_years=years, groups={"all": ["IN", "OUT", "NOROW"]})
    assert inventory.facility_totals["facility_code"].to_pylist() == ["IN"]
    assert set(inventory.lines["facility_code"].to_pylist()) == {"IN"}
    # 1 MWh x 0.5703 t/MWh, 100 m2, 5 people: only IN counts
    assert company(inventory, "total_t") == pytest.approx(0.5703)
    group = inventory.group_totals.to_pylist()[0]
    assert (group["total_t"], group["floor_area_m2"], group["headcount"]) == pytest.approx(
        (0.5703, 100.0, 5.0))


def test_blend_is_decomposed_by_mass_fraction_before_gwp() -> None:
    # 10 kg R-410A (AR5) = 5 kg HFC-32 x 677 + 5 kg HFC-125 x 3170
    #                    = 3,385 + 15,850 = 19,235 kg CO2e = 19.235 t
    inventory = run([record("F1", "refrigerant", 10_000.0, "g", gas="R-410A")], factors=[])
    assert company(inventory, "scope1_t") == pytest.approx(19.235)
    by_gas = {r["gas"]: r for r in inventory.by_gas.to_pylist()}
    assert by_gas["HFC-32"]["gas_kg"] == pytest.approx(5.0)
    assert by_gas["HFC-32"]["t_co2e"] == pytest.approx(3.385)
    assert by_gas["HFC-125"]["t_co2e"] == pytest.approx(15.85)
    assert {r["gas_group"] for r in by_gas.values()} == {"HFCs"}
    assert set(inventory.lines["blend"].to_pylist()) == {"R-410A"}
    assert inventory.by_source.to_pylist() == [
        {"scope": 1, "source": "refrigerant", "t_co2e": pytest.approx(19.235)}]


def test_blend_uses_the_chosen_gwp_set() -> None:
    # AR4: 5 kg x 675 + 5 kg x 3500 = 20,875 kg = 20.875 t
    inventory = run([record("F1", "refrigerant", 10.0, "kg", gas="R-410A")], factors=[],
                    gwp_set="AR4")
    assert company(inventory, "scope1_t") == pytest.approx(20.875)
    assert set(inventory.lines["gwp_set"].to_pylist()) == {"AR4"}


def test_pure_gases_are_their_own_emitted_mass() -> None:
    # 2 kg HFC-134a x 1300 + 0.5 kg SF6 x 23,500 = 2,600 + 11,750 = 14,350 kg = 14.35 t
    inventory = run([record("F1", "refrigerant", 2.0, "kg", gas="HFC-134a"),
                     record("F1", "fire_suppressant", 0.5, "kg", gas="SF6")], factors=[])
    assert company(inventory, "scope1_t") == pytest.approx(14.35)
    groups = {r["gas"]: r["gas_group"] for r in inventory.by_gas.to_pylist()}
    assert groups == {"HFC-134a": "HFCs", "SF6": "SF6"}


def test_wastewater_ch4_by_treatment() -> None:
    # 1000 kg COD x 0.25 kg CH4/kg COD x MCF 0.8 = 200 kg CH4; x 28 / 1000 = 5.6 t
    # aerobic well managed: MCF 0 -> 0 t
    inventory = run(
        [record("F1", "wastewater_cod", 1.0, "t", variant="anaerobic_reactor"),
         record("F1", "wastewater_cod", 500.0, "kg", variant="aerobic_well_managed")],
        factors=WASTEWATER,
    )
    lines = {r["variant"]: r for r in inventory.lines.to_pylist()}
    assert lines["anaerobic_reactor"]["gas_kg"] == pytest.approx(200.0)
    assert lines["anaerobic_reactor"]["t_co2e"] == pytest.approx(5.6)
    assert lines["aerobic_well_managed"]["t_co2e"] == 0.0
    assert company(inventory, "scope1_t") == pytest.approx(5.6)


def test_wastewater_without_a_factor_for_its_treatment_is_an_error() -> None:
    with pytest.raises(MissingFactorError, match="variant 'anaerobic_lagoon'"):
        run([record("F1", "wastewater_cod", 1.0, "t", variant="anaerobic_lagoon")],
            factors=WASTEWATER)


def test_fuel_emissions_three_gases() -> None:
    # 1000 m3 natural gas:
    #   CO2 1000 x 2.1622 = 2162.2 kg x 1
    #   CH4 1000 x 5 kg/TJ x 0.038931 GJ/m3 / 1000 = 0.194655 kg x 28 = 5.45034 kg CO2e
    #   N2O 1000 x 0.1 x 0.038931 / 1000 = 0.0038931 kg x 265 = 1.0316715 kg CO2e
    #   total 2168.6820115 kg = 2.1686820115 t
    inventory = run([record("F1", "natural_gas", 1000.0, "m3")], factors=NATURAL_GAS)
    assert company(inventory, "scope1_t") == pytest.approx(2.1686820115)
    assert sorted(inventory.lines["gas"].to_pylist()) == ["CH4", "CO2", "N2O"]


def test_energy_in_mwh_and_tce() -> None:
    # electricity 1000 kWh = 1 MWh indirect; 1000 kWh x 0.1229 kgce/kWh = 122.9 kgce
    # natural gas 1000 m3 x 0.038931 GJ/m3 / 3.6 GJ/MWh = 10.814167 MWh direct;
    #   1000 m3 x 1.33 kgce/m3 = 1330 kgce
    # total 11.814167 MWh; (122.9 + 1330) / 1000 = 1.4529 tce
    inventory = run([record("F1", "electricity", 1000.0, "kWh"),
                     record("F1", "natural_gas", 1000.0, "m3")], factors=[CN_GRID, *NATURAL_GAS])
    assert company(inventory, "indirect_mwh") == pytest.approx(1.0)
    assert company(inventory, "direct_mwh") == pytest.approx(10.814167, rel=1e-6)
    assert company(inventory, "total_mwh") == pytest.approx(11.814167, rel=1e-6)
    assert company(inventory, "tce") == pytest.approx(1.4529)


def test_energy_activity_without_a_coefficient_is_an_error() -> None:
    with pytest.raises(ReferenceDataError, match="natural_gas"):
        run([record("F1", "natural_gas", 1.0, "m3")], factors=NATURAL_GAS,
            energy_coefficients=[("electricity", 1.0, 122.9)])


def test_water_and_waste_in_tonnes() -> None:
    # running 100 m3 x 1 t/m3 + 20 t = 120 t; reclaimed 50 t; total 170 t
    # hazardous 500 kg = 0.5 t; non-hazardous 3 t
    inventory = run([
        record("F1", "water_running", 100.0, "m3"), record("F1", "water_running", 20.0, "t"),
        record("F1", "water_reclaimed", 50.0, "t"),
        record("F1", "waste_hazardous", 500.0, "kg", variant="incineration"),
        record("F1", "waste_non_hazardous", 3.0, "t", variant="landfill"),
    ], factors=[])
    totals = inventory.facility_totals.to_pylist()[0]
    assert (totals["water_running_t"], totals["water_reclaimed_t"], totals["water_total_t"],
            totals["waste_hazardous_t"], totals["waste_non_hazardous_t"]) == pytest.approx(
        (120.0, 50.0, 170.0, 0.5, 3.0))
    assert inventory.lines.num_rows == 0
    # no emission and no energy record: "not reported" (null), never 0
    assert totals["total_t"] is None and totals["total_mwh"] is None


def test_intensities_per_group_with_zero_denominators_null() -> None:
    sites = [facility("A"), facility("B"), facility("C")]
    years = [
        {"facility_code": "A", "year": YEAR, "floor_area_m2": 200.0, "headcount": 4.0,
         "in_boundary": True},
        {"facility_code": "B", "year": YEAR, "floor_area_m2": 300.0, "headcount": 6.0,
         "in_boundary": True},
        {"facility_code": "C", "year": YEAR, "floor_area_m2": 0.0, "headcount": 0.0,
         "in_boundary": True},
    ]
    records = [record("A", "electricity", 10.0, "MWh"), record("B", "electricity", 40.0, "MWh"),
               record("A", "water_running", 30.0, "t"), record("B", "waste_hazardous", 1.0, "t"),
               record("C", "electricity", 7.0, "MWh")]
    inventory = run(records, facilities=sites, facility_years=years,
                    groups={"AB": ["A", "B"], "C only": ["C"]})
    values = {(r["group_name"], r["indicator"]): (r["value"], r["unit"])
              for r in inventory.intensities.to_pylist()}
    # AB: 50 MWh over 500 m2 and 10 people; 50 MWh x 0.5703 = 28.515 t
    assert values[("AB", "energy_per_floor_area")] == (pytest.approx(0.1), "MWh/m2")
    assert values[("AB", "energy_per_capita")] == (pytest.approx(5.0), "MWh/person")
    assert values[("AB", "ghg_per_floor_area")] == (pytest.approx(0.05703), "tCO2e/m2")
    assert values[("AB", "ghg_per_capita")] == (pytest.approx(2.8515), "tCO2e/person")
    assert values[("AB", "water_running_per_capita")] == (pytest.approx(3.0), "t/person")
    assert values[("AB", "waste_hazardous_per_capita")] == (pytest.approx(0.1), "t/person")
    # no non-hazardous waste record: null numerator, null intensity ("not reported")
    assert values[("AB", "waste_non_hazardous_per_capita")] == (None, "t/person")
    assert {v for (g, _), (v, _) in values.items() if g == "C only"} == {None}
    assert len(values) == 14


def test_unconvertible_unit_names_activity_and_unit() -> None:
    with pytest.raises(UnitError, match="activity 'electricity', unit 'kg'"):
        run([record("F1", "electricity", 1.0, "kg")])


def test_period_ending_before_it_starts_is_an_input_error() -> None:
    with pytest.raises(InputError, match="record 1: period_end 2023-01-01 is before"):
        run([record("F1", "electricity", 1.0, "MWh", "2023-02-01", "2023-01-01")])


def test_activity_of_an_unknown_facility_is_not_found() -> None:
    years = [{"facility_code": "GHOST", "year": YEAR, "floor_area_m2": 1.0, "headcount": 1.0,
              "in_boundary": True}]
    with pytest.raises(NotFoundError, match="GHOST"):
        run([record("GHOST", "electricity", 1.0, "MWh")], facility_years=years)


def test_gas_without_gwp_is_an_error_naming_it() -> None:
    with pytest.raises(MissingFactorError, match="no AR5 global warming potential for:\n"
                                                 "  - gas 'R-999'"):
        run([record("F1", "refrigerant", 1.0, "kg", gas="R-999")], factors=[])


def test_unknown_gwp_set_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="GWP set 'AR9'"):
        run([record("F1", "electricity", 1.0, "MWh")], gwp_set="AR9")


def numbers_without_unit(node: Any, key: str = "") -> list[str]:
    """Paths of numbers not in a {"value", "unit"} pair (identifiers excepted); a figure's
    other keys (its uncertainty and data-quality mix) are figures too."""
    if isinstance(node, dict):
        if {"value", "unit"} <= set(node):
            value_ok = node["value"] is None or isinstance(node["value"], float | int)
            extras = {k: v for k, v in node.items() if k not in ("value", "unit")}
            own = [] if value_ok and isinstance(node["unit"], str) and node["unit"] else [key]
            return own + numbers_without_unit(extras, key)
        return [p for k, v in node.items() for p in numbers_without_unit(v, f"{key}.{k}")]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in numbers_without_unit(v, f"{key}[{i}]")]
    identifier = key.rsplit(".", 1)[-1] in {"year", "scope", "data_year", "vintage", "category"}
    is_number = isinstance(node, int | float) and not isinstance(node, bool)
    return [key] if is_number and not identifier else []


def test_json_contract_has_a_unit_next_to_every_figure() -> None:
    inventory = run(
        [record("F1", "electricity", 1000.0, "kWh"),
         record("F1", "refrigerant", 10.0, "kg", gas="R-410A"),
         record("F1", "water_running", 5.0, "t")],
        groups={"Offices": ["F1"]},
    )
    contract = inventory.to_dict()
    assert contract["schema"] == SCHEMA == "envledger.inventory/1"
    assert set(contract) == {"schema", "year", "gwp_set", "series_priority",
                             "excluded_series", "company",
                             "by_scope", "by_source", "by_gas", "facilities", "groups",
                             "intensities", "factors_used", "by_iso_category",
                             "instruments", "scope2_market_basis", "factors_not_used",
                             "energy_by_carrier"}
    assert numbers_without_unit(contract) == []
    # 1 MWh x 0.5703 + 19.235 (R-410A) = 19.8053 t, unrounded
    total = contract["company"]["emissions"]["total"]
    assert (total["value"], total["unit"]) == (pytest.approx(19.8053), "tCO2e")
    assert contract["company"]["energy"]["standard_coal"]["unit"] == "tce"
    assert contract["by_scope"][1] == {"scope": 2, "method": "location",
                                       "emissions": {"value": pytest.approx(0.5703),
                                                     "unit": "tCO2e"}}
    (used,) = contract["factors_used"]
    assert (used["factor_id"], used["factor"], used["kg_per_canonical"]) == (
        "cn_grid", {"value": 0.5703, "unit": "t/MWh"},
        {"value": pytest.approx(570.3), "unit": "kg CO2/MWh"})
    assert contract["facilities"][0]["code"] == "F1"
    assert contract["groups"][0]["name"] == "Offices"
    assert len(contract["intensities"]) == 7


AR6 = {"AR6": {"CO2": 1, "CH4": 27.9, "N2O": 273}, "AR5": {"CO2": 1, "CH4": 28, "N2O": 265}}


def test_ar6_methane_of_combustion_and_wastewater_is_non_fossil_27() -> None:
    # GHG Protocol GWP values (2024), AR6 Table 7.15: CH4 fossil 29.8, non-fossil 27.0;
    # combustion CH4 (carbon already in the fuel's CO2) and biogenic wastewater CH4 take
    # 27.0, not AR6 Table 7.SM.7's single 27.9 (FACTORS.md section 4).
    factors = [*fuel_factors("natural_gas", 2.1622, 0.000194655, 0.0000038931),
               factor("reactor", "wastewater_cod", "CH4", 0.2, variant="anaerobic_reactor")]
    records = [record("F1", "natural_gas", 1000.0, "m3"),
               record("F1", "wastewater_cod", 1000.0, "kg", variant="anaerobic_reactor")]
    lines = {(r["activity"], r["gas"]): r
             for r in run(records, factors, gwp_set="AR6", gwp=AR6).lines.to_pylist()}
    gas_ch4, water_ch4 = lines[("natural_gas", "CH4")], lines[("wastewater_cod", "CH4")]
    # 1000 m3 x 0.000194655 kg/m3 = 0.194655 kg CH4 x 27.0 / 1000 = 0.005255685 t
    assert (gas_ch4["gwp"], gas_ch4["t_co2e"]) == (27.0, pytest.approx(0.005255685))
    # 1000 kg COD x 0.2 kg CH4/kg COD = 200 kg CH4 x 27.0 / 1000 = 5.4 t
    assert (water_ch4["gwp"], water_ch4["t_co2e"]) == (27.0, pytest.approx(5.4))
    assert "non-fossil 27.0" in gas_ch4["gwp_note"] and "combustion" in gas_ch4["gwp_note"]
    assert "biogenic" in water_ch4["gwp_note"]
    assert lines[("natural_gas", "CO2")]["gwp_note"] == ""
    # AR5 keeps its single CH4 value: 200 kg x 28 / 1000 = 5.6 t
    ar5 = run(records, factors, gwp_set="AR5", gwp=AR6).lines.to_pylist()
    assert {r["gwp"] for r in ar5 if r["gas"] == "CH4"} == {28.0}


def test_ar6_fugitive_methane_is_fossil() -> None:
    # CH4 recharged as a gas (fugitive, fossil origin): 10 kg x 29.8 / 1000 = 0.298 t
    (line,) = run([record("F1", "refrigerant", 10.0, "kg", gas="CH4")], [],
                  gwp_set="AR6", gwp=AR6).lines.to_pylist()
    assert (line["gwp"], line["t_co2e"]) == (29.8, pytest.approx(0.298))
    assert "fossil 29.8" in line["gwp_note"]
