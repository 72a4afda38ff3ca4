"""Fingerprints of ledger rows, kept in audit events, so that a direct edit of a row shows.

A tracked table's rows are grouped by key columns (one row per group for most tables;
every activity row of an import batch; the whole table when the key is empty). A
group's fingerprint is the SHA-256 (hex) of its rows' lines, sorted, each ending in a
newline; a line is the JSON array of the row's tracked columns (no whitespace, UTF-8,
floats as Python's shortest round-trip ``repr``, dates as ``YYYY-MM-DD``, times as
``format_timestamp`` writes them). An audit event that writes tracked rows stores ``detail["rows"] =
{table: {group: fingerprint or null}}``, where ``group`` names the key (``id=7``,
``facility_id=2,year=2023``, ``batch_id=null``, ``all``); null means the group has no
rows. The latest fingerprint of every group, replayed from the chain, must equal the
one recomputed from the tables (services.evidence.ledger_verify).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Float, Integer, Select, String, Table, select

from envledger.services.audit.chain import format_timestamp
from envledger.store.accounts import ApiToken, AppUser, UserFacility
from envledger.store.checks import CheckDismissal
from envledger.store.commitments import ReductionMeasure, Target
from envledger.store.estimation import Estimation
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
    ImportBatch,
    Organization,
    ReferenceDataVersion,
)
from envledger.store.publication import (
    InventorySnapshot,
    MethodologyVersion,
    Restatement,
    SnapshotSupersession,
)
from envledger.store.review import BatchReview, PeriodLock, RejectedActivity

Selection = Mapping[str, Any]
"""Which rows of a tracked table an event wrote: column -> value ({} = every row)."""


@dataclass(frozen=True)
class Tracked:
    """A tracked table: its name, the tables holding its rows, the key, the columns."""

    name: str
    sources: tuple[Table, ...]
    key: tuple[str, ...]
    columns: tuple[str, ...]


def _all_columns(model: Any, *left_out: str) -> tuple[str, ...]:
    return tuple(c.name for c in model.__table__.columns if c.name not in left_out)


def _tracked(name: str, model: Any, key: tuple[str, ...], *left_out: str) -> Tracked:
    return Tracked(name, (model.__table__,), key, _all_columns(model, *left_out))


# Not tracked: columns that change without an audit event by design (failed logins,
# lock-out time, a token's last use) and web sessions.
TRACKED: dict[str, Tracked] = {t.name: t for t in (
    _tracked("import_batch", ImportBatch, ("id",)),
    # Rejecting a submission moves its rows to rejected_activity, and the fix of a reused
    # id may renumber them: a batch's rows are one group wherever they are, without ids.
    Tracked("activity_record", (ActivityRecord.__table__, RejectedActivity.__table__),
            ("batch_id",), _all_columns(ActivityRecord, "id")),
    _tracked("batch_review", BatchReview, ("batch_id",)),
    _tracked("period_lock", PeriodLock, ("id",)),
    _tracked("facility", Facility, ("id",)),
    _tracked("facility_year", FacilityYear, ("facility_id", "year")),
    _tracked("facility_group", FacilityGroup, ()),
    _tracked("facility_group_member", FacilityGroupMember, ()),
    _tracked("emission_factor", EmissionFactor, ("batch_id",)),
    _tracked("gwp_value", GwpValue, ()),
    _tracked("gas_blend_component", GasBlendComponent, ()),
    _tracked("energy_coefficient", EnergyCoefficient, ()),
    _tracked("fuel_property", FuelProperty, ()),
    _tracked("reference_data_version", ReferenceDataVersion, ()),
    _tracked("app_user", AppUser, ("id",), "failed_logins", "locked_until"),
    _tracked("app_user_facility", UserFacility, ("user_id",)),
    _tracked("api_token", ApiToken, ("id",), "last_used_at"),
    _tracked("methodology_version", MethodologyVersion, ("id",)),
    _tracked("inventory_snapshot", InventorySnapshot, ("id",)),
    _tracked("snapshot_supersession", SnapshotSupersession, ("snapshot_id",)),
    _tracked("restatement", Restatement, ("id",)),
    _tracked("organization", Organization, ()),
    # Targets added on the command line have no batch: they are one group (batch_id=null).
    _tracked("target", Target, ("batch_id",)),
    _tracked("reduction_measure", ReductionMeasure, ("batch_id",)),
    _tracked("contractual_instrument", ContractualInstrument, ("batch_id",)),
    _tracked("estimation", Estimation, ("batch_id",)),
    _tracked("check_dismissal", CheckDismissal, ("id",)),
)}
REFERENCE_TABLES = (
    "gwp_value", "gas_blend_component", "energy_coefficient", "fuel_property",
    "reference_data_version",
)
"""Tables a reference-data load writes as a whole (with the built-in factors)."""


def group_name(key: tuple[str, ...], values: tuple[Any, ...]) -> str:
    """The name of a group in reports and events, e.g. ``facility_id=2,year=2023``."""
    if not key:
        return "all"
    return ",".join(f"{c}={'null' if v is None else v}" for c, v in zip(key, values, strict=True))


def _plain(value: Any) -> str:
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a tracked column type")


_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False,
                         default=_plain)
# Types the driver returns alike on both backends (SQLite gives dates as ISO text, which
# is what _plain writes): such rows skip SQLAlchemy's per-row processing, the bulk of
# the time on large batches.
_RAW_TYPES = (Integer, Float, String, Date)


def _rows(connection: Connection, statement: Select) -> Iterator[Sequence[Any]]:
    if all(isinstance(column.type, _RAW_TYPES) and not isinstance(column.type, DateTime)
           for column in statement.selected_columns):
        result = connection.execute(statement)  # kept: it owns the cursor
        while rows := result.cursor.fetchmany(50_000):
            yield from rows
    else:
        yield from connection.execute(statement)


def digests(
    connection: Connection, tracked: Tracked, selection: Selection | None = None
) -> dict[str, str | None]:
    """Fingerprint of every group of ``tracked`` with rows matching ``selection`` (None = all).

    A selection naming exactly the key's columns gives that group null when it has no rows.
    """
    lines: dict[str, list[str]] = defaultdict(list)
    for source in tracked.sources:
        where = [source.c[name] == value if value is not None else source.c[name].is_(None)
                 for name, value in (selection or {}).items()]
        columns = [source.c[name] for name in tracked.key + tracked.columns]
        statement = select(*columns).where(*where)
        width = len(tracked.key)
        for row in _rows(connection, statement):
            lines[group_name(tracked.key, tuple(row[:width]))].append(
                _LINE.encode(list(row[width:])))
    found: dict[str, str | None] = {
        group: hashlib.sha256("".join(f"{line}\n" for line in sorted(rows)).encode()).hexdigest()
        for group, rows in lines.items()
    }
    if selection is not None and set(selection) == set(tracked.key):
        named = group_name(tracked.key, tuple(selection[c] for c in tracked.key))
        found.setdefault(named, None)
    return found


def fingerprints(
    connection: Connection, selections: Mapping[str, Selection | list[Selection]]
) -> dict[str, dict[str, str | None]]:
    """``detail["rows"]`` of an event: the fingerprints of the rows it wrote, by table."""
    recorded: dict[str, dict[str, str | None]] = {}
    for name, selection in selections.items():
        groups = recorded.setdefault(name, {})
        for one in selection if isinstance(selection, list) else [selection]:
            groups.update(digests(connection, TRACKED[name], one))
    return recorded
