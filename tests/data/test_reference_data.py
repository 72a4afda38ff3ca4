"""Built-in reference data: provenance on every row, coverage, and consistency."""

from __future__ import annotations

import re
from collections.abc import Callable

import pyarrow as pa
import pytest

from envledger.data import (
    FACTOR_SCHEMA,
    library_version,
    load_activity_catalog,
    load_energy_carriers,
    load_energy_coefficients,
    load_factors,
    load_fuel_properties,
    load_gwp_blends,
)
from envledger.methods.factor_selection import TIERS, data_year_preference, is_candidate
from envledger.methods.gwp import gas_group
from envledger.methods.units import factors_to_canonical
from envledger.settings import Settings

CATALOG = load_activity_catalog().to_pylist()
FACTORS = load_factors().to_pylist()
SECTORS = ("commercial", "manufacturing")
TREATMENTS = ("aerobic_well_managed", "aerobic_primary", "anaerobic_reactor", "anaerobic_lagoon",
              "anaerobic_lagoon_deep")
CITED: list[Callable[[], pa.Table]] = [
    load_factors,
    load_fuel_properties,
    load_energy_coefficients,
    load_gwp_blends,
]


def _series(name: str) -> list[dict]:
    return [f for f in FACTORS if f["series"] == name]


def test_version() -> None:
    assert re.fullmatch(r"\d{4}\.\d+\.\d+", library_version())


@pytest.mark.parametrize("loader", CITED, ids=lambda f: f.__name__)
def test_every_row_has_citation_and_confidence(loader: Callable[[], pa.Table]) -> None:
    for row in loader().to_pylist():
        assert len(row["citation"]) > 10, row
        assert row["confidence"] in ("V1", "V2", "NV"), row


def test_factor_table_types() -> None:
    table = load_factors()
    assert table.schema == FACTOR_SCHEMA.append(pa.field("origin", pa.string()))
    assert set(table["origin"].to_pylist()) == {"builtin"}
    assert table["variant"].null_count == table["sector"].null_count == 0


def test_factor_rows_are_well_formed() -> None:
    activities = {a["activity"] for a in CATALOG}
    ids = [f["factor_id"] for f in FACTORS]
    assert len(ids) == len(set(ids))
    for f in FACTORS:
        assert f["activity"] in activities, f
        assert f["tier"] in TIERS, f
        assert (f["geography_code"] == "*") == (f["tier"] == "international"), f
        assert f["sector"] in ("", *SECTORS), f
        assert (f["variant"] != "") <= (f["activity"] in ("wastewater_cod",
                                                          "gasoline_vehicle")), f
        assert (f["variant"] != "") >= (f["activity"] == "wastewater_cod"), f
        assert f["value"] >= 0, f
        gas_group(f["gas"])


def test_every_factor_converts_to_its_canonical_unit() -> None:
    converted = factors_to_canonical(
        load_factors(), load_activity_catalog(), load_fuel_properties()
    )
    assert converted["kg_per_canonical"].null_count == 0


def _cn_factor(activity: str, gas: str, sector: str, variant: str, year: int) -> list[dict]:
    return [
        f
        for f in FACTORS
        if f["activity"] == activity
        and f["gas"] == gas
        and f["variant"] == variant
        and f["sector"] in ("", sector)
        and f["geography_code"] in ("CN", "*")
        and not f["series"].endswith("_residual_mix")
        and is_candidate(year, f["valid_from"], f["valid_to"])
    ]


@pytest.mark.parametrize("sector", SECTORS)
@pytest.mark.parametrize("year", [2015, 2019, 2023, 2026])
def test_a_china_facility_never_misses_a_factor(sector: str, year: int) -> None:
    for activity in (a for a in CATALOG if a["emission_method"] == "factor"):
        variants = TREATMENTS if activity["variant_column"] == "treatment" else ("",)
        for gas in activity["required_gases"].split():
            for variant in variants:
                found = _cn_factor(activity["activity"], gas, sector, variant, year)
                assert found, (activity["activity"], gas, sector, variant, year)


