"""Environmental targets: import or add them, and measure their progress from inventories."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from envledger.engine.contract import quantity
from envledger.io.checks import TableCheck
from envledger.io.limits import ReadLimits
from envledger.io.targets import SCHEMA, check_targets, parse_targets
from envledger.methods.intensity import intensity
from envledger.methods.targets import Progress, progress
from envledger.services.audit.trail import record_event
from envledger.services.ledger.changes import held_in, refuse_changes
from envledger.services.ledger.importing import Applied, ImportResult, run_import
from envledger.services.ledger.tables import query_arrow
from envledger.settings import Settings
from envledger.store.commitments import Target
from envledger.store.db import get_engine, session_scope
from envledger.store.models import ImportBatch

COLUMNS = (
    "name", "kind", "metric", "basis", "scope", "group_name", "base_year", "target_year",
    "set_in_year", "reduction_pct", "description",
)
#: metric -> path of its absolute value in an inventory ``MEASURES`` object
METRIC_PATHS: dict[str, tuple[str, str]] = {
    "energy": ("energy", "total"),
    "ghg": ("emissions", "total"),
    "water": ("water", "running"),
    "waste_hazardous": ("waste", "hazardous"),
    "waste_non_hazardous": ("waste", "non_hazardous"),
}
#: (metric, basis) -> intensity indicator of the inventory payload
INDICATORS: dict[tuple[str, str], str] = {
    ("energy", "per_capita"): "energy_per_capita",
    ("energy", "per_floor_area"): "energy_per_floor_area",
    ("ghg", "per_capita"): "ghg_per_capita",
    ("ghg", "per_floor_area"): "ghg_per_floor_area",
    ("water", "per_capita"): "water_running_per_capita",
    ("waste_hazardous", "per_capita"): "waste_hazardous_per_capita",
    ("waste_non_hazardous", "per_capita"): "waste_non_hazardous_per_capita",
}
_FILE_COLUMNS = tuple("group" if name == "group_name" else name for name in COLUMNS)
_DENOMINATORS = {"per_capita": ("headcount", "person"), "per_floor_area": ("floor_area", "m2")}


def import_targets(
    url: str, path: Path | str, actor: str = "cli", limits: ReadLimits | None = None
) -> ImportResult:
    """Import a targets file: new targets are added, identical ones skipped.

    A target whose name is in the ledger with any different field is refused
    (InputError naming row and column): imports never overwrite.
    """
    def apply(session: Session, table: pa.Table, batch: ImportBatch) -> Applied:
        new = _new_targets(session.connection(), table, batch.file_name)
        _insert(session.connection(), new, batch.id)
        return Applied(new.num_rows, (
            f"Imported {new.num_rows} targets from {{file}} as batch {{batch}}; "
            f"{table.num_rows - new.num_rows} were already in the ledger unchanged."
        ))

    return run_import(url, "targets", path, actor, parse_targets, apply, limits)


def add_target(url: str, fields: Mapping[str, str], actor: str = "cli") -> str:
    """Add one target given as text fields (the columns of a targets file).

    Checked by the same rules as a file row; a target of the same name is refused.
    """
    row = {name: fields.get(name, "") for name in _FILE_COLUMNS}
    table = check_targets(pa.table({k: [v] for k, v in row.items()}), "command line")
    with session_scope(url) as session:
        new = _new_targets(session.connection(), table, "command line")
        if new.num_rows == 0:
            return f"Target '{row['name']}' is already in the ledger unchanged."
        _insert(session.connection(), new, None)
        record_event(session, actor, "add.target", "target", {
            k: v for k, v in new.to_pylist()[0].items() if k != "source_row"
        }, rows={"target": {"batch_id": None}})
    return f"Added target '{row['name']}'."


def list_targets(url: str) -> list[dict[str, Any]]:
    """Every target in the ledger, by name."""
    with get_engine(url).connect() as connection:
        return _ledger_targets(connection).drop_columns(["held_in"]).to_pylist()


@dataclass(frozen=True)
class TargetStatus:
    """A target and how far it has come by the latest inventory year.

    ``progress`` is None for a qualitative target and when a year has no value; then
    ``status`` says why. Values are in ``unit`` (e.g. MWh/person).
    """

    target: dict[str, Any]
    unit: str
    base_value: float | None
    latest_year: int | None
    latest_value: float | None
    progress: Progress | None
    status: str

    def to_dict(self) -> dict[str, Any]:
        """A flat JSON-ready row: the target's fields, figures as {"value", "unit"}."""
        t, p, unit = self.target, self.progress, self.unit
        pct = t["reduction_pct"]
        return {
            "name": t["name"], "kind": t["kind"], "metric": t["metric"] or None,
            "basis": t["basis"] or None, "scope": t["scope"], "group": t["group_name"] or None,
            "set_in_year": t["set_in_year"], "base_year": t["base_year"],
            "target_year": t["target_year"],
            "reduction": None if pct is None else quantity(pct, "%"),
            "description": t["description"],
            "base_value": quantity(self.base_value, unit) if unit else None,
            "latest_year": self.latest_year,
            "latest_value": quantity(self.latest_value, unit) if unit else None,
            "target_value": None if p is None else quantity(p.target_value, unit),
            "path_value": None if p is None else quantity(p.path_value, unit),
            "change": None if p is None else quantity(p.change, unit),
            "change_pct": None if p is None else quantity(p.change_pct, "%"),
            "remaining": None if p is None else quantity(p.remaining, unit),
            "on_track": None if p is None else p.on_track,
            "status": self.status,
        }


