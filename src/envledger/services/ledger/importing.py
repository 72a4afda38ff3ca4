"""Importing facility, activity and factor files into the ledger: checked, then all or nothing.

Each import reads the file once, checks it completely (the file on its own, then against
the ledger), and writes in ONE transaction: the ImportBatch, the rows and an AuditEvent.
Any problem raises InputError before anything is written; any error while writing rolls
everything back. A file already imported (same kind and SHA-256) is a no-op.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from envledger.errors import InputError, InputProblem, LedgerBusyError
from envledger.io.activities import parse_activities
from envledger.io.facilities import parse_facilities
from envledger.io.factors import parse_factors
from envledger.io.limits import ReadLimits, check_size
from envledger.services.audit.trail import record_event
from envledger.services.governance.review import open_review, outside_scope_message
from envledger.services.ledger.import_activities import (
    check_activities_in_ledger,
    facility_codes,
    insert_activities,
    missing_facility_years,
)
from envledger.services.ledger.import_facilities import add_facilities, check_facilities_in_ledger
from envledger.services.ledger.import_factors import add_factors, check_factors_in_ledger
from envledger.store.db import session_scope
from envledger.store.models import ImportBatch

Progress = Callable[[int, int], None]
"""Called as progress(rows_done, rows_total) after each chunk of rows is written."""


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the batch it created (or found), rows read and added."""

    batch_id: int
    kind: str
    file_name: str
    rows_read: int
    rows_added: int
    already_imported: bool
    message: str
    #: what the import accepted but a reader should know, e.g. rows of a facility with
    #: no facility-year for their year (they count in no figure until one is imported)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _File:
    name: str
    data: bytes
    sha256: str


def import_facilities(
    url: str, path: Path | str, actor: str = "cli", limits: ReadLimits | None = None
) -> ImportResult:
    """Import a facilities file: new facilities, facility-years, groups and memberships.

    Rows identical to the ledger are skipped; a row that would change a facility or
    facility-year already in the ledger is refused (InputError naming row, column, the
    ledger's value and the file's) — imports never overwrite.
    """
    def apply(session: Session, table: pa.Table, batch: ImportBatch) -> Applied:
        plan = check_facilities_in_ledger(session, table, batch.file_name)
        added = add_facilities(session, plan, batch.id)
        return Applied(added.facility_years, (
            f"Imported {{file}} as batch {{batch}}: {added.facilities} new facilities, "
            f"{added.facility_years} new facility-years, {added.groups} new groups, "
            f"{added.memberships} new group memberships; "
            f"{table.num_rows - added.facility_years} rows were already in the ledger."
        ), added.as_dict())

    return run_import(url, "facilities", path, actor, parse_facilities, apply, limits)


def import_activities(
    url: str, path: Path | str, actor: str = "cli", progress: Progress | None = None,
    submit: bool = False, facilities: Collection[str] | None = None,
    limits: ReadLimits | None = None,
) -> ImportResult:
    """Import an activities file; every row is new or the whole file is refused.

    Refused: rows for facilities not in the ledger or outside ``facilities`` (None = all),
    rows in a locked year, and rows whose natural key (facility, activity, gas, variant,
    period) is already in the ledger from another file. ``submit`` makes the batch a
    pending submission (services.governance.review) instead of approved on import.
    """
    def parse(data: bytes, file_name: str, read_limits: ReadLimits) -> pa.Table:
        # Unknown facility codes are reported with the row problems (all at once); the
        # checks in `apply` repeat it inside the write transaction. A scoped importer
        # hears "not one of your facilities" for a code in the ledger or not alike, so
        # the refusal does not tell which codes exist.
        known = facility_codes(url)
        if facilities is None:
            return parse_activities(data, file_name, read_limits, known)
        mine = sorted(set(facilities))
        return parse_activities(
            data, file_name, read_limits,
            pc.filter(known, pc.is_in(known, value_set=pa.array(mine, pa.string()))),
            outside_scope_message(mine),
        )

    apply = activity_applier(submit, facilities, progress)
    return run_import(url, "activities", path, actor, parse, apply, limits)


def activity_applier(
    submit: bool, facilities: Collection[str] | None, progress: Progress | None = None
) -> Apply:
    """How an activities table is applied: review row, checks against the ledger, rows."""
    def apply(session: Session, table: pa.Table, batch: ImportBatch) -> Applied:
        status = open_review(session, table, batch, submit, facilities)
        table = check_activities_in_ledger(session, table, batch.file_name)
        insert_activities(session, table, batch.id, progress)
        verb = "Submitted" if submit else "Imported"
        return Applied(
            table.num_rows,
            f"{verb} {table.num_rows:,} activity rows from {{file}} as batch {{batch}}"
            f" ({status}).",
            {"review_status": status},
            warnings=missing_facility_years(session.connection(), table),
        )

    return apply


def import_factors(
    url: str, path: Path | str, actor: str = "cli", limits: ReadLimits | None = None
) -> ImportResult:
    """Import user emission factors (origin 'user'); identical factors already there are skipped.

    A factor_id already in the ledger with any different value is refused.
    """
    def apply(session: Session, table: pa.Table, batch: ImportBatch) -> Applied:
        new = check_factors_in_ledger(session, table, batch.file_name)
        add_factors(session, new, batch.id)
        return Applied(new.num_rows, (
            f"Imported {new.num_rows} factors from {{file}} as batch {{batch}}; "
            f"{table.num_rows - new.num_rows} were already in the ledger unchanged."
        ))

    return run_import(url, "factors", path, actor, parse_factors, apply, limits)


