"""Units: user spellings, pint conversion factors, and activity-specific dimension bridges.

pint is called once per unit pair (results are cached); the engine multiplies whole
columns by the factors built here, never calling pint per row.
"""

from __future__ import annotations

from functools import cache

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

CATALOG_UNITS = ("g", "kg", "t", "L", "m3", "MJ", "GJ", "TJ", "kWh", "MWh", "GWh", "kgce", "tce")
"""Unit spellings used in the activity catalog, the data files and the engine."""

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
    "mw h": "MWh",
    "mw·h": "MWh",
    "megawatt hour": "MWh",
    "megawatt hours": "MWh",
    "megawatt-hour": "MWh",
    "megawatt-hours": "MWh",
}


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
    try:
        return _ALIASES[cleaned.lower()]
    except KeyError:
        raise UnitError(f"unknown unit '{text}'; known units: {' '.join(CATALOG_UNITS)}") from None


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


def _props_by_activity(fuel_properties: pa.Table) -> dict[str, FuelProps]:
    """Group the fuel-property rows by activity."""
    grouped: dict[str, list[tuple[str, float, str]]] = {}
    for row in fuel_properties.select(["activity", "property", "value", "unit"]).to_pylist():
        grouped.setdefault(row["activity"], []).append((row["property"], row["value"], row["unit"]))
    return {activity: tuple(rows) for activity, rows in grouped.items()}


@cache
def _bridge(activity: str, from_unit: str, to_unit: str, props: FuelProps) -> tuple[float, str]:
    """Amount of ``to_unit`` in one ``from_unit`` of the activity, through one fuel property."""
    target = _quantity(to_unit)
    one = _quantity(from_unit)
    if one.dimensionality == target.dimensionality:
        note = "canonical" if from_unit == to_unit else f"{from_unit} -> {to_unit}"
        return conversion_factor(from_unit, to_unit), note
    for name, value, unit in props:
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
) -> tuple[float, str]:
    """A rate such as ``1.4571 kgce/kg`` as [numerator_unit per canonical unit] and a note.

    Raises
    ------
    UnitError
        If the numerator has the wrong dimension or the denominator cannot be
        bridged to the canonical unit.
    """
    props = _props_by_activity(fuel_properties).get(activity, ())
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

    E.g. ``74100 kg/TJ`` for diesel (canonical t, NCV 43.0 GJ/t) becomes
    ``74100 * 0.043 = 3186.3 kg/t``.

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
        value, factor_unit, "kg", activity, canonical_unit, fuel_properties
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
    props = _props_by_activity(fuel_properties)
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
    "KGCE_MJ",
    "activity_conversion",
    "build_unit_conversions",
    "conversion_factor",
    "factor_to_canonical",
    "factors_to_canonical",
    "normalize_unit",
    "rate_to_canonical",
]
