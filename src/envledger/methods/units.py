"""Units: user spellings, pint conversion factors, and activity-specific dimension bridges.

pint is called once per unit pair (results are cached); the engine multiplies whole
columns by the factors built here, never calling pint per row.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

import pint
import pyarrow as pa
import pyarrow.compute as pc

from envledger.errors import ReferenceDataError, UnitError

KGCE_MJ = 29.3076
"""Energy of one kilogram of standard coal equivalent [MJ/kgce] (7,000 kcal_IT)."""

_REGISTRY = pint.UnitRegistry()
_REGISTRY.define(f"kgce = {KGCE_MJ} * megajoule")
_REGISTRY.define("tce = 1000 * kgce")
_REGISTRY.define("m3 = meter ** 3")
# Units of US invoices. A standard cubic foot is converted as a geometric cubic foot
# (0.0283168 m3): the base conditions (60 degF and 14.73 psia against 20 degC and
# 101.325 kPa) are not corrected. pint's therm is 10^5 Btu_IT = 105.5056 MJ.
_REGISTRY.define("scf = foot ** 3")
_REGISTRY.define("ccf = 100 * foot ** 3")
_REGISTRY.define("Mcf = 1000 * foot ** 3")
_REGISTRY.define("MMBtu = 1e6 * Btu")
_REGISTRY.define("US_gal = gallon")
# Gross kWh as UK and EU gas bills state them: the same energy unit, bridged to volume
# with the gross calorific value (GROSS_UNITS).
_REGISTRY.define("kWh_gross = kilowatt_hour")

CATALOG_UNITS = (
    "g", "kg", "t", "short_ton", "L", "US_gal", "m3", "scf", "ccf", "Mcf",
    "MJ", "GJ", "TJ", "kWh", "MWh", "GWh", "kWh_gross", "therm", "MMBtu", "kgce", "tce",
)
"""Unit spellings used in the activity catalog, the data files and the engine."""

GROSS_UNITS = frozenset({"therm", "MMBtu", "kWh_gross"})
"""Energy units that invoices state on a gross (higher heating value) basis.

