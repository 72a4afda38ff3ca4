"""Use case: the verifier's evidence pack of a published year, as one zip file.

The pack holds every disclosed figure of the year's current published snapshot and
everything needed to re-perform it by hand or in a spreadsheet: calculation lines,
the activity rows (with import batch and source row), factors with citations, GWP
values, blend fractions, unit conversions, energy coefficients, facility-years,
market-based Scope 2 lines and instruments, import batches with file hashes,
restatements, the snapshot and its hashes, and the audit-chain head. README.md inside
the pack says how (services.evidence.readme). The ledger is recalculated with the
snapshot's methodology; a ledger that no longer reproduces the published figures is
refused, so a pack always re-performs what was published.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy.orm import Session

from envledger.engine.intensities import INDICATORS
from envledger.errors import EnvledgerError, NotFoundError, PublicationError
from envledger.io.cells import escape_formulas
from envledger.services.audit.chain import ChainReport, format_timestamp, verify_chain
from envledger.services.evidence import tables
from envledger.services.evidence.figures import MEASURE_RULES, disclosed_figures
from envledger.services.evidence.pack_verify import (
    ALGORITHM,
    MANIFEST,
    SIGNATURE,
    public_key_sha256,
    sign,
    signing_key,
)
from envledger.services.evidence.readme import readme
from envledger.services.governance.review import batch_reviews
from envledger.services.inventory.calculate import calculate
from envledger.services.inventory.methodology import CalculationMethod
from envledger.services.ledger.tables import load_inventory_inputs
from envledger.services.publication.integrity import checked_content
from envledger.services.publication.publishing import Snapshot, current_snapshot, restatements
from envledger.services.publication.snapshot_content import comparable, inputs_digest
from envledger.settings import Settings
from envledger.store.db import session_scope
from envledger.store.publication import InventorySnapshot

SCHEMA = "envledger.evidence/1"

#: intensity numerator / denominator column -> measure path (as in figures.csv)
_TOTALS_PATHS = {
    "total_t": "emissions.total", "total_mwh": "energy.total",
    "water_running_t": "water.running", "waste_hazardous_t": "waste.hazardous",
    "waste_non_hazardous_t": "waste.non_hazardous", "floor_area_m2": "floor_area",
    "headcount": "headcount",
}

FORMULAS: dict[str, Any] = {
    "share_in_year": "(days of the row's inclusive period inside the year) / (days of the"
                     " period)",
    "quantity_canonical": "quantity x share_in_year x to_canonical",
    "line_quantity": "sum quantity_canonical of activity_rows.csv with the line's"
                     " facility_code, activity, variant and gas = activity_gas",
    "gas_kg": "quantity x kg_per_canonical",
    "t_co2e": "quantity x kg_per_canonical x gwp / 1000",
    "measures": MEASURE_RULES,
    "intensities": {
        name: {"numerator": _TOTALS_PATHS[top], "denominator": _TOTALS_PATHS[bottom],
               "unit": unit}
        for name, (top, bottom, unit) in INDICATORS.items()
    },
}


@dataclass(frozen=True)
class EvidencePack:
    """A written pack: where, which snapshot, the audit-chain state, the files inside."""

    path: Path
    year: int
    snapshot: Snapshot
    audit_chain: ChainReport
    files: list[str]


def write_evidence_pack(settings: Settings, year: int, out: Path) -> EvidencePack:
    """Write the evidence pack of ``year``'s current published snapshot to ``out`` (zip).

    Raises
    ------
    EnvledgerError
        If ``out`` exists (a pack is never overwritten).
    NotFoundError
        If ``year`` has no published snapshot.
    PublicationError
        If the ledger no longer reproduces the snapshot (unpublished changes).
    """
    if out.exists():
        raise EnvledgerError(f"{out} exists; an evidence pack is never overwritten")
    snapshot = current_snapshot(settings, year)
    if snapshot is None:
        raise NotFoundError(
            f"{year} has no published snapshot: an evidence pack covers published figures"
            f" only (run envledger publish --year {year} first)"
        )
    key = signing_key(settings.evidence_signing_key) if settings.evidence_signing_key else None
    files = _pack_files(settings, snapshot)
    chain = verify_chain(settings.database_url)
    files["README.md"] = readme(year, snapshot, chain).encode("utf-8")
    manifest = _manifest(snapshot, chain, files)
    if key is not None:
        manifest["signing"] = {"algorithm": ALGORITHM, "signature": SIGNATURE,
                               "public_key_sha256": public_key_sha256(key.public_key())}
    files[MANIFEST] = _json(manifest)
    if key is not None:
        files[SIGNATURE] = sign(files[MANIFEST], key)
    try:
        with out.open("xb") as stream, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in files.items():
                z.writestr(name, data)
    except FileExistsError:
        raise EnvledgerError(f"{out} exists; an evidence pack is never overwritten") from None
    return EvidencePack(out, year, snapshot, chain, sorted(files))


def _pack_files(settings: Settings, snapshot: Snapshot) -> dict[str, bytes]:
    url, year = settings.database_url, snapshot.year
    with session_scope(url) as session:
        stored, content = _stored_snapshot(session, snapshot.id)
    method = CalculationMethod.from_dict(content["methodology"])
    inventory = calculate(settings, year, method=method)
    inside = [row["code"] for row in content["boundary"] if row["in_boundary"]]
    if (
        comparable(inventory.to_dict()) != comparable(content["results"])
        or inputs_digest(url, year, inside)["sha256"] != content["inputs"]["sha256"]
    ):
        raise PublicationError(
            f"the ledger no longer reproduces {year} as published (version"
            f" {snapshot.version}, hash {snapshot.content_hash[:12]}): an evidence pack must"
            " re-perform the published figures. Publish the change first (envledger publish"
            f" --year {year} --reason ...), then export the new version."
        )
    inputs = load_inventory_inputs(url, year)
    with session_scope(url) as session:
        connection = session.connection()
        rows = tables.activity_rows(connection, inputs, year)
        factors = tables.factors(connection, inventory)
        csvs = {
            "figures.csv": disclosed_figures(content["results"]),
            "calculation_lines.csv": tables.calculation_lines(inventory),
            "activity_rows.csv": rows,
            "factors.csv": factors,
            "gwp.csv": tables.gwp_values(connection, inventory),
            "blends.csv": tables.blends(connection, inventory),
            "unit_conversions.csv": tables.unit_conversions(inputs, rows),
            "energy_coefficients.csv": tables.energy_coefficients(connection, inputs, rows),
            "facility_years.csv": tables.facility_years(inputs, year),
            "group_members.csv": inputs.group_members.sort_by(
                [("group_name", "ascending"), ("facility_code", "ascending")]),
            "market_lines.csv": inventory.market_lines,
            "instruments.csv": inventory.instrument_claims,
            "import_batches.csv": tables.import_batches(connection, rows, factors, year),
            "approvals.csv": batch_reviews(connection, rows["batch_id"]),
        }
    files = {name: _csv(table) for name, table in csvs.items()}
    files["snapshot.json"] = stored.encode("utf-8")
    files["restatements.json"] = _json([r.as_dict() for r in restatements(settings, year)])
    files["formulas.json"] = _json(FORMULAS)
    return files


def _stored_snapshot(session: Session, snapshot_id: int) -> tuple[str, dict[str, Any]]:
    row = session.get(InventorySnapshot, snapshot_id)
    if row is None:
        raise NotFoundError(f"snapshot {snapshot_id} does not exist")
    return row.content, checked_content(session, row)


def _manifest(snapshot: Snapshot, chain: ChainReport, files: dict[str, bytes]) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "year": snapshot.year,
        "generated_at": format_timestamp(datetime.now(UTC)),
        "snapshot": snapshot.as_dict(),
        "audit_chain": {"head_seq": chain.head_seq, "head_hash": chain.head_hash,
                        "verified": chain.ok,
                        "broken": None if chain.broken is None else chain.broken.__dict__},
        "approvals": "approvals.csv",
        "approvals_note": "the review (submitter, reviewer, comment, times) of every activity"
                          " batch the figures use; publication is recorded in the audit trail.",
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }


def _csv(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pacsv.write_csv(escape_formulas(table), buffer)
    return buffer.getvalue()


def _json(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
