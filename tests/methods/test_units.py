"""Units: user spellings, pint factors, dimension bridges and factor conversion."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from envledger.data import load_activity_catalog, load_factors, load_fuel_properties
from envledger.errors import ReferenceDataError, UnitError
from envledger.methods.units import (
    activity_conversion,
    build_unit_conversions,
    conversion_factor,
    factor_to_canonical,
    factors_to_canonical,
    normalize_unit,
)

CATALOG = load_activity_catalog()
PROPS = load_fuel_properties()
amounts = st.floats(min_value=1e-6, max_value=1e12, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("kWh", "kWh"),
        ("kwh", "kWh"),
        ("KWH", "kWh"),
        (" kWh ", "kWh"),
        ("kW·h", "kWh"),
        ("度", "kWh"),
        ("MWh", "MWh"),
        ("mwh", "MWh"),
        ("GWh", "GWh"),
        ("m³", "m3"),
        ("m3", "m3"),
        ("M3", "m3"),
        ("m^3", "m3"),
        ("L", "L"),
        ("l", "L"),
        ("litre", "L"),
        ("liter", "L"),
        ("t", "t"),
        ("tonne", "t"),
        ("tonnes", "t"),
        ("kg", "kg"),
        ("g", "g"),
        ("GJ", "GJ"),
        ("gj", "GJ"),
        ("MJ", "MJ"),
        ("TJ", "TJ"),
        ("tce", "tce"),
    ],
)
def test_normalize_unit_accepts_user_spellings(typed: str, expected: str) -> None:
    assert normalize_unit(typed) == expected


@pytest.mark.parametrize("typed", ["", "kWh/m", "Nm3", "bbl"])
def test_normalize_unit_rejects_unknown(typed: str) -> None:
    with pytest.raises(UnitError, match="known units"):
        normalize_unit(typed)


@pytest.mark.parametrize(
    ("typed", "instead"),
    [("gallon", "'US gal'"), ("gal", "'US gal'"), ("ton", "'short ton'"), ("Tons", "'t'")],
)
def test_normalize_unit_refuses_ambiguous_spellings_saying_what_to_write(
    typed: str, instead: str
) -> None:
    with pytest.raises(UnitError, match="ambiguous") as caught:
        normalize_unit(typed)
    assert instead in str(caught.value)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Mcf", "Mcf"), ("MCF", "Mcf"), ("ccf", "ccf"), ("HCF", "ccf"), ("scf", "scf"),
        ("cubic feet", "scf"), ("ft³", "scf"), ("therms", "therm"), ("Dth", "MMBtu"),
        ("mmbtu", "MMBtu"), ("US gallons", "US_gal"), ("short tons", "short_ton"),
        ("kWh (gross)", "kWh_gross"), ("kwh HHV", "kWh_gross"),
    ],
)
def test_normalize_unit_accepts_invoice_units(typed: str, expected: str) -> None:
    assert normalize_unit(typed) == expected


@pytest.mark.parametrize(
    ("from_unit", "to_unit", "expected"),
    [
        ("Mcf", "m3", 28.316846592),  # 1000 ft3 x (0.3048 m)^3 = 28.3168 m3
        ("ccf", "m3", 2.8316846592),  # 100 ft3
        ("scf", "m3", 0.028316846592),  # (0.3048 m)^3
        ("therm", "MJ", 105.5056),  # 10^5 Btu_IT x 1055.056 J/Btu_IT
        ("MMBtu", "GJ", 1.055056),  # 10^6 Btu_IT x 1055.056 J
        ("US_gal", "L", 3.785411784),  # 231 in3 x (0.0254 m)^3 = 3.785411784 L
        ("short_ton", "kg", 907.18474),  # 2000 lb x 0.45359237 kg/lb
        ("short_ton", "t", 0.90718474),
    ],
)
def test_invoice_unit_conversions_worked_by_hand(
    from_unit: str, to_unit: str, expected: float
) -> None:
    assert conversion_factor(from_unit, to_unit) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("from_unit", "to_unit", "expected"),
    [
        ("kWh", "MWh", 0.001),  # 1 kWh = 1/1000 MWh
        ("MWh", "GJ", 3.6),  # 1 MWh = 3.6e9 J = 3.6 GJ
        ("L", "m3", 0.001),  # 1 L = 1 dm3
        ("t", "kg", 1000.0),
        ("tce", "GJ", 29.3076),  # 1 tce = 1000 kgce x 29.3076 MJ/kgce
        ("tce", "MWh", 8.141),  # 29.3076 GJ / 3.6 GJ/MWh = 8.141 MWh
        ("kg/kWh", "t/MWh", 1.0),  # kg x 1000 / (kWh x 1000)
    ],
)
def test_conversion_factor(from_unit: str, to_unit: str, expected: float) -> None:
    assert conversion_factor(from_unit, to_unit) == pytest.approx(expected, rel=1e-12)


def test_conversion_factor_refuses_incompatible_dimensions() -> None:
    with pytest.raises(UnitError, match="dimensions differ"):
        conversion_factor("kWh", "kg")


@given(amounts)
def test_mwh_kwh_round_trip(mwh: float) -> None:
    back = mwh * conversion_factor("MWh", "kWh") * conversion_factor("kWh", "MWh")
    assert math.isclose(back, mwh, rel_tol=1e-12)


@given(amounts)
def test_mwh_tce_round_trip_within_gbt_tolerance(mwh: float) -> None:
    # Out with the published GB/T 2589-2020 coefficient (0.1229 kgce/kWh), back with
    # the kcal definition (1 kgce = 29.3076 MJ): 0.1229 x 8.141 = 1.00053, inside 0.15 %.
    tce = mwh * 1000 * 0.1229 / 1000
    back = tce * conversion_factor("tce", "MWh")
    assert math.isclose(back, mwh, rel_tol=0.0015)


def _conversion(table: pa.Table, activity: str, unit: str) -> tuple[float, str]:
    rows = [r for r in table.to_pylist() if r["activity"] == activity and r["unit"] == unit]
    assert len(rows) == 1
    return rows[0]["to_canonical"], rows[0]["note"]


def test_build_unit_conversions_covers_every_catalog_unit() -> None:
    table = build_unit_conversions(CATALOG, PROPS)
    expected = {
        (row["activity"], unit) for row in CATALOG.to_pylist() for unit in row["units"].split()
    }
    assert set(zip(table["activity"].to_pylist(), table["unit"].to_pylist(), strict=True)) == (
        expected
    )
    assert table.num_rows == len(expected)
    assert table.schema.field("to_canonical").type == pa.float64()


@pytest.mark.parametrize(
    ("activity", "unit", "expected", "via"),
    [
        ("electricity", "kWh", 0.001, None),  # 1 kWh = 0.001 MWh
        ("electricity", "GWh", 1000.0, None),
        ("heat", "MWh", 3.6, None),  # 1 MWh = 3.6 GJ
        ("diesel", "L", 0.00084, "density 0.84 kg/L"),  # 1 L x 0.84 kg/L / 1000 = 0.00084 t
        ("gasoline", "L", 0.000745, "density 0.745 kg/L"),  # 1 L x 0.745 kg/L / 1000
        ("lpg", "kg", 0.001, None),
        ("natural_gas", "GJ", 1 / 0.038931, "ncv 0.038931 GJ/m3"),  # 1 GJ / 0.038931 GJ/m3
        ("natural_gas", "kWh", 0.0036 / 0.038931, "ncv"),  # 0.0036 GJ / 0.038931 GJ/m3
        ("water_running", "m3", 1.0, "density 1 t/m3"),  # 1 m3 x 1 t/m3
        ("refrigerant", "g", 0.001, None),
    ],
)
def test_build_unit_conversions_values(
    activity: str, unit: str, expected: float, via: str | None
) -> None:
    factor, note = _conversion(build_unit_conversions(CATALOG, PROPS), activity, unit)
    assert factor == pytest.approx(expected, rel=1e-12)
    assert (via in note) if via else ("via" not in note)


def _catalog_with_units(activity: str, units: str) -> pa.Table:
    rows = [row for row in CATALOG.to_pylist() if row["activity"] == activity]
    rows[0]["units"] = units
    return pa.Table.from_pylist(rows, schema=CATALOG.schema)


def test_incompatible_catalog_unit_names_activity_unit_and_allowed_units() -> None:
    with pytest.raises(UnitError) as caught:
        build_unit_conversions(_catalog_with_units("refrigerant", "kg m3"), PROPS)
    message = str(caught.value)
    assert "'refrigerant'" in message
    assert "'m3'" in message
    assert "allowed units: kg m3" in message


def test_unknown_catalog_unit_is_a_unit_error() -> None:
    with pytest.raises(UnitError, match="'diesel', unit 'gal'"):
        build_unit_conversions(_catalog_with_units("diesel", "L gal"), PROPS)


def test_activity_conversion_bridges_through_ncv() -> None:
    # Energy uses GB/T 2589-2020: 1 t diesel x 42.652 GJ/t / 3.6 GJ/MWh = 11.8478 MWh
    amount, note = activity_conversion("diesel", "t", "MWh", PROPS)
    assert amount == pytest.approx(42.652 / 3.6, rel=1e-12)
    assert note == "t -> MWh via ncv 42.652 GJ/t"


@pytest.mark.parametrize(
    ("unit", "expected", "via"),
    [
        # Gross units through the gross calorific value 0.043257 GJ/m3 (= 0.038931 / 0.9):
        # 1 therm = 0.1055056 GJ / 0.043257 GJ/m3 = 2.439087 m3
        ("therm", 0.1055056 / 0.043257, "gcv 0.043257 GJ/m3"),
        ("MMBtu", 1.055056 / 0.043257, "gcv 0.043257 GJ/m3"),  # 24.39087 m3
        # UK/EU bills' gross kWh: 0.0036 GJ / 0.043257 GJ/m3 = 0.0832235 m3
        ("kWh_gross", 0.0036 / 0.043257, "gcv 0.043257 GJ/m3"),
        # Net units through the net value: 1 kWh = 0.0036 GJ / 0.038931 GJ/m3
        ("kWh", 0.0036 / 0.038931, "ncv 0.038931 GJ/m3"),
        ("Mcf", 28.316846592, None),  # a volume: no calorific value needed
    ],
)
def test_natural_gas_invoice_units_to_m3(unit: str, expected: float, via: str | None) -> None:
    amount, note = activity_conversion("natural_gas", unit, "m3", PROPS)
    assert amount == pytest.approx(expected, rel=1e-12)
    assert (via in note) if via else ("via" not in note)


def test_a_therm_of_gas_is_ninety_percent_net_energy() -> None:
    # therm -> m3 by the gross value, m3 -> MWh by the net value:
    # 105.5056 MJ gross x (0.038931 / 0.043257) = 94.9543 MJ net = 0.02637619 MWh
    to_m3, _ = activity_conversion("natural_gas", "therm", "m3", PROPS)
    to_mwh, _ = activity_conversion("natural_gas", "m3", "MWh", PROPS)
    assert to_m3 * to_mwh == pytest.approx(0.1055056 * 0.038931 / 0.043257 / 3.6, rel=1e-12)
    assert to_m3 * to_mwh == pytest.approx(0.02637619, rel=1e-6)


def test_us_gallon_of_diesel_to_tonnes() -> None:
    # 3.785411784 L x 0.84 kg/L / 1000 kg/t = 0.00317974589856 t
    amount, note = activity_conversion("diesel", "US_gal", "t", PROPS)
    assert amount == pytest.approx(0.00317974589856, rel=1e-12)
    assert "density 0.84 kg/L" in note


def test_activity_conversion_without_bridge_fails() -> None:
    with pytest.raises(UnitError, match="fuel properties available: none"):
        activity_conversion("refrigerant", "kg", "MWh", PROPS)


@pytest.mark.parametrize(
    ("value", "unit", "activity", "canonical", "expected"),
    [
        (74100, "kg/TJ", "diesel", "t", 3186.3),  # 74100 kg/TJ x 43.0 GJ/t / 1000 GJ/TJ
        (56100, "kg/TJ", "natural_gas", "m3", 2.1840291),  # 56100 x 0.038931 GJ/m3 / 1000
        (0.5703, "t/MWh", "electricity", "MWh", 570.3),  # 0.5703 t x 1000 kg/t
        (0.5366, "kg/kWh", "electricity", "MWh", 536.6),  # 0.5366 kg/kWh x 1000 kWh/MWh
        (0.11, "t/GJ", "heat", "GJ", 110.0),  # 0.11 t x 1000 kg/t
        (3.0959, "t/t", "diesel", "t", 3095.9),
        (2.68, "kg/L", "diesel", "t", 2.68 / 0.84 * 1000),  # per L / 0.84 kg/L x 1000 kg/t
        (0.2, "kg/kg", "wastewater_cod", "kg", 0.2),
    ],
)
def test_factor_to_canonical(
    value: float, unit: str, activity: str, canonical: str, expected: float
) -> None:
    converted, note = factor_to_canonical(value, unit, activity, canonical, PROPS)
    assert converted == pytest.approx(expected, rel=1e-12)
    assert note.endswith(f"kg/{canonical}")


def test_factor_to_canonical_note_explains_the_bridge() -> None:
    _, note = factor_to_canonical(74100, "kg/TJ", "diesel", "t", PROPS)
    # Per-TJ IPCC factors take the IPCC NCV they were derived with, not GB/T's 42.652.
    assert note == "74100 kg/TJ -> kg/t via ncv_ipcc 43 GJ/t = 3186.3 kg/t"


@pytest.mark.parametrize(
    ("unit", "activity", "canonical", "match"),
    [
        ("kWh/kWh", "electricity", "MWh", "same dimension"),  # numerator is not a mass
        ("kg/TJ", "refrigerant", "kg", "cannot convert"),  # no NCV for refrigerants
        ("kg", "diesel", "t", "must be written"),
    ],
)
def test_factor_to_canonical_impossible(
    unit: str, activity: str, canonical: str, match: str
) -> None:
    with pytest.raises(UnitError, match=match):
        factor_to_canonical(1.0, unit, activity, canonical, PROPS)


def test_factors_to_canonical_adds_columns_in_row_order() -> None:
    factors = load_factors()
    converted = factors_to_canonical(factors, CATALOG, PROPS)
    assert converted.num_rows == factors.num_rows
    assert converted.column_names == [*factors.column_names, "kg_per_canonical", "conversion_note"]
    rows = {r["factor_id"]: r for r in converted.to_pylist()}
    # 74100 kg/TJ x 43.0 GJ/t / 1000 = 3186.3 kg/t
    assert rows["ipcc2006_diesel_CO2"]["kg_per_canonical"] == pytest.approx(3186.3)
    # 0.5703 t/MWh = 570.3 kg/MWh
    assert rows["cn_ets_grid_2022"]["kg_per_canonical"] == pytest.approx(570.3)
    assert rows["ipcc2006_diesel_CO2"]["conversion_note"] == "kg/TJ -> kg/t via ncv_ipcc 43 GJ/t"


def test_factors_to_canonical_unknown_activity() -> None:
    factors = load_factors().slice(0, 1)
    bogus = factors.set_column(
        factors.schema.get_field_index("activity"), "activity", pa.array(["steam_coal"])
    )
    with pytest.raises(ReferenceDataError, match="steam_coal"):
        factors_to_canonical(bogus, CATALOG, PROPS)