US gas bills give therms and MMBtu (dekatherms) of gross energy, UK and EU bills kWh
"gross" (converted with the gross calorific value); a fuel quantity in these units is
bridged to volume with the fuel's gross calorific value (``gcv``), every other energy
unit (kWh, MWh, MJ, GJ) with its net calorific value (``ncv``).
"""

ENERGY_NCV = "ncv"
"""Fuel property for energy reporting: GB/T 2589-2020 net calorific values."""

EMISSION_NCV = "ncv_ipcc"
"""Fuel property for per-energy emission factors: IPCC 2006 Vol. 2 Table 1.2 NCVs."""

_ALIASES: dict[str, str] = {
    **{u.lower(): u for u in CATALOG_UNITS},
    "gram": "g",
    "grams": "g",
    "kgs": "kg",
    "kilogram": "kg",
    "kilograms": "kg",
    "公斤": "kg",
    "千克": "kg",
    "tonne": "t",
    "tonnes": "t",
    "metric ton": "t",
    "metric tons": "t",
    "吨": "t",
    "litre": "L",
    "litres": "L",
    "liter": "L",
    "liters": "L",
    "升": "L",
    "cubic meter": "m3",
    "cubic meters": "m3",
    "cubic metre": "m3",
    "cubic metres": "m3",
    "立方米": "m3",
    "kw h": "kWh",
    "kw·h": "kWh",
    "kw-h": "kWh",
    "kilowatt hour": "kWh",
    "kilowatt hours": "kWh",
    "kilowatt-hour": "kWh",
    "kilowatt-hours": "kWh",
    # 度 is how Chinese electricity bills write kWh.
    "度": "kWh",
    "kwh (gross)": "kWh_gross",
    "kwh gross": "kWh_gross",
    "kwh (hhv)": "kWh_gross",
    "kwh hhv": "kWh_gross",
    "kwh (gcv)": "kWh_gross",
    "mw h": "MWh",
    "mw·h": "MWh",
    "megawatt hour": "MWh",
    "megawatt hours": "MWh",
    "megawatt-hour": "MWh",
    "megawatt-hours": "MWh",
    "short ton": "short_ton",
    "short tons": "short_ton",
    "ton (short)": "short_ton",
    "tons (short)": "short_ton",
    "us gal": "US_gal",
    "us gallon": "US_gal",
    "us gallons": "US_gal",
    "gal (us)": "US_gal",
    "gallon (us)": "US_gal",
    "gallons (us)": "US_gal",
    "cubic foot": "scf",
    "cubic feet": "scf",
    "ft3": "scf",
    "cf": "scf",
    "hcf": "ccf",
    "therms": "therm",
    "thm": "therm",
    "mmbtus": "MMBtu",
    "mm btu": "MMBtu",
    # A dekatherm is 10 therms = 10^6 Btu.
    "dth": "MMBtu",
    "dekatherm": "MMBtu",
    "dekatherms": "MMBtu",
}

_AMBIGUOUS: dict[str, str] = {
    "gal": "'US gal' (3.785 L) or convert imperial gallons to L",
    "gallon": "'US gal' (3.785 L) or convert imperial gallons to L",
    "gallons": "'US gal' (3.785 L) or convert imperial gallons to L",
    "ton": "'t' (metric tonne) or 'short ton' (907.18 kg)",
    "tons": "'t' (metric tonne) or 'short ton' (907.18 kg)",
}
"""Spellings that name two different units; refused with what to write instead."""


def normalize_unit(text: str) -> str:
    """Catalog spelling of a unit as a user types it (``kwh`` -> ``kWh``, ``m³`` -> ``m3``).

    Raises
    ------
    UnitError
        If the text is not a unit envledger knows.
    """
    cleaned = " ".join(text.strip().split())
    for power in ("³", "^3", "**3"):
        cleaned = cleaned.replace(power, "3")
    if cleaned in CATALOG_UNITS:
        return cleaned
    if cleaned.lower() in _AMBIGUOUS:
        raise UnitError(f"unit '{text}' is ambiguous: write {_AMBIGUOUS[cleaned.lower()]}")
    try:
        return _ALIASES[cleaned.lower()]
    except KeyError:
        raise UnitError(f"unknown unit '{text}'; known units: {' '.join(CATALOG_UNITS)}") from None


_GAS_IN_NUMERATOR = re.compile(
    r"^(?P<mass>.*?)\s*-?\s*(?P<gas>co2-?eq?|co2e|co2|ch4|n2o)$", re.IGNORECASE
)
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_GAS_SPELLING = {"co2": "CO2", "ch4": "CH4", "n2o": "N2O"}


def split_gas_unit(rate_unit: str) -> tuple[str, str | None]:
    """A factor unit as people write it, split into the rate unit and the gas it names.

    ``kgCO2/L`` -> (``kg/L``, ``CO2``); ``kg CO2e / kWh`` -> (``kg/kWh``, ``CO2e``);
    ``gCH4/GJ`` -> (``g/GJ``, ``CH4``); ``kg/kWh`` -> (``kg/kWh``, None). Subscript
    digits (CO₂) are read as digits. The gas is ``CO2``, ``CH4``, ``N2O`` or ``CO2e``.
    """
    text = rate_unit.translate(_SUBSCRIPTS)
    numerator, slash, denominator = text.partition("/")
    match = _GAS_IN_NUMERATOR.match(numerator.strip())
    if match is None or not match["mass"]:
        return rate_unit.strip(), None
    gas = match["gas"].lower()
    name = _GAS_SPELLING.get(gas, "CO2e")
    return f"{match['mass'].strip()}{slash}{denominator.strip()}", name


def _quantity(unit: str) -> pint.Quantity:
    """One unit of ``unit`` (a catalog unit or a ``numerator/denominator`` rate) in pint."""
    parts = [normalize_unit(part) for part in unit.split("/")]
    if len(parts) > 2:
        raise UnitError(f"unit '{unit}' has more than one '/'")
    return _REGISTRY.Quantity(1.0, "/".join(parts))


@cache
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Multiplier taking a quantity in ``from_unit`` to ``to_unit`` [to_unit/from_unit].

    Units of the same dimension only (1 kgce = 29.3076 MJ, so energy converts to kgce).

    Raises
    ------
    UnitError
        If a unit is unknown or the dimensions differ (kWh vs kg).

    References
    ----------
    GB/T 2589-2020 for the standard coal equivalent (1 kgce = 7,000 kcal_IT = 29.3076 MJ).
    """
    try:
        return float(_quantity(from_unit).to(_quantity(to_unit).units).magnitude)
    except pint.DimensionalityError:
        raise UnitError(f"cannot convert '{from_unit}' to '{to_unit}': dimensions differ") from None