def target_progress(
    settings: Settings, payloads_by_year: Mapping[int, Mapping[str, Any]]
) -> list[TargetStatus]:
    """Progress of every target in the ledger, from ``envledger.inventory/1`` payloads.

    ``payloads_by_year`` maps a reporting year to its payload (computed or published).
    The latest year is the latest payload year; a year without a payload, a group
    missing from it or a zero denominator gives a status that says so, not an error.
    GHG is scope 1 + scope 2 location-based [tCO2e]; water is running water [t].
    """
    with get_engine(settings.database_url).connect() as connection:
        targets = _ledger_targets(connection).to_pylist()
    latest = max(payloads_by_year, default=None)
    return [_status(target, payloads_by_year, latest) for target in targets]


def _status(
    target: dict[str, Any], payloads: Mapping[int, Mapping[str, Any]], latest: int | None
) -> TargetStatus:
    if target["kind"] == "qualitative":
        return TargetStatus(target, "", None, None, None, None, "qualitative target")
    base_year, unit = target["base_year"], _unit(target)
    base, problem = _value(target, payloads, base_year)
    if problem:
        return TargetStatus(target, unit, base, None, None, None, problem)
    if latest is None or latest <= base_year:
        return TargetStatus(target, unit, base, None, None, None,
                            "no inventory after the base year yet")
    value, problem = _value(target, payloads, latest)
    if problem:
        return TargetStatus(target, unit, base, latest, value, None, problem)
    assert base is not None and value is not None
    pct = target["reduction_pct"] if target["kind"] == "reduction" else None
    result = progress(base, value, base_year, target["target_year"], latest, pct)
    if latest >= target["target_year"]:
        status = "met" if value <= result.target_value else "not met"
    else:
        status = "on track" if result.on_track else "not on track"
    return TargetStatus(target, unit, base, latest, value, result, status)


def _unit(target: dict[str, Any]) -> str:
    unit = {"energy": "MWh", "ghg": "tCO2e"}.get(target["metric"], "t")
    basis = target["basis"]
    return unit if basis == "absolute" else f"{unit}/{_DENOMINATORS[basis][1]}"


def _value(
    target: dict[str, Any], payloads: Mapping[int, Mapping[str, Any]], year: int
) -> tuple[float | None, str | None]:
    """The target's metric in ``year`` [unit of :func:`_unit`], or why there is none."""
    payload = payloads.get(year)
    if payload is None:
        return None, f"no inventory for {year}"
    metric, basis, group = target["metric"], target["basis"], target["group_name"]
    if target["scope"] == "company":
        measures = payload["company"]
    else:
        found = [g for g in payload["groups"] if g["name"] == group]
        if not found:
            return None, f"group '{group}' is not in the {year} inventory"
        measures = found[0]
        indicator = INDICATORS.get((metric, basis))
        for row in payload.get("intensities", []):
            if indicator and row["group"] == group and row["indicator"] == indicator:
                return _present(row["intensity"]["value"], target, year)
    section, key = METRIC_PATHS[metric]
    numerator = measures[section][key]["value"]
    if basis == "absolute":
        return numerator, None
    return _present(intensity(numerator, measures[_DENOMINATORS[basis][0]]["value"]),
                    target, year)


def _present(value: float | None, target: dict[str, Any], year: int) -> tuple[
    float | None, str | None
]:
    if value is None:
        return None, f"no {target['metric']} {target['basis']} value in {year} (zero denominator)"
    return value, None


def _ledger_targets(connection: Connection) -> pa.Table:
    schema = pa.schema([
        *(field for field in SCHEMA if field.name != "source_row"),
        ("batch_id", pa.int64()), ("file_name", pa.string()),
    ])
    old = query_arrow(
        connection,
        select(*(getattr(Target, name) for name in COLUMNS), Target.batch_id,
               ImportBatch.file_name)
        .outerjoin(ImportBatch, ImportBatch.id == Target.batch_id).order_by(Target.name),
        schema,
    )
    return old.append_column(
        "held_in", held_in(old.column("batch_id"), old.column("file_name"), "added by command")
    ).drop_columns(["batch_id", "file_name"])


def _new_targets(connection: Connection, table: pa.Table, file_name: str) -> pa.Table:
    """Refuse changes to targets in the ledger; return the rows that are new."""
    old = _ledger_targets(connection)
    check = TableCheck(table, file_name)
    columns = [c for c in COLUMNS if c != "name"]
    refuse_changes(check, table, old, ["name"], columns, lambda row: f"target '{row['name']}'")
    check.done()
    return table.join(old.select(["name"]), "name", join_type="left anti")


def _insert(connection: Connection, new: pa.Table, batch_id: int | None) -> None:
    if new.num_rows:
        rows = new.select(list(COLUMNS)).to_pylist()
        connection.execute(insert(Target), [{**row, "batch_id": batch_id} for row in rows])
