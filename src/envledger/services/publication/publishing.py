"""Use case: publish a year's inventory as an immutable snapshot; restate with a reason.

A snapshot freezes what the inventory was made from and what it said
(services.publication.snapshot_content). Publishing identical content again is a no-op. Publishing
a year whose content differs creates version N+1 in one transaction: the new snapshot,
a supersession link from the previous version (whose row is never touched), one
restatement per changed company figure, and an audit event. A change needs a reason
code (GHG Protocol Corporate Standard ch. 5) and is refused without one. Publishing
locks the year's activity data (services.governance.period_locks) until someone unlocks it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from envledger.errors import NotFoundError, PublicationError
from envledger.methods.base_year import RECALCULATION_TRIGGERS
from envledger.services.audit.trail import queue_behind_audited_changes, record_event
from envledger.services.governance.period_locks import lock_in
from envledger.services.inventory.coverage import year_coverage
from envledger.services.inventory.methodology import Methodology, current_methodology
from envledger.services.publication.coverage_gate import coverage_block
from envledger.services.publication.integrity import checked_content
from envledger.services.publication.snapshot_content import build_content
from envledger.services.publication.snapshot_diff import changed_figures, describe_changes
from envledger.settings import Settings
from envledger.store.db import session_scope
from envledger.store.publication import InventorySnapshot, Restatement, SnapshotSupersession


@dataclass(frozen=True)
class Snapshot:
    """A published snapshot's record (its content is read with :func:`snapshot_content`)."""

    id: int
    year: int
    version: int
    content_hash: str
    inputs_hash: str
    library_version: str
    code_version: str
    gwp_set: str
    methodology_version: int | None
    reason: str | None
    note: str
    published_at: datetime
    published_by: str
    superseded_by: int | None

    def as_dict(self) -> dict[str, Any]:
        """JSON form (published_at in ISO 8601)."""
        return {**self.__dict__, "published_at": self.published_at.isoformat()}


@dataclass(frozen=True)
class RestatedFigure:
    """A restatement: a company figure's original and revised value [unit] and why."""

    year: int
    figure: str
    unit: str
    original: float | None
    revised: float | None
    difference: float | None
    reason: str
    note: str
    original_snapshot_id: int
    revised_snapshot_id: int

    def as_dict(self) -> dict[str, Any]:
        """JSON form: every value a {"value", "unit"} figure, as in the inventory contract."""
        return {
            "year": self.year, "figure": self.figure,
            "original": {"value": self.original, "unit": self.unit},
            "revised": {"value": self.revised, "unit": self.unit},
            "difference": {"value": self.difference, "unit": self.unit},
            "reason": self.reason, "note": self.note,
            "original_snapshot_id": self.original_snapshot_id,
            "revised_snapshot_id": self.revised_snapshot_id,
        }


@dataclass(frozen=True)
class PublishResult:
    """What a publish did: the current snapshot, whether it is new, what was restated."""

    snapshot: Snapshot
    created: bool
    restated: list[RestatedFigure]
    changes: list[str]
    message: str