FuelProps = tuple[tuple[str, float, str], ...]
"""(property, value, unit) rows of one activity from fuel_properties.csv."""


Purpose = Literal["energy", "emissions"]
"""What a conversion is for: energy reporting (GB/T NCV) or an emission factor (IPCC NCV)."""


def _for_purpose(props: FuelProps, purpose: Purpose) -> FuelProps:
    """Keep the net calorific value that serves ``purpose``.

    Energy [MWh, tce] uses the GB/T 2589-2020 value (``ncv``); an emission factor per
    unit of energy uses the IPCC value (``ncv_ipcc``) its factor was derived with, and
    the GB/T value only where the activity has no IPCC one (natural gas per m3).
    """
    names = {name for name, _, _ in props}
    drop = ENERGY_NCV if purpose == "emissions" and EMISSION_NCV in names else EMISSION_NCV
    return tuple(prop for prop in props if prop[0] != drop)


def _props_by_activity(
    fuel_properties: pa.Table, purpose: Purpose = "energy"
) -> dict[str, FuelProps]:
    """Group the fuel-property rows by activity, keeping the NCV that serves ``purpose``."""
    grouped: dict[str, list[tuple[str, float, str]]] = {}
    for row in fuel_properties.select(["activity", "property", "value", "unit"]).to_pylist():
        grouped.setdefault(row["activity"], []).append((row["property"], row["value"], row["unit"]))
    return {activity: _for_purpose(tuple(rows), purpose) for activity, rows in grouped.items()}


def _usable(props: FuelProps, from_unit: str, to_unit: str) -> FuelProps:
    """The properties that may bridge the pair: gcv only for a gross unit, ncv otherwise."""
    gross = from_unit in GROSS_UNITS or to_unit in GROSS_UNITS
    has_gcv = any(name == "gcv" for name, _, _ in props)
    if gross and has_gcv:
        return tuple(p for p in props if p[0] not in (ENERGY_NCV, EMISSION_NCV))
    return tuple(p for p in props if p[0] != "gcv")


@cache
def _bridge(activity: str, from_unit: str, to_unit: str, props: FuelProps) -> tuple[float, str]:
    """Amount of ``to_unit`` in one ``from_unit`` of the activity, through one fuel property."""
    target = _quantity(to_unit)
    one = _quantity(from_unit)
    if one.dimensionality == target.dimensionality:
        note = "canonical" if from_unit == to_unit else f"{from_unit} -> {to_unit}"
        return conversion_factor(from_unit, to_unit), note
    for name, value, unit in _usable(props, from_unit, to_unit):
        prop = value * _quantity(unit)
        for bridged in (one * prop, one / prop):
            if bridged.dimensionality == target.dimensionality:
                amount = float(bridged.to(target.units).magnitude)
                return amount, f"{from_unit} -> {to_unit} via {name} {value:g} {unit}"
    known = ", ".join(f"{name} {value:g} {unit}" for name, value, unit in props) or "none"
    raise UnitError(
        f"activity '{activity}': cannot convert '{from_unit}' to '{to_unit}'"
        f" (fuel properties available: {known})"
    )


