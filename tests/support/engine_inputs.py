"""Hand-made engine inputs: literal tables that the engine and methodology tests build on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from envledger import data
from envledger.engine import InventoryInputs
from envledger.engine.schemas import (
    ACTIVITY_SCHEMA,
    CANONICAL_FACTOR_SCHEMA,
    FACILITY_SCHEMA,
    FACILITY_YEAR_SCHEMA,
)
from envledger.methods.energy import build_energy_coefficients
from envledger.methods.gwp import GWP_SETS, gwp_table
from envledger.methods.units import build_unit_conversions, factors_to_canonical

CATALOG_CSV = Path(__file__).resolve().parents[2] / "src" / "envledger" / "data" / "activities.csv"
YEAR = 2023

# (activity, unit, to_canonical [canonical unit per unit], note)
UNIT_CONVERSIONS = [
    ("electricity", "kWh", 0.001, "1 kWh = 0.001 MWh"),
    ("electricity", "MWh", 1.0, ""),
    ("heat", "GJ", 1.0, ""),
    ("natural_gas", "m3", 1.0, ""),
    ("diesel", "t", 1.0, ""),
    ("diesel", "L", 0.00084, "density 0.84 kg/L"),
    ("gasoline_vehicle", "t", 1.0, ""),
    ("refrigerant", "kg", 1.0, ""),
    ("refrigerant", "g", 0.001, "1 g = 0.001 kg"),
    ("fire_suppressant", "kg", 1.0, ""),
    ("wastewater_cod", "kg", 1.0, ""),
    ("wastewater_cod", "t", 1000.0, "1 t = 1000 kg"),
    ("water_running", "t", 1.0, ""),
    ("water_running", "m3", 1.0, "water density 1 t/m3"),
    ("water_reclaimed", "t", 1.0, ""),
    ("waste_hazardous", "t", 1.0, ""),
    ("waste_hazardous", "kg", 0.001, "1 kg = 0.001 t"),
    ("waste_non_hazardous", "t", 1.0, ""),
]
# (activity, mwh_per_canonical, kgce_per_canonical), GB/T 2589-2020 coefficients:
# electricity 0.1229 kgce/kWh = 122.9 kgce/MWh; natural gas NCV 0.038931 GJ/m3 / 3.6
# GJ/MWh = 0.0108142 MWh/m3 and 1.33 kgce/m3; diesel 43 GJ/t / 3.6 = 11.9444 MWh/t and
# 1.4571 kgce/kg = 1457.1 kgce/t; heat 1/3.6 MWh/GJ and 34.12 kgce/GJ; gasoline 44.3 GJ/t
# and 1.4714 kgce/kg.
ENERGY_COEFFICIENTS = [
    ("electricity", 1.0, 122.9),
    ("natural_gas", 0.038931 / 3.6, 1.33),
    ("diesel", 43.0 / 3.6, 1457.1),
    ("heat", 1 / 3.6, 34.12),
    ("gasoline_vehicle", 44.3 / 3.6, 1471.4),
]
GWP = {
    "AR4": {"CO2": 1, "CH4": 25, "N2O": 298, "HFC-32": 675, "HFC-125": 3500,
            "HFC-134a": 1430, "SF6": 22800, "CF4": 7390},
    "AR5": {"CO2": 1, "CH4": 28, "N2O": 265, "HFC-32": 677, "HFC-125": 3170,
            "HFC-134a": 1300, "SF6": 23500, "CF4": 6630},
}
BLENDS = [
    ("R-410A", "HFC-32", 0.5),
    ("R-410A", "HFC-125", 0.5),
    ("R-407C", "HFC-32", 0.23),
    ("R-407C", "HFC-125", 0.25),
    ("R-407C", "HFC-134a", 0.52),
]


def catalog() -> pa.Table:
    """The shipped activity catalog, every column read as text."""
    names = CATALOG_CSV.read_text().splitlines()[0].split(",")
    return pacsv.read_csv(
        CATALOG_CSV,
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
        ),
    )


def record(
    facility: str,
    activity: str,
    quantity: float,
    unit: str,
    start: str = f"{YEAR}-01-01",
    end: str = f"{YEAR}-12-31",
    gas: str = "",
    variant: str = "",
    data_source: str | None = None,
    uncertainty_pct: float | None = None,
) -> dict[str, Any]:
    """One activity record (record_id is assigned by :func:`make_inputs`); data_source
    None = not stated, uncertainty_pct [%] None = the default of the data source."""
    return {
        "facility_code": facility, "period_start": dt.date.fromisoformat(start),
        "period_end": dt.date.fromisoformat(end), "activity": activity,
        "quantity": quantity, "unit": unit, "gas": gas, "variant": variant,
        "data_source": data_source, "uncertainty_pct": uncertainty_pct,
    }


def facility(
    code: str,
    country: str = "CN",
    province: str = "CN-GD",
    grid_region: str = "CN-South",
    type: str = "office",
    sector: str = "",
) -> dict[str, Any]:
    """One facility row."""
    return {"code": code, "name": f"Site {code}", "type": type, "country": country,
            "province": province, "grid_region": grid_region, "sector": sector}


def factor(
    factor_id: str,
    activity: str,
    gas: str,
    kg_per_canonical: float,
    tier: str = "national",
    geography_code: str = "CN",
    series: str = "test_series",
    sector: str = "",
    data_year: int | None = None,
    valid_from: int | None = None,
    valid_to: int | None = None,
    variant: str = "",
    origin: str = "builtin",
    value: float | None = None,
    unit: str | None = None,
) -> dict[str, Any]:
    """One factor row; value/unit default to kg_per_canonical in kg per canonical unit."""
    return {
        "factor_id": factor_id, "series": series, "activity": activity,
        "variant": variant, "gas": gas,
        "value": kg_per_canonical if value is None else value,
        "unit": unit or "kg/canonical", "tier": tier, "geography_code": geography_code,
        "sector": sector, "data_year": data_year, "valid_from": valid_from,
        "valid_to": valid_to, "citation": f"citation of {factor_id}", "confidence": "V1",
        "note": "", "origin": origin, "kg_per_canonical": kg_per_canonical,
        "conversion_note": "",
    }


def electricity_factor(factor_id: str, t_per_mwh: float, **kwargs: Any) -> dict[str, Any]:
    """A CO2 factor for electricity published in t/MWh (kg_per_canonical = 1000 x it)."""
    return factor(factor_id, "electricity", "CO2", t_per_mwh * 1000,
                  value=t_per_mwh, unit="t/MWh", **kwargs)


def fuel_factors(activity: str, co2: float, ch4: float, n2o: float) -> list[dict[str, Any]]:
    """National CO2, CH4 and N2O factors of a fuel [kg gas per canonical unit]."""
    return [
        factor(f"{activity}_{gas}", activity, gas, value)
        for gas, value in (("CO2", co2), ("CH4", ch4), ("N2O", n2o))
    ]


def make_inputs(
    records: list[dict[str, Any]],
    facilities: list[dict[str, Any]],
    factors: list[dict[str, Any]],
    facility_years: list[dict[str, Any]] | None = None,
    groups: dict[str, list[str]] | None = None,
    gwp: dict[str, dict[str, float]] | None = None,
    energy_coefficients: list[tuple[str, float, float]] | None = None,
) -> InventoryInputs:
    """Engine inputs from small lists of rows.

    By default every facility is in the boundary in YEAR with 1000 m2 and 10 people.
    """
    if facility_years is None:
        facility_years = [
            {"facility_code": f["code"], "year": YEAR, "floor_area_m2": 1000.0,
             "headcount": 10.0, "in_boundary": True}
            for f in facilities
        ]
    groups = groups or {}
    gwp = GWP if gwp is None else gwp
    energy_coefficients = ENERGY_COEFFICIENTS if energy_coefficients is None else (
        energy_coefficients
    )
    members = [(g, code) for g, codes in groups.items() for code in codes]
    gwp_rows = [(s, gas, float(v)) for s, values in gwp.items() for gas, v in values.items()]
    return InventoryInputs(
        activities=pa.Table.from_pylist(
            [{"record_id": i + 1, **r} for i, r in enumerate(records)], schema=ACTIVITY_SCHEMA
        ),
        facilities=pa.Table.from_pylist(facilities, schema=FACILITY_SCHEMA),
        facility_years=pa.Table.from_pylist(facility_years, schema=FACILITY_YEAR_SCHEMA),
        group_members=pa.table(
            {"group_name": [m[0] for m in members], "facility_code": [m[1] for m in members]},
            schema=pa.schema([("group_name", pa.string()), ("facility_code", pa.string())]),
        ),
        factors=pa.Table.from_pylist(factors, schema=CANONICAL_FACTOR_SCHEMA),
        gwp=pa.table(
            {"gwp_set": [r[0] for r in gwp_rows], "gas": [r[1] for r in gwp_rows],
             "value": [r[2] for r in gwp_rows]},
            schema=pa.schema([("gwp_set", pa.string()), ("gas", pa.string()),
                              ("value", pa.float64())]),
        ),
        blends=pa.table(
            {"blend": [b[0] for b in BLENDS], "component": [b[1] for b in BLENDS],
             "mass_fraction": [b[2] for b in BLENDS]}
        ),
        unit_conversions=pa.table(
            {name: [u[i] for u in UNIT_CONVERSIONS]
             for i, name in enumerate(("activity", "unit", "to_canonical", "note"))}
        ),
        energy_coefficients=pa.table(
            {"activity": [e[0] for e in energy_coefficients],
             # Each test activity is its own carrier (diesel stays diesel).
             "carrier": [e[0] for e in energy_coefficients],
             "mwh_per_canonical": [e[1] for e in energy_coefficients],
             "kgce_per_canonical": [e[2] for e in energy_coefficients],
             "energy_note": [f"{e[1]:g} MWh, {e[2]:g} kgce per canonical unit"
                             for e in energy_coefficients]},
            schema=pa.schema([("activity", pa.string()), ("carrier", pa.string()),
                              ("mwh_per_canonical", pa.float64()),
                              ("kgce_per_canonical", pa.float64()),
                              ("energy_note", pa.string())]),
        ),
        catalog=catalog(),
    )



def reference_inputs(
    records: list[dict[str, Any]],
    facilities: list[dict[str, Any]],
    facility_years: list[dict[str, Any]] | None = None,
    groups: dict[str, list[str]] | None = None,
) -> InventoryInputs:
    """Hand-made records and facilities over the shipped catalog, factors, GWPs and
    energy data (the same builders the ledger uses)."""
    catalog = data.load_activity_catalog()
    fuels = data.load_fuel_properties()
    blends = data.load_gwp_blends()
    own = make_inputs(records, facilities, [], facility_years=facility_years, groups=groups)
    return InventoryInputs(
        activities=own.activities,
        facilities=own.facilities,
        facility_years=own.facility_years,
        group_members=own.group_members,
        factors=factors_to_canonical(data.load_factors(), catalog, fuels),
        gwp=pa.concat_tables([gwp_table(s, blends) for s in GWP_SETS]),
        blends=blends,
        unit_conversions=build_unit_conversions(catalog, fuels),
        energy_coefficients=build_energy_coefficients(
            catalog, data.load_energy_coefficients(), fuels, data.load_energy_carriers()),
        catalog=catalog,
    )
