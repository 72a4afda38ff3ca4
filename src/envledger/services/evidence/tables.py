"""The tables of an evidence pack: calculation lines, the activity rows and reference data used.

Each function returns an Arrow table ready to be written as CSV; services.evidence.pack
assembles them into the pack.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, and_, select

from envledger.engine import Inventory, InventoryInputs
from envledger.engine.trace import trace_records
from envledger.services.audit.chain import format_timestamp
from envledger.services.ledger.tables import query_arrow
from envledger.store.models import (
    ActivityRecord,
    EmissionFactor,
    EnergyCoefficient,
    Facility,
    FacilityYear,
    GasBlendComponent,
    GwpValue,
    ImportBatch,
)

_FACTOR_COLUMNS = (
    "factor_id", "series", "activity", "variant", "gas", "value", "unit", "tier",
    "geography_code", "sector", "data_year", "valid_from", "valid_to", "citation",
    "confidence", "note", "origin", "library_version", "batch_id",
)


def calculation_lines(inventory: Inventory) -> pa.Table:
    """The inventory's lines plus ``activity_gas``: the gas column of the activity rows a
    line sums ('' for factor-method lines, the blend or the gas for refrigerants)."""
    lines = inventory.lines
    blend_or_gas = pc.if_else(pc.equal(lines["blend"], ""), lines["gas"], lines["blend"])
    activity_gas = pc.if_else(pc.is_valid(lines["factor_id"]), "", blend_or_gas)
    return lines.append_column("activity_gas", activity_gas)


def activity_rows(connection: Connection, inputs: InventoryInputs, year: int) -> pa.Table:
    """Every activity row the year used, with its import batch, source row, data source,
    own 95 % uncertainty [%] (null = the data source's default) and arithmetic."""
    traced = trace_records(inputs, year)
    statement = select(
        ActivityRecord.id, ActivityRecord.batch_id, ActivityRecord.source_row,
        ActivityRecord.data_source, ActivityRecord.reference, ActivityRecord.uncertainty_pct,
    ).where(and_(ActivityRecord.period_end >= date(year, 1, 1),
                 ActivityRecord.period_start <= date(year, 12, 31)))
    stored = query_arrow(connection, statement, pa.schema([
        ("record_id", pa.int64()), ("batch_id", pa.int64()), ("source_row", pa.int64()),
        ("data_source", pa.string()), ("reference", pa.string()),
        ("uncertainty_pct", pa.float64()),
    ]))
    keys = ["facility_code", "activity", "variant", "gas", "record_id"]
    joined = traced.join(stored, "record_id", join_type="left outer")
    return joined.sort_by([(key, "ascending") for key in keys])


def factors(connection: Connection, inventory: Inventory) -> pa.Table:
    """The emission factors the lines and market-based Scope 2 used, as stored."""
    used = set(pc.drop_null(inventory.lines["factor_id"]).to_pylist())
    if inventory.market_lines.num_rows:
        for joined in pc.drop_null(inventory.market_lines["factor_id"]).to_pylist():
            used.update(joined.split(" + "))
    statement = (
        select(*(getattr(EmissionFactor, name) for name in _FACTOR_COLUMNS))
        .where(EmissionFactor.factor_id.in_(sorted(used)))
        .order_by(EmissionFactor.factor_id)
    )
    schema = pa.schema([
        (name, pa.float64() if name == "value" else
         pa.int64() if name in ("data_year", "valid_from", "valid_to", "batch_id")
         else pa.string())
        for name in _FACTOR_COLUMNS
    ])
    return query_arrow(connection, statement, schema)


def gwp_values(connection: Connection, inventory: Inventory) -> pa.Table:
    """The GWP-100 of each gas of the lines in the inventory's GWP set, with citations."""
    gases = sorted(set(inventory.lines["gas"].to_pylist()))
    statement = (
        select(GwpValue.gwp_set, GwpValue.gas, GwpValue.value, GwpValue.citation)
        .where(and_(GwpValue.gwp_set == inventory.gwp_set, GwpValue.gas.in_(gases)))
        .order_by(GwpValue.gas)
    )
    return query_arrow(connection, statement, pa.schema([
        ("gwp_set", pa.string()), ("gas", pa.string()), ("value", pa.float64()),
        ("citation", pa.string()),
    ]))


def blends(connection: Connection, inventory: Inventory) -> pa.Table:
    """The mass fractions of the refrigerant blends the lines split into components."""
    names = sorted(set(inventory.lines["blend"].to_pylist()) - {""})
    statement = (
        select(GasBlendComponent.blend, GasBlendComponent.component,
               GasBlendComponent.mass_fraction, GasBlendComponent.citation)
        .where(GasBlendComponent.blend.in_(names))
        .order_by(GasBlendComponent.blend, GasBlendComponent.component)
    )
    return query_arrow(connection, statement, pa.schema([
        ("blend", pa.string()), ("component", pa.string()), ("mass_fraction", pa.float64()),
        ("citation", pa.string()),
    ]))


def unit_conversions(inputs: InventoryInputs, rows: pa.Table) -> pa.Table:
    """The (activity, unit) conversions the activity rows used: ``to_canonical`` and note."""
    used = rows.select(["activity", "unit"]).group_by(["activity", "unit"]).aggregate([])
    return inputs.unit_conversions.join(used, ["activity", "unit"], join_type="inner").sort_by(
        [("activity", "ascending"), ("unit", "ascending")]
    )


def energy_coefficients(
    connection: Connection, inputs: InventoryInputs, rows: pa.Table
) -> pa.Table:
    """Energy coefficients of the energy activities used: as applied (per canonical unit)
    and as published (GB/T 2589-2020 value, unit, basis, citation, confidence)."""
    energy = rows.filter(pc.is_in(rows["energy_class"], pa.array(["direct", "indirect"])))
    used = energy.select(["activity", "energy_class", "canonical_unit"]).group_by(
        ["activity", "energy_class", "canonical_unit"]).aggregate([])
    published = query_arrow(connection, select(
        EnergyCoefficient.activity, EnergyCoefficient.value, EnergyCoefficient.unit,
        EnergyCoefficient.basis, EnergyCoefficient.citation, EnergyCoefficient.confidence,
    ), pa.schema([
        ("activity", pa.string()), ("published_value", pa.float64()),
        ("published_unit", pa.string()), ("basis", pa.string()), ("citation", pa.string()),
        ("confidence", pa.string()),
    ]))
    return (
        used.join(inputs.energy_coefficients, "activity", join_type="inner")
        .join(published, "activity", join_type="left outer")
        .sort_by("activity")
    )


def facility_years(inputs: InventoryInputs, year: int) -> pa.Table:
    """Every facility-year of ``year``: floor area [m2], headcount [person], boundary, and
    the coverage declarations (expected activities joined by ';', part-year dates)."""
    table = inputs.facility_years
    table = table.filter(pc.equal(table["year"], year)).sort_by("facility_code")
    index = table.schema.get_field_index("expected_activities")
    joined = pc.fill_null(pc.binary_join(table.column(index), ";"), "")
    return table.set_column(index, "expected_activities", joined)


def import_batches(
    connection: Connection, rows: pa.Table, used_factors: pa.Table, year: int
) -> pa.Table:
    """The import batches of the activity rows, the factors and the year's facility data."""
    ids = set(pc.drop_null(rows["batch_id"]).to_pylist())
    ids |= set(pc.drop_null(used_factors["batch_id"]).to_pylist())
    ids |= {
        batch for pair in connection.execute(
            select(Facility.batch_id, FacilityYear.batch_id)
            .join(FacilityYear, FacilityYear.facility_id == Facility.id)
            .where(FacilityYear.year == year)
        ) for batch in pair if batch is not None
    }
    statement = (
        select(ImportBatch.id, ImportBatch.kind, ImportBatch.file_name,
               ImportBatch.file_sha256, ImportBatch.row_count, ImportBatch.imported_at,
               ImportBatch.imported_by)
        .where(ImportBatch.id.in_(sorted(ids))).order_by(ImportBatch.id)
    )
    result = connection.execute(statement).all()
    return pa.table({
        "batch_id": pa.array([r.id for r in result], pa.int64()),
        "kind": [r.kind for r in result],
        "file_name": [r.file_name for r in result],
        "file_sha256": [r.file_sha256 for r in result],
        "row_count": pa.array([r.row_count for r in result], pa.int64()),
        "imported_at": [format_timestamp(r.imported_at) for r in result],
        "imported_by": [r.imported_by for r in result],
    }, schema=pa.schema([
        ("batch_id", pa.int64()), ("kind", pa.string()), ("file_name", pa.string()),
        ("file_sha256", pa.string()), ("row_count", pa.int64()), ("imported_at", pa.string()),
        ("imported_by", pa.string()),
    ]))