def activity_conversion(
    activity: str, from_unit: str, to_unit: str, fuel_properties: pa.Table
) -> tuple[float, str]:
    """Amount [to_unit] in one ``from_unit`` of an activity, and how it was converted.

    Dimensions are bridged with the activity's density [mass/volume] or net calorific
    value [energy/mass or energy/volume]; pint checks that the result has the
    dimension of ``to_unit``.

    Raises
    ------
    UnitError
        If no fuel property of the activity bridges the two dimensions.

    References
    ----------
    IPCC 2006 Guidelines, Vol. 2 Ch. 1 Table 1.2 (net calorific values).
    """
    props = _props_by_activity(fuel_properties).get(activity, ())
    return _bridge(activity, normalize_unit(from_unit), normalize_unit(to_unit), props)


def build_unit_conversions(catalog: pa.Table, fuel_properties: pa.Table) -> pa.Table:
    """Multiplier to the canonical unit [canonical/unit] for every (activity, allowed unit).

    Returns
    -------
    pyarrow.Table
        ``activity, unit, to_canonical (float64), note`` as the engine's
        ``unit_conversions`` table.

    Raises
    ------
    UnitError
        Naming the activity, the unit and the allowed units, if a catalog unit is
        unknown or cannot be brought to the canonical unit.
    """
    props = _props_by_activity(fuel_properties)
    rows: dict[str, list] = {"activity": [], "unit": [], "to_canonical": [], "note": []}
    for entry in catalog.select(["activity", "canonical_unit", "units"]).to_pylist():
        activity, allowed = entry["activity"], entry["units"].split()
        for unit in allowed:
            try:
                factor, note = _bridge(
                    activity,
                    normalize_unit(unit),
                    normalize_unit(entry["canonical_unit"]),
                    props.get(activity, ()),
                )
            except UnitError as exc:
                raise UnitError(
                    f"activity '{activity}', unit '{unit}' cannot be used: {exc};"
                    f" allowed units: {' '.join(allowed)}"
                ) from None
            rows["activity"].append(activity)
            rows["unit"].append(unit)
            rows["to_canonical"].append(factor)
            rows["note"].append(note)
    return pa.table(
        rows,
        schema=pa.schema(
            [
                ("activity", pa.string()),
                ("unit", pa.string()),
                ("to_canonical", pa.float64()),
                ("note", pa.string()),
            ]
        ),
    )


@cache
def _rate_multiplier(
    rate_unit: str, numerator_unit: str, activity: str, canonical_unit: str, props: FuelProps
) -> tuple[float, str]:
    """Multiplier from a rate in ``rate_unit`` to [numerator_unit/canonical_unit]."""
    numerator, _, denominator = rate_unit.partition("/")
    if not denominator:
        raise UnitError(f"rate unit '{rate_unit}' must be written '<amount>/<activity unit>'")
    try:
        scale = conversion_factor(numerator, numerator_unit)
    except UnitError:
        raise UnitError(
            f"activity '{activity}': rate unit '{rate_unit}' must have '{numerator_unit}'"
            " or a unit of the same dimension above the '/'"
        ) from None
    per_canonical, bridge = _bridge(
        activity, normalize_unit(canonical_unit), normalize_unit(denominator), props
    )
    target = f"{numerator_unit}/{canonical_unit}"
    note = rate_unit if rate_unit == target else f"{rate_unit} -> {target}"
    if " via " in bridge:
        note += " via " + bridge.split(" via ", 1)[1]
    return scale * per_canonical, note


