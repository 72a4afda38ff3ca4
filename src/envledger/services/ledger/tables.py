"""Reading what the engine needs out of the ledger as Arrow tables."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
from sqlalchemy import Connection, Select, and_, or_, select

from envledger import data
from envledger.engine import InventoryInputs
from envledger.engine.instruments import INSTRUMENT_SCHEMA
from envledger.engine.schemas import (
    ACTIVITY_SCHEMA,
    BLEND_SCHEMA,
    FACILITY_SCHEMA,
    FACILITY_YEAR_SCHEMA,
    FACTOR_SCHEMA,
    GWP_SCHEMA,
    MEMBER_SCHEMA,
)
from envledger.methods.energy import build_energy_coefficients
from envledger.methods.units import build_unit_conversions, factors_to_canonical
from envledger.services.governance.review import approved_batch_ids
from envledger.store.db import get_engine
from envledger.store.instruments import ContractualInstrument
from envledger.store.models import (
    ActivityRecord,
    EmissionFactor,
    EnergyCoefficient,
    Facility,
    FacilityGroup,
    FacilityGroupMember,
    FacilityYear,
    FuelProperty,
    GasBlendComponent,
    GwpValue,
)

ACTIVITY_BATCH_ROWS = 200_000
FACTOR_COLUMNS = FACTOR_SCHEMA.names


def query_arrow(connection: Connection, statement: Select, schema: pa.Schema) -> pa.Table:
    """Run a SELECT whose columns follow `schema` and return the rows as an Arrow table."""
    rows = connection.execute(statement).fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema]
    return pa.table(
        [pa.array(column, type=field.type) for column, field in zip(columns, schema, strict=True)],
        schema=schema,
    )


def fetch_activities(
    connection: Connection, year: int, through_year: int | None = None,
    pending_batch: int | None = None,
) -> pa.Table:
    """Activity rows of a year (to ``through_year``) as Arrow, read from the driver's
    cursor in large batches; ``pending_batch`` is read as if it were approved.

    The DBAPI cursor is read directly, skipping SQLAlchemy's per-row result processing,
    because that processing dominated the read of large ledgers; dates arrive as
    ``date`` objects (PostgreSQL) or ISO text (SQLite) and are cast per column.
    """
    cursor = connection.execute(activity_statement(year, through_year, pending_batch)).cursor
    batches: list[pa.RecordBatch] = []
    while rows := cursor.fetchmany(ACTIVITY_BATCH_ROWS):
        columns = zip(*rows, strict=True)
        batches.append(pa.record_batch(
            [_as_type(pa.array(column), field.type)
             for column, field in zip(columns, ACTIVITY_SCHEMA, strict=True)],
            schema=ACTIVITY_SCHEMA,
        ))
    return pa.Table.from_batches(batches, schema=ACTIVITY_SCHEMA)


def _as_type(array: pa.Array, arrow_type: pa.DataType) -> pa.Array:
    return array if array.type == arrow_type else array.cast(arrow_type)


def activity_statement(
    year: int, through_year: int | None = None, pending_batch: int | None = None
) -> Select:
    """Approved activity rows (governance.review) whose period overlaps the calendar year
    `year` (to `through_year`), and those of `pending_batch` if given."""
    batches = ActivityRecord.batch_id.in_(approved_batch_ids())
    if pending_batch is not None:
        batches = or_(batches, ActivityRecord.batch_id == pending_batch)
    return (
        select(
            ActivityRecord.id, Facility.code, ActivityRecord.period_start,
            ActivityRecord.period_end, ActivityRecord.activity, ActivityRecord.quantity,
            ActivityRecord.unit, ActivityRecord.gas, ActivityRecord.variant,
            ActivityRecord.data_source, ActivityRecord.uncertainty_pct,
        )
        .join(Facility, Facility.id == ActivityRecord.facility_id)
        .where(and_(ActivityRecord.period_end >= date(year, 1, 1),
                    ActivityRecord.period_start <= date(through_year or year, 12, 31),
                    batches))
        .order_by(ActivityRecord.id)
    )


def read_facility_years(connection: Connection) -> pa.Table:
    """Every facility-year as ``FACILITY_YEAR_SCHEMA`` (expected activities split on ';')."""
    stored = FACILITY_YEAR_SCHEMA.set(
        FACILITY_YEAR_SCHEMA.get_field_index("expected_activities"),
        pa.field("expected_activities", pa.string()),
    )
    table = query_arrow(connection, select(
        Facility.code, FacilityYear.year, FacilityYear.floor_area_m2,
        FacilityYear.headcount, FacilityYear.in_boundary, FacilityYear.expected_activities,
        FacilityYear.in_boundary_from, FacilityYear.in_boundary_to,
    ).join(Facility, Facility.id == FacilityYear.facility_id), stored)
    index = stored.get_field_index("expected_activities")
    # One row per facility and year: a few thousand at most, so Python lists are fine.
    names = pa.array(
        [[n for n in (text or "").split(";") if n] for text in table.column(index).to_pylist()],
        pa.list_(pa.string()),
    )
    return table.set_column(index, FACILITY_YEAR_SCHEMA.field(index), names)


def load_inventory_inputs(
    url: str, year: int, through_year: int | None = None, pending_batch: int | None = None
) -> InventoryInputs:
    """Everything the engine needs for one reporting year, read in one connection.

    ``through_year`` widens the activity rows to the years ``year``..``through_year``
    (coverage looks at the years around the reporting year); ``pending_batch`` adds the
    rows of a batch awaiting review (to show its effect before approval).
    """
    catalog = data.load_activity_catalog()
    with get_engine(url).connect() as connection:
        activities = fetch_activities(connection, year, through_year, pending_batch)
        facilities = query_arrow(connection, select(
            Facility.code, Facility.name, Facility.type, Facility.country, Facility.province,
            Facility.grid_region, Facility.sector,
        ).order_by(Facility.code), FACILITY_SCHEMA)
        facility_years = read_facility_years(connection)
        members = query_arrow(connection, select(FacilityGroup.name, Facility.code)
            .join(FacilityGroupMember, FacilityGroupMember.group_id == FacilityGroup.id)
            .join(Facility, Facility.id == FacilityGroupMember.facility_id), MEMBER_SCHEMA)
        factors = query_arrow(connection, select(
            *(getattr(EmissionFactor, name) for name in FACTOR_COLUMNS)
        ).order_by(EmissionFactor.factor_id), FACTOR_SCHEMA)
        gwp = query_arrow(
            connection, select(GwpValue.gwp_set, GwpValue.gas, GwpValue.value), GWP_SCHEMA
        )
        blends = query_arrow(connection, select(
            GasBlendComponent.blend, GasBlendComponent.component, GasBlendComponent.mass_fraction
        ), BLEND_SCHEMA)
        fuel_properties = query_arrow(connection, select(
            FuelProperty.activity, FuelProperty.property, FuelProperty.value, FuelProperty.unit
        ), pa.schema([("activity", pa.string()), ("property", pa.string()),
                      ("value", pa.float64()), ("unit", pa.string())]))
        coefficients = query_arrow(connection, select(
            EnergyCoefficient.activity, EnergyCoefficient.value, EnergyCoefficient.unit,
            EnergyCoefficient.basis,
        ), pa.schema([("activity", pa.string()), ("value", pa.float64()),
                      ("unit", pa.string()), ("basis", pa.string())]))
        # Every year's claims: an instrument claimed in another year too is refused.
        instruments = query_arrow(connection, select(
            *(getattr(ContractualInstrument, "id" if name == "claim_id" else name)
              for name in INSTRUMENT_SCHEMA.names)
        ).order_by(ContractualInstrument.id), INSTRUMENT_SCHEMA)
    return InventoryInputs(
        activities=activities,
        facilities=facilities,
        facility_years=facility_years,
        group_members=members,
        factors=factors_to_canonical(factors, catalog, fuel_properties),
        gwp=gwp,
        blends=blends,
        unit_conversions=build_unit_conversions(catalog, fuel_properties),
        energy_coefficients=build_energy_coefficients(
            catalog, coefficients, fuel_properties, data.load_energy_carriers()
        ),
        catalog=catalog,
        instruments=instruments,
    )
