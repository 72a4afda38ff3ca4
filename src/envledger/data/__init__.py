"""Built-in reference data (activity catalog, factors, fuel properties) as Arrow tables.

Every value row carries a citation and a confidence tag (V1, V2, NV); the library
version in ``VERSION`` is recorded with every calculation that uses these files.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import pyarrow as pa
import pyarrow.csv as pacsv

from envledger.errors import ReferenceDataError

ACTIVITY_SCHEMA = pa.schema(
    [
        ("activity", pa.string()),
        ("label", pa.string()),
        ("scope", pa.int32()),
        ("source", pa.string()),
        ("energy_class", pa.string()),
        ("canonical_unit", pa.string()),
        ("units", pa.string()),
        ("gas_column", pa.string()),
        ("variant_column", pa.string()),
        ("emission_method", pa.string()),
        ("required_gases", pa.string()),
    ]
)

FACTOR_SCHEMA = pa.schema(
    [
        ("factor_id", pa.string()),
        ("series", pa.string()),
        ("activity", pa.string()),
        ("variant", pa.string()),
        ("gas", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("tier", pa.string()),
        ("geography_code", pa.string()),
        ("sector", pa.string()),
        ("data_year", pa.int32()),
        ("valid_from", pa.int32()),
        ("valid_to", pa.int32()),
        ("citation", pa.string()),
        ("confidence", pa.string()),
        ("note", pa.string()),
    ]
)

QUANTITY_CEILING_SCHEMA = pa.schema(
    [
        ("activity", pa.string()),
        ("max_per_row", pa.float64()),
        ("unit", pa.string()),
        ("citation", pa.string()),
        ("confidence", pa.string()),
    ]
)
FUEL_PROPERTY_SCHEMA = pa.schema(
    [
        ("activity", pa.string()),
        ("property", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("citation", pa.string()),
        ("confidence", pa.string()),
    ]
)

ENERGY_COEFFICIENT_SCHEMA = pa.schema(
    [
        ("activity", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("basis", pa.string()),
        ("citation", pa.string()),
        ("confidence", pa.string()),
    ]
)

ENERGY_CARRIER_SCHEMA = pa.schema(
    [
        ("activity", pa.string()),
        ("carrier", pa.string()),
        ("label", pa.string()),
        ("citation", pa.string()),
    ]
)

UNCERTAINTY_DEFAULT_SCHEMA = pa.schema(
    [
        ("subject", pa.string()),
        ("key", pa.string()),
        ("activity", pa.string()),
        ("gas", pa.string()),
        ("uncertainty_pct", pa.float64()),
        ("citation", pa.string()),
        ("confidence", pa.string()),
    ]
)

GWP_BLEND_SCHEMA = pa.schema(
    [
        ("blend", pa.string()),
        ("component", pa.string()),
        ("mass_fraction", pa.float64()),
        ("citation", pa.string()),
        ("confidence", pa.string()),
    ]
)


def _read(name: str, schema: pa.Schema) -> pa.Table:
    """Read one shipped CSV with the exact column types of ``schema``."""
    path = files(__package__).joinpath(name)
    try:
        # Empty text cells stay '' (strings_can_be_null=False); empty numbers become null.
        table = pacsv.read_csv(
            path.open("rb"),
            convert_options=pacsv.ConvertOptions(
                column_types=schema,
                include_columns=schema.names,
                strings_can_be_null=False,
            ),
        )
    except (OSError, pa.ArrowInvalid) as exc:
        raise ReferenceDataError(f"reference data file {name} is unreadable: {exc}") from exc
    return table.cast(schema)


@cache
def load_activity_catalog() -> pa.Table:
    """Activity catalog: canonical unit, allowed units, scope and method of each activity."""
    return _read("activities.csv", ACTIVITY_SCHEMA)


@cache
def load_factors() -> pa.Table:
    """Built-in emission factors with ``origin = 'builtin'``; units as in ``unit``.

    References
    ----------
    Sources per row in the ``citation`` column (IPCC 2006 Guidelines, MEE/NBS,
    CEA, NDRC); confidence per row in ``confidence``.
    """
    table = _read("factors.csv", FACTOR_SCHEMA)
    origin = pa.array(["builtin"] * table.num_rows, pa.string())
    return table.append_column("origin", origin)


@cache
def load_quantity_ceilings() -> pa.Table:
    """Largest quantity one activity row may hold [the activity's canonical unit].

    Bounds set by envledger far above any single site's yearly use, so that only an
    overflow or a gross unit slip (1e12 kWh) meets them; each row says why in
    ``citation``. Plausibility against a facility's history is a different check.
    """
    return _read("quantity_ceilings.csv", QUANTITY_CEILING_SCHEMA)


@cache
def load_fuel_properties() -> pa.Table:
    """Density [mass/volume] and net calorific value [energy/mass or energy/volume] by activity."""
    return _read("fuel_properties.csv", FUEL_PROPERTY_SCHEMA)


@cache
def load_energy_coefficients() -> pa.Table:
    """GB/T 2589-2020 standard-coal coefficients [kgce per activity unit].

    References
    ----------
    GB/T 2589-2020 General principles for calculation of the comprehensive energy
    consumption.
    """
    return _read("energy_coefficients.csv", ENERGY_COEFFICIENT_SCHEMA)


@cache
def load_energy_carriers() -> pa.Table:
    """The energy carrier (type of energy) each energy activity reports under.

    Diesel burned in a generator and in a vehicle are one carrier, ``diesel``.

    References
    ----------
    HKEX ESG Reporting Code, KPI A2.1 (direct and indirect energy consumption by type);
    GRI 302-1 (energy consumption within the organization, by fuel type).
    """
    return _read("energy_carriers.csv", ENERGY_CARRIER_SCHEMA)


@cache
def load_gwp_blends() -> pa.Table:
    """Refrigerant blend compositions: component gas and mass fraction [-]."""
    return _read("gwp_blends.csv", GWP_BLEND_SCHEMA)


@cache
def load_uncertainty_defaults() -> pa.Table:
    """Default relative 95 % uncertainties [%] of activity data and emission factors.

    ``subject`` is ``activity_data`` (``key`` = data_source) or ``factor`` (``key`` =
    tier); an empty ``key``, ``activity`` or ``gas`` matches any.

    References
    ----------
    IPCC 2006 Guidelines, Vol. 1 ch. 3 (uncertainties) and Vol. 2 ch. 1-2 (factor
    ranges); per-row sources in ``citation``.
    """
    return _read("uncertainty_defaults.csv", UNCERTAINTY_DEFAULT_SCHEMA)


@cache
def library_version() -> str:
    """Version of the built-in reference data library, e.g. ``2026.11.1``."""
    return files(__package__).joinpath("VERSION").read_text(encoding="utf-8").strip()


__all__ = [
    "ACTIVITY_SCHEMA",
    "ENERGY_CARRIER_SCHEMA",
    "ENERGY_COEFFICIENT_SCHEMA",
    "FACTOR_SCHEMA",
    "FUEL_PROPERTY_SCHEMA",
    "GWP_BLEND_SCHEMA",
    "QUANTITY_CEILING_SCHEMA",
    "UNCERTAINTY_DEFAULT_SCHEMA",
    "library_version",
    "load_activity_catalog",
    "load_energy_carriers",
    "load_energy_coefficients",
    "load_factors",
    "load_fuel_properties",
    "load_gwp_blends",
    "load_quantity_ceilings",
    "load_uncertainty_defaults",
]