def rate_to_canonical(
    value: float,
    rate_unit: str,
    numerator_unit: str,
    activity: str,
    canonical_unit: str,
    fuel_properties: pa.Table,
    purpose: Purpose = "energy",
) -> tuple[float, str]:
    """A rate such as ``1.4571 kgce/kg`` as [numerator_unit per canonical unit] and a note.

    ``purpose`` picks the net calorific value of an energy bridge: ``energy`` the
    GB/T 2589-2020 one, ``emissions`` the IPCC 2006 one (see :data:`EMISSION_NCV`).

    Raises
    ------
    UnitError
        If the numerator has the wrong dimension or the denominator cannot be
        bridged to the canonical unit.
    """
    props = _props_by_activity(fuel_properties, purpose).get(activity, ())
    multiplier, note = _rate_multiplier(
        rate_unit, normalize_unit(numerator_unit), activity, canonical_unit, props
    )
    return value * multiplier, note


def factor_to_canonical(
    value: float,
    factor_unit: str,
    activity: str,
    canonical_unit: str,
    fuel_properties: pa.Table,
) -> tuple[float, str]:
    """An emission factor as [kg gas per canonical unit] and a human-readable note.

    E.g. ``74100 kg/TJ`` for diesel (canonical t, IPCC NCV 43.0 GJ/t) becomes
    ``74100 * 0.043 = 3186.3 kg/t``: a per-energy factor is applied with the NCV it was
    derived with (IPCC), while energy reporting uses GB/T 2589-2020's 42.652 GJ/t.

    Raises
    ------
    UnitError
        If the factor's numerator is not a mass or its denominator cannot be
        brought to the canonical unit.

    References
    ----------
    IPCC 2006 Guidelines, Vol. 2 Ch. 1 Eq. 1.1 (emissions = fuel [TJ] x factor [kg/TJ]).
    """
    converted, note = rate_to_canonical(
        value, factor_unit, "kg", activity, canonical_unit, fuel_properties, "emissions"
    )
    return converted, f"{value:g} {note} = {converted:.6g} kg/{canonical_unit}"


def factors_to_canonical(
    factors: pa.Table, catalog: pa.Table, fuel_properties: pa.Table
) -> pa.Table:
    """The factors table plus ``kg_per_canonical`` [kg gas/canonical unit] and ``conversion_note``.

    One pint conversion per distinct (activity, unit) pair; the values are then
    multiplied as a column.

    Raises
    ------
    ReferenceDataError
        If a factor names an activity missing from the catalog.
    UnitError
        If a factor's unit cannot be brought to its activity's canonical unit.
    """
    canonical = dict(
        zip(
            catalog.column("activity").to_pylist(),
            catalog.column("canonical_unit").to_pylist(),
            strict=True,
        )
    )
    props = _props_by_activity(fuel_properties, "emissions")
    keys = list(
        zip(
            factors.column("activity").to_pylist(),
            factors.column("unit").to_pylist(),
            strict=True,
        )
    )
    pairs: dict[tuple[str, str], tuple[float, str]] = {}
    for activity, unit in set(keys):
        if activity not in canonical:
            raise ReferenceDataError(f"factor for unknown activity '{activity}'")
        pairs[(activity, unit)] = _rate_multiplier(
            unit, "kg", activity, canonical[activity], props.get(activity, ())
        )
    multipliers = pa.array([pairs[key][0] for key in keys], pa.float64())
    notes = pa.array([pairs[key][1] for key in keys], pa.string())
    converted = pc.multiply(factors.column("value"), multipliers)
    return factors.append_column("kg_per_canonical", converted).append_column(
        "conversion_note", notes
    )


__all__ = [
    "CATALOG_UNITS",
    "EMISSION_NCV",
    "ENERGY_NCV",
    "GROSS_UNITS",
    "KGCE_MJ",
    "activity_conversion",
    "build_unit_conversions",
    "conversion_factor",
    "factor_to_canonical",
    "factors_to_canonical",
    "normalize_unit",
    "rate_to_canonical",
    "split_gas_unit",
]