def test_the_two_china_electricity_series_are_kept_apart() -> None:
    ets = _series("cn_ets_grid")
    mee = _series("cn_mee_nbs_electricity")
    assert {f["value"] for f in ets} == {0.6101, 0.5810, 0.5703}
    assert {f["unit"] for f in ets} == {"t/MWh"}
    assert {f["unit"] for f in mee} == {"kg/kWh"}
    assert not {f["factor_id"] for f in ets} & {f["factor_id"] for f in mee}
    national = {f["data_year"]: f["value"] for f in mee if f["tier"] == "national"}
    assert national == {2021: 0.5568, 2022: 0.5366, 2023: 0.5306}
    regions = {f["geography_code"] for f in mee if f["tier"] == "regional"}
    assert regions == {
        "CN-North",
        "CN-Northeast",
        "CN-East",
        "CN-Central",
        "CN-Northwest",
        "CN-South",
        "CN-Southwest",
    }
    provinces = {f["geography_code"]: f["value"] for f in mee if f["tier"] == "local"}
    assert provinces == {
        "CN-HE": 0.7252,
        "CN-SX": 0.7096,
        "CN-TJ": 0.7041,
        "CN-NM": 0.6849,
        "CN-AH": 0.6782,
        "CN-FJ": 0.4092,
        "CN-GX": 0.4044,
        "CN-QH": 0.1567,
        "CN-SC": 0.1404,
        "CN-YN": 0.1073,
    }


def test_series_named_in_settings_exist() -> None:
    series = {f["series"] for f in FACTORS}
    assert set(Settings().series_priority) - {"user"} <= series


def test_published_check_2023_office_scope2() -> None:
    # FACTORS.md section 7: 258,764.96 kWh in 2023 -> 147.57 t at the carbon-market
    # factor. The data-year rule picks data year 2022 (0.5703) for reporting year 2023:
    # 258.76496 MWh x 0.5703 t/MWh = 147.5736 t
    ets = _series("cn_ets_grid")
    chosen = min(ets, key=lambda f: data_year_preference(2023, f["data_year"]))
    assert chosen["value"] == 0.5703
    assert round(258_764.96 / 1000 * chosen["value"], 2) == 147.57


def test_residual_mix_is_a_separate_national_series() -> None:
    residual = [f for f in FACTORS if f["series"].endswith("_residual_mix")]
    assert {f["series"] for f in residual} == {"cn_mee_nbs_residual_mix"}
    assert {(f["activity"], f["tier"], f["geography_code"]) for f in residual} == {
        ("electricity", "national", "CN")
    }
    assert {f["data_year"]: f["value"] for f in residual} == {
        2021: 0.5942,
        2022: 0.5856,
        2023: 0.6096,
    }


def test_legacy_ndrc_factors_are_flagged_and_expire() -> None:
    legacy = _series("cn_ndrc_2012_regional")
    assert len(legacy) == 6
    for f in legacy:
        assert (f["tier"], f["valid_to"], f["confidence"]) == ("regional", 2015, "V2")
        assert "weak" in f["note"]


def test_india_one_factor_per_financial_year() -> None:
    cea = _series("in_cea_baseline")
    assert {(f["tier"], f["geography_code"]) for f in cea} == {("national", "IN")}
    years = sorted(f["data_year"] for f in cea)
    assert years == list(range(2020, 2025))
    for f in cea:
        assert f["note"].startswith(f"FY{f['data_year']}-{(f['data_year'] + 1) % 100:02d}")


def test_unverified_values_are_tagged_nv() -> None:
    mobile_non_co2 = [
        f for f in FACTORS if f["activity"].endswith("_vehicle") and f["gas"] in ("CH4", "N2O")
    ]
    assert len(mobile_non_co2) == 8
    assert {f["confidence"] for f in mobile_non_co2} == {"NV"}
    densities = [
        p
        for p in load_fuel_properties().to_pylist()
        if p["property"] == "density" and p["unit"] == "kg/L"
    ]
    assert {p["confidence"] for p in densities} == {"NV"}


def test_fuel_properties_bridge_every_volume_or_energy_unit() -> None:
    props = {(p["activity"], p["property"]) for p in load_fuel_properties().to_pylist()}
    for activity in CATALOG:
        units = activity["units"].split()
        if activity["canonical_unit"] == "t" and ("L" in units or "m3" in units):
            assert (activity["activity"], "density") in props
        if activity["energy_class"] == "direct":
            assert (activity["activity"], "ncv") in props
    natural_gas = [p for p in load_fuel_properties().to_pylist() if p["activity"] == "natural_gas"]
    # 389.31 GJ / 10^4 m3 = 0.038931 GJ/m3
    assert natural_gas[0]["value"] == pytest.approx(389.31 / 10_000, rel=1e-12)