def publish(
    settings: Settings, year: int, reason: str | None = None, note: str = "",
    actor: str = "cli", methodology: Methodology | None = None,
    accept_gaps: str | None = None,
) -> PublishResult:
    """Publish the inventory of ``year`` as computed now from the ledger.

    ``methodology`` overrides the ledger's current one (e.g. an earlier version, to
    restate a structural change separately from a later methodology change).
    ``accept_gaps`` is the reason to publish a year whose coverage has gaps; the
    snapshot records it with the gaps (services.publication.coverage_gate).

    Raises
    ------
    PublicationError
        If the year's coverage has gaps and no ``accept_gaps`` reason, or a facility has
        activity rows but no facility-year (the message lists them); if the year's
        published content differs and ``reason`` is None (the message lists what
        changed), or ``reason`` is not a known code; nothing is written.
    NotFoundError, MissingFactorError, ...
        If the inventory cannot be calculated.
    """
    if reason is not None and reason not in RECALCULATION_TRIGGERS:
        raise PublicationError(
            f"reason '{reason}' is not one of {', '.join(RECALCULATION_TRIGGERS)}"
        )
    methodology = methodology or current_methodology(settings)
    coverage = coverage_block(year_coverage(settings, year), accept_gaps)
    built = build_content(settings, year, methodology.calculation, coverage)
    with session_scope(settings.database_url) as session:
        # Before reading the latest version: a concurrent publish of the year then waits
        # and finds this one's snapshot, instead of writing a second version N.
        queue_behind_audited_changes(session)
        current = _latest(session, year)
        if current is not None and current.content_hash == built.content_hash:
            lock_in(session, year, actor, f"published as version {current.version}")
            snapshot = _snapshot(current, None)
            message = (
                f"{year} is already published as version {current.version} with identical"
                f" content (hash {current.content_hash[:12]}); nothing changed."
            )
            return PublishResult(snapshot, False, [], [], message)
        previous = json.loads(current.content) if current is not None else None
        changes = describe_changes(previous, built.content) if previous else []
        if current is not None and reason is None:
            shown = "\n".join(f"  - {line}" for line in changes)
            raise PublicationError(
                f"{year} is published as version {current.version} (hash"
                f" {current.content_hash[:12]}) and the ledger now gives different"
                f" content:\n{shown}\nPublishing it again restates it: give a reason"
                f" ({', '.join(RECALCULATION_TRIGGERS)}) and a note. Nothing was changed."
            )
        content = built.content
        row = InventorySnapshot(
            year=year, version=current.version + 1 if current else 1,
            content_hash=built.content_hash, inputs_hash=content["inputs"]["sha256"],
            library_version=content["factors"]["library_version"],
            code_version=content["code_version"], gwp_set=content["methodology"]["gwp_set"],
            methodology_version=methodology.version,
            reason=reason, note=note, content=built.text, published_by=actor,
        )
        session.add(row)
        session.flush()
        restated = []
        if current is not None and previous is not None:
            session.add(SnapshotSupersession(snapshot_id=current.id, superseded_by=row.id))
            restated = _restate(session, current, row, previous["results"], content["results"])
        record_event(session, actor, "inventory.publish", "inventory_snapshot", {
            "snapshot_id": row.id, "year": year, "version": row.version,
            "content_hash": row.content_hash, "reason": reason, "note": note,
            "supersedes": current.id if current else None, "restated_figures": len(restated),
        }, rows={
            "inventory_snapshot": {"id": row.id},
            "snapshot_supersession": [{"snapshot_id": current.id}] if current else [],
            "restatement": {"revised_snapshot_id": row.id},
        })
        lock_in(session, year, actor, f"published as version {row.version}")
        session.flush()
        snapshot = _snapshot(row, None)
    verb = "Restated" if current is not None else "Published"
    message = (
        f"{verb} {year} as version {row.version} (hash {row.content_hash[:12]})"
        + (f"; {len(restated)} figures restated ({reason})" if current is not None else "")
        + "."
    )
    return PublishResult(snapshot, True, restated, changes, message)


def _restate(
    session: Session, old: InventorySnapshot, new: InventorySnapshot,
    old_results: dict[str, Any], new_results: dict[str, Any],
) -> list[RestatedFigure]:
    rows = [
        Restatement(
            year=new.year, figure=change.figure, unit=change.unit,
            original_value=change.original, revised_value=change.revised,
            difference=change.difference, reason=new.reason or "", note=new.note,
            original_snapshot_id=old.id, revised_snapshot_id=new.id,
        )
        for change in changed_figures(old_results, new_results)
    ]
    session.add_all(rows)
    return [_restated(row) for row in rows]


def published_years(settings: Settings) -> list[int]:
    """Years with at least one published snapshot, oldest first."""
    with session_scope(settings.database_url) as session:
        return list(session.scalars(
            select(InventorySnapshot.year).distinct().order_by(InventorySnapshot.year)
        ))


