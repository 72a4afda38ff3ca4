"""Engine inputs: the Arrow tables of docs/internals.md and the DuckDB connection over them."""

from __future__ import annotations

from dataclasses import dataclass, fields

import duckdb
import pyarrow as pa

#: Factor tiers, best first, with the facility attribute their ``geography_code`` must equal.
TIERS: tuple[tuple[str, str], ...] = (
    ("measured", "code"),
    ("supplier", "code"),
    ("local", "province"),
    ("regional", "grid_region"),
    ("industry", "country"),
    ("national", "country"),
    ("international", "'*'"),
)


@dataclass(frozen=True)
class InventoryInputs:
    """The Arrow tables an inventory is computed from (schemas in docs/internals.md).

    Attributes
    ----------
    activities
        ``record_id, facility_code, period_start, period_end (inclusive), activity,
        quantity, unit, gas, variant``; ``quantity`` in ``unit``.
    facilities
        ``code, name, type, country, province, grid_region, sector``; an empty
        ``sector`` is derived from ``type`` (``factory`` -> manufacturing, else commercial).
    facility_years
        ``facility_code, year, floor_area_m2 [m2], headcount [person], in_boundary``.
    group_members
        ``group_name, facility_code``.
    factors
        ``factors.csv`` columns plus ``origin``, ``kg_per_canonical`` [kg gas per
        canonical unit of the activity] and ``conversion_note``.
    gwp
        ``gwp_set, gas, value`` [kg CO2e/kg gas]; may hold every set, the inventory
        uses the rows of the set it is asked for.
    blends
        ``blend, component, mass_fraction`` [kg/kg] and optionally ``citation``.
    unit_conversions
        ``activity, unit, to_canonical`` [canonical unit per unit], ``note``.
    energy_coefficients
        ``activity, mwh_per_canonical`` [MWh per canonical unit],
        ``kgce_per_canonical`` [kgce per canonical unit].
    catalog
        The activity catalog (``activities.csv``).
    """

    activities: pa.Table
    facilities: pa.Table
    facility_years: pa.Table
    group_members: pa.Table
    factors: pa.Table
    gwp: pa.Table
    blends: pa.Table
    unit_conversions: pa.Table
    energy_coefficients: pa.Table
    catalog: pa.Table


def _required_gases(catalog: pa.Table) -> pa.Table:
    """(activity, gas) pairs of the catalog's space-separated ``required_gases``."""
    pairs = [
        (activity, gas)
        for activity, gases in zip(
            catalog.column("activity").to_pylist(),
            catalog.column("required_gases").to_pylist(),
            strict=True,
        )
        for gas in (gases or "").split()
    ]
    return pa.table(
        {"activity": [p[0] for p in pairs], "gas": [p[1] for p in pairs]},
        schema=pa.schema([("activity", pa.string()), ("gas", pa.string())]),
    )


def connect(inputs: InventoryInputs, series_priority: list[str]) -> duckdb.DuckDBPyConnection:
    """Open an in-memory DuckDB connection with the inputs and the ranking tables registered.

    Besides the input tables (under their attribute names; ``catalog`` reduced to the
    columns the engine reads, with ``scope`` an integer or null) it registers
    ``sites`` (facilities with the sector resolved), ``site_keys (facility_code, tier,
    geography_code, sector)`` (what a factor of each tier must match), ``tier_ranks
    (tier, tier_rank)``, ``series_ranks (series, series_rank)`` and ``required_gases
    (activity, gas)``. The catalog is parsed here, in Python, because it is a reference
    table of a few rows; no activity record is touched.
    """
    con = duckdb.connect(":memory:")
    for field in fields(inputs):
        if field.name != "catalog":
            con.register(field.name, getattr(inputs, field.name))
    con.register("catalog_file", inputs.catalog)
    con.sql(
        """
        SELECT activity, source, energy_class, canonical_unit, emission_method,
               CAST(NULLIF(CAST(scope AS VARCHAR), '') AS INTEGER) AS scope
        FROM catalog_file
        """
    ).create_view("catalog")
    con.sql(
        """
        SELECT code, country, province, grid_region,
               CASE WHEN sector IS NULL OR sector = ''
                    THEN CASE WHEN type = 'factory' THEN 'manufacturing' ELSE 'commercial' END
                    ELSE sector END AS sector
        FROM facilities
        """
    ).create_view("sites")
    con.sql(
        " UNION ALL ".join(
            f"SELECT code AS facility_code, '{tier}' AS tier, {column} AS geography_code,"
            " sector FROM sites"
            for tier, column in TIERS
        )
    ).create_view("site_keys")
    con.register(
        "tier_ranks",
        pa.table(
            {"tier": [t for t, _ in TIERS], "tier_rank": pa.array(range(len(TIERS)), pa.int32())}
        ),
    )
    con.register(
        "series_ranks",
        pa.table(
            {
                "series": pa.array(series_priority, pa.string()),
                "series_rank": pa.array(range(len(series_priority)), pa.int32()),
            }
        ),
    )
    con.register("required_gases", _required_gases(inputs.catalog))
    return con
