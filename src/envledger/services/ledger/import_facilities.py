"""Facility imports against the ledger: what is new, what is unchanged, what would change."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from envledger.io.checks import TableCheck
from envledger.services.ledger.changes import held_in, refuse_changes
from envledger.services.ledger.tables import query_arrow
from envledger.store.models import (
    Facility,
    FacilityGroup,
    FacilityGroupMember,
    FacilityYear,
    ImportBatch,
)

STATIC = ("name", "type", "country", "province", "grid_region", "sector")
YEARLY = (
    "floor_area_m2", "headcount", "in_boundary", "boundary_note", "expected_activities",
    "in_boundary_from", "in_boundary_to",
)


@dataclass(frozen=True)
class FacilityPlan:
    """The rows of a checked facilities file that the ledger does not hold yet."""

    facilities: pa.Table  # first row of each new facility
    years: pa.Table  # new (code, year) rows
    memberships: pa.Table  # group_name, code: every membership the file names


@dataclass(frozen=True)
class FacilitiesAdded:
    """Counts of what a facilities import added."""

    facilities: int
    facility_years: int
    groups: int
    memberships: int

    def as_dict(self) -> dict[str, int]:
        """The counts by name, for the audit event."""
        return asdict(self)


def check_facilities_in_ledger(session: Session, table: pa.Table, file_name: str) -> FacilityPlan:
    """Refuse rows that would change a facility or facility-year; plan what to add."""
    connection = session.connection()
    table = _joined_expected_activities(table)
    check = TableCheck(table, file_name)
    old = query_arrow(
        connection,
        select(Facility.code, *(getattr(Facility, c) for c in STATIC), Facility.batch_id,
               ImportBatch.file_name)
        .outerjoin(ImportBatch, ImportBatch.id == Facility.batch_id),
        pa.schema([("code", pa.string()), *((c, pa.string()) for c in STATIC),
                   ("batch_id", pa.int64()), ("file_name", pa.string())]),
    )
    old = old.append_column(
        "held_in", held_in(old.column("batch_id"), old.column("file_name"), "not imported")
    )
    refuse_changes(check, table, old, ["code"], STATIC, lambda row: f"facility {row['code']}")
    old_years = query_arrow(
        connection,
        select(Facility.code, FacilityYear.year, *(getattr(FacilityYear, c) for c in YEARLY),
               FacilityYear.batch_id, ImportBatch.file_name)
        .join(Facility, Facility.id == FacilityYear.facility_id)
        .outerjoin(ImportBatch, ImportBatch.id == FacilityYear.batch_id),
        pa.schema([
            ("code", pa.string()), ("year", pa.int32()), ("floor_area_m2", pa.float64()),
            ("headcount", pa.float64()), ("in_boundary", pa.bool_()),
            ("boundary_note", pa.string()), ("expected_activities", pa.string()),
            ("in_boundary_from", pa.date32()), ("in_boundary_to", pa.date32()),
            ("batch_id", pa.int64()), ("file_name", pa.string()),
        ]),
    )
    old_years = old_years.append_column(
        "held_in",
        held_in(old_years.column("batch_id"), old_years.column("file_name"), "not imported"),
    )
    refuse_changes(
        check, table, old_years, ["code", "year"], YEARLY,
        lambda row: f"facility {row['code']} in {row['year']}",
    )
    check.done()

    flat = table.select(["code", "groups", "source_row"])
    firsts = flat.group_by("code").aggregate([("source_row", "min")])
    first_rows = table.drop_columns(["groups"]).join(
        firsts.rename_columns(["code", "source_row"]), ["code", "source_row"], join_type="inner"
    )
    facilities = first_rows.join(old.select(["code"]), "code", join_type="left anti")
    years = table.drop_columns(["groups"]).join(
        old_years.select(["code", "year"]), ["code", "year"], join_type="left anti"
    )
    members = pa.table({
        "group_name": pc.list_flatten(flat.column("groups")),
        "code": pc.take(flat.column("code"), pc.list_parent_indices(flat.column("groups"))),
    }).group_by(["group_name", "code"]).aggregate([])
    return FacilityPlan(facilities, years, members)


def _joined_expected_activities(table: pa.Table) -> pa.Table:
    """The file's expected activities as the ledger stores them: 'gas;water' ('' if none)."""
    index = table.schema.get_field_index("expected_activities")
    joined = pc.fill_null(pc.binary_join(table.column(index), ";"), "")
    return table.set_column(index, "expected_activities", joined)


def add_facilities(session: Session, plan: FacilityPlan, batch_id: int) -> FacilitiesAdded:
    """Insert the planned facilities, facility-years, groups and memberships."""
    connection = session.connection()
    batch = {"batch_id": batch_id}
    if plan.facilities.num_rows:
        rows = plan.facilities.select(["code", *STATIC]).to_pylist()
        connection.execute(insert(Facility), [{**row, **batch} for row in rows])
    ids = query_arrow(
        connection, select(Facility.code, Facility.id),
        pa.schema([("code", pa.string()), ("facility_id", pa.int64())]),
    )
    if plan.years.num_rows:
        years = plan.years.join(ids, "code", join_type="inner")
        rows = years.select(["facility_id", "year", *YEARLY]).to_pylist()
        connection.execute(insert(FacilityYear), [{**row, **batch} for row in rows])

    group_schema = pa.schema([("group_name", pa.string()), ("group_id", pa.int64())])
    group_query = select(FacilityGroup.name, FacilityGroup.id)
    names = pa.table({"group_name": pc.unique(plan.memberships.column("group_name"))})
    new_groups = names.join(
        query_arrow(connection, group_query, group_schema), "group_name", join_type="left anti"
    )
    if new_groups.num_rows:
        connection.execute(
            insert(FacilityGroup),
            [{"name": name} for name in new_groups.column("group_name").to_pylist()],
        )
    groups = query_arrow(connection, group_query, group_schema)
    wanted = (
        plan.memberships.join(groups, "group_name", join_type="inner")
        .join(ids, "code", join_type="inner")
        .select(["group_id", "facility_id"])
    )
    held = query_arrow(
        connection, select(FacilityGroupMember.group_id, FacilityGroupMember.facility_id),
        pa.schema([("group_id", pa.int64()), ("facility_id", pa.int64())]),
    )
    members = wanted.join(held, ["group_id", "facility_id"], join_type="left anti")
    if members.num_rows:
        connection.execute(insert(FacilityGroupMember), members.to_pylist())
    return FacilitiesAdded(
        plan.facilities.num_rows, plan.years.num_rows, new_groups.num_rows, members.num_rows
    )