def test_energy_coefficients_cover_every_energy_activity() -> None:
    coefficients = {
        (c["activity"]): (c["value"], c["unit"]) for c in load_energy_coefficients().to_pylist()
    }
    energy = {a["activity"] for a in CATALOG if a["energy_class"] in ("direct", "indirect")}
    assert set(coefficients) == energy
    assert coefficients["electricity"] == (0.1229, "kgce/kWh")
    assert coefficients["heat"] == (0.03412, "kgce/MJ")
    assert coefficients["natural_gas"] == (1.33, "kgce/m3")
    assert coefficients["lpg"] == (1.7143, "kgce/kg")


def test_blend_fractions_sum_to_one_and_name_known_gases() -> None:
    totals: dict[str, float] = {}
    for row in load_gwp_blends().to_pylist():
        assert gas_group(row["component"]) == "HFCs"
        totals[row["blend"]] = totals.get(row["blend"], 0.0) + row["mass_fraction"]
    assert set(totals) == {"R-410A", "R-407C", "R-404A", "R-507A"}
    for blend, total in totals.items():
        assert total == pytest.approx(1.0, abs=1e-12), blend


def test_mee_2021_regional_factors_are_shipped() -> None:
    # FACTORS.md section 2: MEE/NBS data year 2021, seven grid regions [kg CO2/kWh]
    mee_2021 = {f["geography_code"]: f["value"] for f in _series("cn_mee_nbs_electricity")
                if f["tier"] == "regional" and f["data_year"] == 2021}
    assert mee_2021 == {"CN-North": 0.7120, "CN-Northeast": 0.6012, "CN-East": 0.5992,
                        "CN-Central": 0.5354, "CN-Northwest": 0.5951, "CN-South": 0.4326,
                        "CN-Southwest": 0.2113}


def test_citations_name_the_release_version_and_variant() -> None:
    assert all("2011 and 2012" in f["citation"] for f in _series("cn_ndrc_2012_regional"))
    for f in _series("in_cea_baseline"):
        assert "incl. RES" in f["citation"] and "version" in f["citation"], f
    (gas,) = [f for f in FACTORS if f["factor_id"] == "cn_guideline_fuel_natural_gas_CO2"]
    assert "1.3300 kgce/m3" in gas["note"] and "GB/T 2589-2020" in gas["note"]


def test_gasoline_vehicle_technologies_of_ipcc_table_3_2_2() -> None:
    # kg/TJ by technology ('' = uncontrolled, the default): CH4, N2O
    rows = {(f["variant"], f["gas"]): f["value"] for f in FACTORS
            if f["activity"] == "gasoline_vehicle" and f["gas"] != "CO2"}
    assert rows == {("", "CH4"): 33, ("", "N2O"): 3.2,
                    ("oxidation_catalyst", "CH4"): 25, ("oxidation_catalyst", "N2O"): 8.0,
                    ("low_mileage_1995", "CH4"): 3.8, ("low_mileage_1995", "N2O"): 5.7}


def test_every_energy_activity_has_one_carrier() -> None:
    carriers = load_energy_carriers().to_pylist()
    energy = {a["activity"] for a in CATALOG if a["energy_class"] in ("direct", "indirect")}
    assert sorted(c["activity"] for c in carriers) == sorted(energy)
    assert all(c["carrier"] and c["label"] and c["citation"] for c in carriers)


def test_ipcc_per_energy_factors_on_a_mass_have_the_ipcc_ncv() -> None:
    # A kg/TJ IPCC factor is applied with the IPCC NCV it was derived with; without an
    # ncv_ipcc row it would silently take the GB/T value and change emissions.
    props = {(p["activity"], p["property"]) for p in load_fuel_properties().to_pylist()}
    canonical = {a["activity"]: a["canonical_unit"] for a in CATALOG}
    per_energy = {f["activity"] for f in FACTORS
                  if f["series"].startswith("ipcc2006") and f["unit"].endswith("/TJ")}
    on_mass = sorted(a for a in per_energy if canonical[a] == "t")
    assert on_mass == ["diesel", "diesel_vehicle", "gasoline", "gasoline_vehicle", "lpg"]
    assert [a for a in on_mass if (a, "ncv_ipcc") not in props] == []
