"""Whole-ledger verification: every tracked row, snapshot and decision against the chain.

Checks, all from the database alone:

- the audit chain (services.audit.chain), optionally against an anchor ``SEQ:HASH``;
- every tracked row group (services.audit.fingerprint) against the latest fingerprint
  an audit event recorded for it: changed, deleted, or never recorded (inserted);
- every snapshot's content against its content hash, its inputs hash and the
  ``inventory.publish`` event, and every publish event against an existing snapshot;
- activity rows sit where their batch's review puts them (approved or pending in
  ``activity_record``, rejected in ``rejected_activity``);
- with ``recompute``, every published year is recalculated with its snapshot's
  methodology: its inputs hash and figures must reproduce.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from envledger.errors import EnvledgerError
from envledger.services.audit.chain import ChainReport, verify_chain
from envledger.services.audit.fingerprint import TRACKED, digests
from envledger.services.audit.trail import record_event
from envledger.services.inventory.calculate import calculate
from envledger.services.inventory.methodology import CalculationMethod
from envledger.services.publication.integrity import content_problem, published_hashes
from envledger.services.publication.publishing import current_snapshot, published_years
from envledger.services.publication.snapshot_content import comparable, inputs_digest
from envledger.services.publication.snapshot_diff import describe_changes
from envledger.settings import Settings
from envledger.store.db import get_engine, session_scope
from envledger.store.models import ActivityRecord, AuditEvent
from envledger.store.publication import InventorySnapshot
from envledger.store.review import REJECTED, BatchReview, RejectedActivity


@dataclass(frozen=True)
class Divergence:
    """One place where the database differs from what the audit trail recorded."""

    table: str
    row: str
    expected: str
    found: str
    message: str


@dataclass(frozen=True)
class LedgerReport:
    """The audit chain's state and every divergence found (empty when the ledger holds)."""

    chain: ChainReport
    divergences: list[Divergence] = field(default_factory=list)
    recomputed_years: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the chain holds and nothing diverges."""
        return self.chain.ok and not self.divergences

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"ok": self.ok, "chain": self.chain.as_dict(),
                "divergences": [asdict(d) for d in self.divergences],
                "recomputed_years": self.recomputed_years}


def verify_ledger(
    settings: Settings, anchor: tuple[int, str] | None = None, recompute: bool = False
) -> LedgerReport:
    """Verify the whole ledger at ``settings.database_url`` (module docstring)."""
    url = settings.database_url
    chain = verify_chain(url, anchor)
    found: list[Divergence] = []
    if chain.broken is not None:
        found.append(Divergence("audit_event", f"seq={chain.broken.seq}", "an intact chain",
                                chain.broken.problem, chain.broken.message))
    with get_engine(url).connect() as connection:
        found += _row_divergences(connection)
        found += _snapshot_divergences(connection)
        found += _misplaced_rows(connection)
    years: list[int] = []
    if recompute:
        years = published_years(settings)
        for year in years:
            found += _reproduction(settings, year)
    return LedgerReport(chain, found, years)


def seal_ledger(settings: Settings, reason: str, actor: str = "cli") -> int:
    """Record the fingerprints of every tracked row as it is now; the event's seq.

    For a ledger created before fingerprints (its rows are otherwise reported as
    inserted), once its content has been checked by other means: the seal makes the
    current state the baseline, whatever it is.

    Raises
    ------
    EnvledgerError
        If ``reason`` is blank.
    """
    if not reason.strip():
        raise EnvledgerError("sealing the ledger needs a reason (it is kept in the audit trail)")
    with session_scope(settings.database_url) as session:
        connection = session.connection()
        gone = {(table, group) for (table, group), (digest, _) in _recorded(connection).items()
                if digest is not None}
        rows = {name: [{}] for name in TRACKED}
        detail = {"reason": reason.strip()}
        event = record_event(session, actor, "ledger.seal", "ledger", detail, rows=rows)
        recorded = event.detail["rows"]
        missing = {(t, g) for t, g in gone if g not in recorded.get(t, {})}
        if missing:
            raise EnvledgerError(
                f"{len(missing)} recorded row group(s) no longer exist (e.g."
                f" {min(missing)[0]} {min(missing)[1]}): sealing cannot record a deletion;"
                " restore them from a backup first. Nothing was recorded."
            )
        return event.seq


def _recorded(connection: Connection) -> dict[tuple[str, str], tuple[str | None, int]]:
    """(table, group) -> (latest fingerprint, seq of the event that recorded it)."""
    recorded: dict[tuple[str, str], tuple[str | None, int]] = {}
    # per statement: a connection-wide yield_per would buffer the fingerprints' raw reads
    events = select(AuditEvent.seq, AuditEvent.detail).order_by(AuditEvent.seq)
    for seq, detail in connection.execute(events.execution_options(yield_per=2000)):
        rows = detail.get("rows") if isinstance(detail, dict) else None
        for table, groups in (rows or {}).items():
            for group, digest in groups.items():
                recorded[(table, group)] = (digest, seq)
    return recorded


def _row_divergences(connection: Connection) -> list[Divergence]:
    recorded = _recorded(connection)
    found: list[Divergence] = []
    for name, tracked in TRACKED.items():
        current = digests(connection, tracked)
        expected = {group: value for (table, group), value in recorded.items() if table == name}
        for group in sorted(set(current) | set(expected)):
            now = current.get(group)
            digest, seq = expected.get(group, (None, 0))
            if now == digest:
                continue
            if group not in expected:
                message = "rows no audit event records (inserted outside envledger?)"
            elif now is None:
                message = f"rows recorded by audit event {seq} are missing (deleted)"
            elif digest is None:
                message = f"rows audit event {seq} recorded as removed exist again"
            else:
                message = f"rows differ from what audit event {seq} recorded (changed)"
            found.append(Divergence(name, group, _short(digest), _short(now), message))
    return found


def _short(digest: str | None) -> str:
    return "no rows" if digest is None else f"sha256 {digest[:16]}"


def _snapshot_divergences(connection: Connection) -> list[Divergence]:
    published = published_hashes(connection)
    found: list[Divergence] = []
    stored = set()
    for row in connection.execute(select(InventorySnapshot)).all():
        stored.add(row.id)
        where = f"id={row.id}"
        problem = content_problem(row.content, row.content_hash, published.get(row.id))
        if problem is not None:
            found.append(Divergence("inventory_snapshot", where, row.content_hash[:16],
                                    "see message", f"{row.year} version {row.version}: {problem}"))
            continue
        inputs = json.loads(row.content)["inputs"]["sha256"]
        if inputs != row.inputs_hash:
            found.append(Divergence("inventory_snapshot", where, inputs[:16],
                                    row.inputs_hash[:16], "inputs_hash column differs from"
                                    " the content's inputs hash"))
    for snapshot_id, (seq, digest) in sorted(published.items()):
        if snapshot_id not in stored:
            found.append(Divergence("inventory_snapshot", f"id={snapshot_id}", digest[:16],
                                    "no row", f"published by audit event {seq} but missing"
                                    " (deleted)"))
    return found


def _misplaced_rows(connection: Connection) -> list[Divergence]:
    found: list[Divergence] = []
    for table, rejected in ((ActivityRecord, False), (RejectedActivity, True)):
        status = BatchReview.status == REJECTED
        statement = (
            select(table.batch_id, BatchReview.status, func.count())
            .join(BatchReview, BatchReview.batch_id == table.batch_id)
            .where(status if not rejected else ~status)
            .group_by(table.batch_id, BatchReview.status)
        )
        for batch_id, review, count in connection.execute(statement):
            found.append(Divergence(
                table.__tablename__, f"batch_id={batch_id}",
                "rejected_activity" if not rejected else "activity_record", table.__tablename__,
                f"{count} rows of a {review} batch are in {table.__tablename__}",
            ))
    return found


def _reproduction(settings: Settings, year: int) -> list[Divergence]:
    """Divergences of ``year``'s current snapshot from a recalculation of the ledger now."""
    snapshot = current_snapshot(settings, year)
    if snapshot is None:
        return []
    with session_scope(settings.database_url) as session:
        content = json.loads(session.get(InventorySnapshot, snapshot.id).content)  # type: ignore[union-attr]
    where = f"id={snapshot.id}"
    inside = [row["code"] for row in content["boundary"] if row["in_boundary"]]
    inputs = inputs_digest(settings.database_url, year, inside)
    found = []
    if inputs["sha256"] != content["inputs"]["sha256"]:
        changed = describe_changes(content, {**content, "inputs": inputs})
        found.append(Divergence("inventory_snapshot", where, content["inputs"]["sha256"][:16],
                                inputs["sha256"][:16], f"{year}: the inputs no longer"
                                f" reproduce ({'; '.join(changed) or 'inputs changed'})"))
    try:
        method = CalculationMethod.from_dict(content["methodology"])
        results = calculate(settings, year, method=method).to_dict()
    except EnvledgerError as error:
        return [*found, Divergence("inventory_snapshot", where, "a calculation", "an error",
                                   f"{year} no longer calculates: {error}")]
    if comparable(results) != comparable(content["results"]):
        changed = [k for k in content["results"]
                   if comparable(content["results"][k]) != comparable(results.get(k))]
        found.append(Divergence("inventory_snapshot", where, "the published figures",
                                "other figures", f"{year}: the figures no longer reproduce"
                                f" (differing: {', '.join(changed)})"))
    return found
