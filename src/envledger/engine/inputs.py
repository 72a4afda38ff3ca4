"""Engine inputs: the Arrow tables of docs/internals.md and the DuckDB connection over them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from dataclasses import field as default_field

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from envledger.data import load_uncertainty_defaults
from envledger.engine.instruments import empty_instruments
from envledger.engine.schemas import (
    ACTIVITY_SCHEMA,
    FACILITY_YEAR_SCHEMA,
    OPTIONAL_ACTIVITY_COLUMNS,
)
from envledger.methods.gwp import source_gwp_table

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

#: String columns of ``activities`` the engine groups records by.
KEY_COLUMNS: tuple[str, ...] = (
    "facility_code", "activity", "variant", "gas", "unit", "data_source",
)

#: The Arrow type of an encoded key column: its strings, stored once, and int32 indices.
KEY_TYPE = pa.dictionary(pa.int32(), pa.string())


def encode_activities(activities: pa.Table) -> pa.Table:
    """``activities`` with each of :data:`KEY_COLUMNS` dictionary-encoded (:data:`KEY_TYPE`).

    The values do not change: a dictionary column reads as its strings in DuckDB, Arrow
    and ``to_pylist``. All chunks of a column share one dictionary, whose indices the
    engine groups by (:func:`connect` registers them as ``keyed_activities``); grouping
    10 million records by five int32 keys costs about a third of grouping them by five
    strings. A table already encoded (as ``load_inventory_inputs`` can deliver it) is
    returned at almost no cost; otherwise the columns are encoded in parallel (Arrow
    releases the GIL), 0.2-0.5 s of CPU per column of 10 million records.
    """
    def encode(name: str) -> pa.ChunkedArray:
        column = activities[name]
        if pa.types.is_dictionary(column.type):
            return column.cast(KEY_TYPE)
        return column.cast(pa.string()).dictionary_encode()

    todo = [
        name for name in KEY_COLUMNS
        if name in activities.column_names and activities.schema.field(name).type != KEY_TYPE
    ]
    if todo:
        with ThreadPoolExecutor(max_workers=len(todo)) as pool:
            encoded = list(pool.map(encode, todo))
        for name, column in zip(todo, encoded, strict=True):
            activities = activities.set_column(
                activities.schema.get_field_index(name), name, column
            )
    return activities.unify_dictionaries()


def keyed_activities(activities: pa.Table) -> tuple[pa.Table, dict[str, pa.Table]]:
    """The records with integer keys in place of strings, and the key -> string tables.

    Returns ``keyed (record_id, period_start, period_end, quantity, uncertainty_pct,
    <column>_key int32
    for each of KEY_COLUMNS)`` and, per key column, ``labels (<column>_key int32,
    <column> str)``. Zero-copy: the keys are the dictionary indices of
    :func:`encode_activities`; a null value has a null key.
    """
    activities = encode_activities(activities)
    keyed = {name: activities[name] for name in ("record_id", "period_start", "period_end",
                                                 "quantity", "uncertainty_pct")}
    labels: dict[str, pa.Table] = {}
    for name in KEY_COLUMNS:
        chunks = activities[name].chunks or [pa.array([], KEY_TYPE)]
        keyed[f"{name}_key"] = pa.chunked_array([chunk.indices for chunk in chunks], pa.int32())
        values = chunks[0].dictionary
        labels[name] = pa.table({
            f"{name}_key": pa.array(range(len(values)), pa.int32()),
            name: values,
        })
    return pa.table(keyed), labels


@dataclass(frozen=True)
class InventoryInputs:
    """The Arrow tables an inventory is computed from (schemas in docs/internals.md).

    Attributes
    ----------
    activities
        ``record_id, facility_code, period_start, period_end (inclusive), activity,
        quantity, unit, gas, variant, data_source, uncertainty_pct``; ``quantity`` in
        ``unit``; ``data_source`` measured | invoice | estimated (null: not stated);
        ``uncertainty_pct`` [%] the row's own 95 % uncertainty, null for the default.
    facilities
        ``code, name, type, country, province, grid_region, sector``; an empty
        ``sector`` is derived from ``type`` (``factory`` -> manufacturing, else commercial).
    facility_years
        ``facility_code, year, floor_area_m2 [m2], headcount [person], in_boundary``,
        and optionally ``expected_activities`` (list of activity names),
        ``in_boundary_from`` and ``in_boundary_to`` (first and last in-boundary day of a
        part-year facility; null = the whole year).
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
    instruments
        Contractual instruments for market-based Scope 2, one row per claim
        (``engine.instruments.INSTRUMENT_SCHEMA``): ``volume_mwh`` [MWh],
        ``emission_rate_t_per_mwh`` [tCO2e/MWh]; empty when the company holds none.
    uncertainty_defaults
        ``subject, key, activity, gas, uncertainty_pct`` [%]: default 95 % uncertainties
        of activity data by data_source and of factors by tier (``data`` module).
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
    instruments: pa.Table = default_field(default_factory=empty_instruments)
    uncertainty_defaults: pa.Table = default_field(default_factory=load_uncertainty_defaults)

    def __post_init__(self) -> None:
        """Add absent optional columns as nulls (activities: uncertainty; facility-years:
        coverage declarations), then dictionary-encode the key columns of ``activities``
        once, for every computation."""
        activities = self.activities
        for name in OPTIONAL_ACTIVITY_COLUMNS:
            if name not in activities.column_names:
                activities = activities.append_column(
                    name, pa.nulls(activities.num_rows, ACTIVITY_SCHEMA.field(name).type)
                )
        object.__setattr__(self, "activities", encode_activities(activities))
        years = self.facility_years
        for field in FACILITY_YEAR_SCHEMA:
            if field.name not in years.column_names:
                years = years.append_column(field, pa.nulls(years.num_rows, field.type))
        object.__setattr__(self, "facility_years", years)


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
    ``keyed_activities`` and ``<column>_labels`` for each of :data:`KEY_COLUMNS` (see
    :func:`keyed_activities`), ``keyed_overrides`` (the keyed records that carry their
    own ``uncertainty_pct``),
    ``sites`` (facilities with the sector resolved), ``site_keys (facility_code, tier,
    geography_code, sector)`` (what a factor of each tier must match), ``tier_ranks
    (tier, tier_rank)``, ``series_ranks (series, series_rank)``, ``required_gases
    (activity, gas)`` and ``source_gwp (gwp_set, gas, source, value, note)``, the GWPs
    that depend on a gas's origin (AR6 methane, ``methods.gwp.source_gwp``).
    The catalog is parsed here, in Python, because it is a reference
    table of a few rows; no activity record is touched.
    """
    con = duckdb.connect(":memory:")
    for field in fields(inputs):
        if field.name != "catalog":
            con.register(field.name, getattr(inputs, field.name))
    keyed, labels = keyed_activities(inputs.activities)
    con.register("keyed_activities", keyed)
    # the few records with their own uncertainty, filtered once in Arrow (one column)
    con.register("keyed_overrides", keyed.filter(pc.is_valid(keyed["uncertainty_pct"])))
    for name, table in labels.items():
        con.register(f"{name}_labels", table)
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
    con.register(
        "source_gwp", source_gwp_table(inputs.catalog.column("source").to_pylist())
    )
    return con