def current_snapshot(settings: Settings, year: int) -> Snapshot | None:
    """The current (latest) published version of ``year``, or None if never published."""
    history = snapshot_history(settings, year)
    return history[-1] if history else None


def snapshot_history(settings: Settings, year: int | None = None) -> list[Snapshot]:
    """Every published version of ``year`` (or of all years), by year and version."""
    link = aliased(SnapshotSupersession)
    statement = (
        select(InventorySnapshot, link.superseded_by)
        .outerjoin(link, link.snapshot_id == InventorySnapshot.id)
        .order_by(InventorySnapshot.year, InventorySnapshot.version)
    )
    if year is not None:
        statement = statement.where(InventorySnapshot.year == year)
    with session_scope(settings.database_url) as session:
        return [_snapshot(row, by) for row, by in session.execute(statement)]


def snapshot_content(settings: Settings, snapshot_id: int) -> dict[str, Any]:
    """The frozen content of a snapshot (its shape: services.publication.snapshot_content)."""
    with session_scope(settings.database_url) as session:
        row = session.get(InventorySnapshot, snapshot_id)
        if row is None:
            raise NotFoundError(f"snapshot {snapshot_id} does not exist")
        return checked_content(session, row)


def restatements(settings: Settings, year: int | None = None) -> list[RestatedFigure]:
    """Restated figures of ``year`` (or of every year), in the order they were restated."""
    statement = select(Restatement).order_by(Restatement.year, Restatement.id)
    if year is not None:
        statement = statement.where(Restatement.year == year)
    with session_scope(settings.database_url) as session:
        return [_restated(row) for row in session.scalars(statement)]


def published_payload(settings: Settings, year: int) -> dict[str, Any]:
    """The current published ``envledger.inventory/1`` payload of ``year``, with the
    snapshot's ``"coverage"`` block (null before the coverage gate) and a
    ``"publication"`` block: snapshot id, version, content hash, published at/by,
    reason, note, and every restatement of the year (original beside revised).

    Raises
    ------
    NotFoundError
        If ``year`` has never been published.
    """
    snapshot = current_snapshot(settings, year)
    if snapshot is None:
        raise NotFoundError(f"{year} has not been published: run envledger publish --year {year}")
    content = snapshot_content(settings, snapshot.id)
    payload = content["results"]
    # Snapshots published before the coverage gate hold no coverage block.
    payload["coverage"] = content.get("coverage")
    payload["publication"] = {
        "snapshot_id": snapshot.id,
        "version": snapshot.version,
        "content_hash": snapshot.content_hash,
        "published_at": snapshot.published_at.isoformat(),
        "published_by": snapshot.published_by,
        "reason": snapshot.reason,
        "note": snapshot.note,
        "restatements": [r.as_dict() for r in restatements(settings, year)],
    }
    return payload


def _latest(session: Session, year: int) -> InventorySnapshot | None:
    return session.scalars(
        select(InventorySnapshot).where(InventorySnapshot.year == year)
        .order_by(InventorySnapshot.version.desc()).limit(1)
    ).first()


def _snapshot(row: InventorySnapshot, superseded_by: int | None) -> Snapshot:
    return Snapshot(
        id=row.id, year=row.year, version=row.version, content_hash=row.content_hash,
        inputs_hash=row.inputs_hash, library_version=row.library_version,
        code_version=row.code_version, gwp_set=row.gwp_set,
        methodology_version=row.methodology_version, reason=row.reason, note=row.note,
        published_at=_utc(row.published_at), published_by=row.published_by,
        superseded_by=superseded_by,
    )


def _utc(moment: datetime) -> datetime:
    """SQLite returns server timestamps without a zone; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _restated(row: Restatement) -> RestatedFigure:
    return RestatedFigure(
        year=row.year, figure=row.figure, unit=row.unit, original=row.original_value,
        revised=row.revised_value, difference=row.difference, reason=row.reason,
        note=row.note, original_snapshot_id=row.original_snapshot_id,
        revised_snapshot_id=row.revised_snapshot_id,
    )
