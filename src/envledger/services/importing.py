"""Importing facility, activity and factor files into the ledger: checked, then all or nothing.

Each import reads the file once, checks it completely (the file on its own, then against
the ledger), and writes in ONE transaction: the ImportBatch, the rows and an AuditEvent.
Any problem raises InputError before anything is written; any error while writing rolls
everything back. A file already imported (same kind and SHA-256) is a no-op.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from envledger.errors import InputError, InputProblem
from envledger.io.activities import parse_activities
from envledger.io.facilities import parse_facilities
from envledger.io.factors import parse_factors
from envledger.services.audit import record_event
from envledger.services.import_activities import check_activities_in_ledger, insert_activities
from envledger.services.import_facilities import add_facilities, check_facilities_in_ledger
from envledger.services.import_factors import add_factors, check_factors_in_ledger
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


@dataclass(frozen=True)
class _File:
    name: str
    data: bytes
    sha256: str


def import_facilities(url: str, path: Path | str, actor: str = "cli") -> ImportResult:
    """Import a facilities file: new facilities, facility-years, groups and memberships.

    Rows identical to the ledger are skipped; a row that would change a facility or
    facility-year already in the ledger is refused (InputError naming row, column, the
    ledger's value and the file's) — imports never overwrite.
    """
    file = _read(path)
    earlier = _earlier_import(url, "facilities", file)
    if earlier:
        return earlier
    table = parse_facilities(file.data, file.name)
    with session_scope(url) as session:
        plan = check_facilities_in_ledger(session, table, file.name)
        batch = _new_batch(session, "facilities", file, table.num_rows, actor)
        added = add_facilities(session, plan, batch.id)
        message = (
            f"Imported {file.name} as batch {batch.id}: {added.facilities} new facilities, "
            f"{added.facility_years} new facility-years, {added.groups} new groups, "
            f"{added.memberships} new group memberships; "
            f"{table.num_rows - added.facility_years} rows were already in the ledger."
        )
        record_event(session, actor, "import.facilities", "import_batch", {
            "batch_id": batch.id, "file_name": file.name, "sha256": file.sha256,
            "rows_read": table.num_rows, **added.as_dict(),
        })
    return ImportResult(
        batch.id, "facilities", file.name, table.num_rows, added.facility_years, False, message
    )


def import_activities(
    url: str, path: Path | str, actor: str = "cli", progress: Progress | None = None
) -> ImportResult:
    """Import an activities file; every row is new or the whole file is refused.

    Refused: rows for facilities not in the ledger, and rows whose natural key (facility,
    activity, gas, variant, period) is already in the ledger from another file.
    """
    file = _read(path)
    earlier = _earlier_import(url, "activities", file)
    if earlier:
        return earlier
    table = parse_activities(file.data, file.name)
    with session_scope(url) as session:
        table = check_activities_in_ledger(session, table, file.name)
        batch = _new_batch(session, "activities", file, table.num_rows, actor)
        insert_activities(session, table, batch.id, progress)
        record_event(session, actor, "import.activities", "import_batch", {
            "batch_id": batch.id, "file_name": file.name, "sha256": file.sha256,
            "rows_read": table.num_rows, "rows_added": table.num_rows,
        })
    message = f"Imported {table.num_rows:,} activity rows from {file.name} as batch {batch.id}."
    return ImportResult(
        batch.id, "activities", file.name, table.num_rows, table.num_rows, False, message
    )


def import_factors(url: str, path: Path | str, actor: str = "cli") -> ImportResult:
    """Import user emission factors (origin 'user'); identical factors already there are skipped.

    A factor_id already in the ledger with any different value is refused.
    """
    file = _read(path)
    earlier = _earlier_import(url, "factors", file)
    if earlier:
        return earlier
    table = parse_factors(file.data, file.name)
    with session_scope(url) as session:
        new = check_factors_in_ledger(session, table, file.name)
        batch = _new_batch(session, "factors", file, table.num_rows, actor)
        add_factors(session, new, batch.id)
        record_event(session, actor, "import.factors", "import_batch", {
            "batch_id": batch.id, "file_name": file.name, "sha256": file.sha256,
            "rows_read": table.num_rows, "rows_added": new.num_rows,
        })
    message = (
        f"Imported {new.num_rows} factors from {file.name} as batch {batch.id}; "
        f"{table.num_rows - new.num_rows} were already in the ledger unchanged."
    )
    return ImportResult(
        batch.id, "factors", file.name, table.num_rows, new.num_rows, False, message
    )


def _read(path: Path | str) -> _File:
    path = Path(path)
    try:
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