@dataclass(frozen=True)
class Applied:
    """What one import wrote: rows added, a message ({batch} = batch id), audit details."""

    rows_added: int
    message: str
    detail: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, Any] = field(default_factory=dict)
    """Tracked rows written beyond the kind's own (services.audit.fingerprint)."""
    warnings: tuple[str, ...] = ()


Apply = Callable[[Session, pa.Table, ImportBatch], Applied]
Parse = Callable[[bytes, str, ReadLimits], pa.Table]


def run_import(
    url: str, kind: str, path: Path | str, actor: str,
    parse: Parse, apply: Apply, limits: ReadLimits | None = None,
) -> ImportResult:
    """Read, validate and apply one file in one transaction, with its batch and audit event.

    The same file (kind and SHA-256) imported again is a no-op naming the earlier batch;
    any error raised by ``parse`` or ``apply`` rolls everything back. A file over
    ``limits`` (the settings' when None) is refused before it is read. An import that
    loses a race (the same file or overlapping rows committed by another import while
    this one was checking) is checked once more against the ledger, so that it ends as
    the usual no-op or clear refusal.
    """
    limits = limits or ReadLimits.from_settings()
    file = _read(path, limits)
    return _run(url, kind, file, actor, parse, apply, limits)


def import_generated(
    url: str, kind: str, file_name: str, content: bytes, actor: str,
    parse: Parse, apply: Apply,
) -> ImportResult:
    """Import a file envledger wrote itself (e.g. estimated rows) exactly as an upload.

    ``content`` goes through the same parse, checks, batch, review and audit event as a
    file of ``kind``; the same content imported again is the usual no-op.
    """
    limits = ReadLimits.from_settings()
    check_size(len(content), file_name, limits)
    file = _File(file_name, content, hashlib.sha256(content).hexdigest())
    return _run(url, kind, file, actor, parse, apply, limits)


def _run(
    url: str, kind: str, file: _File, actor: str, parse: Parse, apply: Apply,
    limits: ReadLimits,
) -> ImportResult:
    earlier = _earlier_import(url, kind, file)
    if earlier:
        return earlier
    table = parse(file.data, file.name, limits)
    for _attempt in range(2):
        try:
            return _write(url, kind, file, table, actor, apply)
        except IntegrityError:
            earlier = _earlier_import(url, kind, file)
            if earlier:
                return earlier
    raise LedgerBusyError(
        f"{file.name} clashed with another change being written at the same time; nothing"
        " was imported: import it again"
    )


def _write(
    url: str, kind: str, file: _File, table: pa.Table, actor: str, apply: Apply
) -> ImportResult:
    """Write one checked file as a new batch, in one transaction holding the write lock."""
    with session_scope(url, write=True) as session:
        batch = _new_batch(session, kind, file, table.num_rows, actor)
        applied = apply(session, table, batch)
        record_event(session, actor, f"import.{kind}", "import_batch", {
            "batch_id": batch.id, "file_name": file.name, "sha256": file.sha256,
            "rows_read": table.num_rows, "rows_added": applied.rows_added, **applied.detail,
        }, rows={**_written(kind, batch.id), **applied.rows})
    return ImportResult(
        batch.id, kind, file.name, table.num_rows, applied.rows_added, False,
        applied.message.format(batch=batch.id, file=file.name), applied.warnings,
    )


def _written(kind: str, batch_id: int) -> dict[str, Any]:
    """The tracked rows (services.audit.fingerprint) an import of ``kind`` writes."""
    batch = {"batch_id": batch_id}
    rows: dict[str, Any] = {"import_batch": {"id": batch_id}}
    if kind == "activities":
        rows.update(activity_record=batch, batch_review=batch)
    elif kind == "facilities":
        rows.update(facility=batch, facility_year=batch, facility_group={},
                    facility_group_member={})
    elif kind == "factors":
        rows.update(emission_factor=batch)
    elif kind in ("targets", "measures", "instruments"):
        table = {"targets": "target", "measures": "reduction_measure",
                 "instruments": "contractual_instrument"}[kind]
        rows[table] = batch
    return rows


def _read(path: Path | str, limits: ReadLimits) -> _File:
    path = Path(path)
    try:
        check_size(path.stat().st_size, path.name, limits)
        data = path.read_bytes()
    except OSError as error:
        problem = InputProblem(path.name, None, None, f"cannot be read: {error}")
        raise InputError([problem]) from None
    return _File(path.name, data, hashlib.sha256(data).hexdigest())


def _earlier_import(url: str, kind: str, file: _File) -> ImportResult | None:
    """The result of importing this very file before (same kind and content), if it was."""
    with session_scope(url) as session:
        batch = session.scalars(
            select(ImportBatch).where(
                ImportBatch.kind == kind, ImportBatch.file_sha256 == file.sha256
            )
        ).first()
    if batch is None:
        return None
    message = (
        f"{file.name} was already imported as batch {batch.id} ({batch.file_name}, "
        f"{batch.imported_at:%Y-%m-%d %H:%M} by {batch.imported_by}); nothing changed."
    )
    return ImportResult(batch.id, kind, file.name, batch.row_count, 0, True, message)


def _new_batch(session: Session, kind: str, file: _File, rows: int, actor: str) -> ImportBatch:
    batch = ImportBatch(
        kind=kind, file_name=file.name, file_sha256=file.sha256, row_count=rows,
        imported_by=actor,
    )
    session.add(batch)
    session.flush()
    return batch
