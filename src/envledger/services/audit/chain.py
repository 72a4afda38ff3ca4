"""The audit trail as a hash chain: append under a lock, verify link by link.

Each event's ``hash`` is the SHA-256 (hex) of the UTF-8 canonical JSON of
``{"seq", "at", "actor", "action", "entity", "detail", "prev_hash"}``, where
``prev_hash`` is the previous event's hash (:data:`GENESIS` for seq 1). Canonical
JSON: keys sorted by code point, no whitespace, strings as JSON with non-ASCII
characters unescaped, integers in decimal, other numbers as RFC 8785 writes them
(ECMAScript shortest round-trip form: 1.0 -> ``1``, 1e-7 -> ``1e-7``), ``at`` as
``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC, microseconds). Editing, deleting or reordering a
stored event breaks a link that :func:`verify_chain` reports.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, select, update
from sqlalchemy.orm import Session

from envledger.errors import AuditTrailError
from envledger.store.audit import HEAD_ID, AuditChainHead
from envledger.store.db import get_engine
from envledger.store.models import AuditEvent

GENESIS = "0" * 64
"""The ``prev_hash`` of the first event."""

_COLUMNS = (
    AuditEvent.seq, AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.entity,
    AuditEvent.detail, AuditEvent.prev_hash, AuditEvent.hash,
)


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise AuditTrailError("audit event details cannot hold NaN or infinity")
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0")
    point = int(exponent) + len(digits)  # decimal point position after the first digit run
    if 0 < point <= 21:
        body = text[:point] + "." + text[point:]
    elif -6 < point <= 0:
        body = "0." + "0" * -point + text
    else:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        body = f"{mantissa}e{'+' if point > 0 else '-'}{abs(point - 1)}"
    return ("-" if sign else "") + body


def canonical_json(value: Any) -> str:
    """The canonical JSON text of a JSON value (the module docstring gives the rules)."""
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ",".join(f"{canonical_json(k)}:{canonical_json(v)}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical_json(item) for item in value) + "]"
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    raise AuditTrailError(f"audit event details must be JSON values, not {type(value).__name__}")


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 UTC with microseconds, e.g. ``2026-01-31T09:00:00.000000Z`` (naive = UTC)."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    seq: int, at: datetime, actor: str, action: str, entity: str, detail: Any, prev_hash: str
) -> str:
    """SHA-256 (hex) of an audit event's canonical JSON."""
    document = {
        "seq": seq, "at": format_timestamp(at), "actor": actor, "action": action,
        "entity": entity, "detail": detail, "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def lock_head(session: Session) -> Row:
    """Lock the chain head row until the transaction ends and return its (seq, hash).

    Raises
    ------
    AuditTrailError
        If the chain head row is missing.
    """
    head = session.execute(
        select(AuditChainHead.seq, AuditChainHead.hash)
        .where(AuditChainHead.id == HEAD_ID).with_for_update()
    ).one_or_none()
    if head is None:
        raise AuditTrailError("the audit chain head is missing: run envledger audit verify")
    return head


def append_event(
    session: Session, actor: str, action: str, entity: str, detail: dict[str, Any]
) -> AuditEvent:
    """Chain a new audit event onto the head, in the session's transaction.

    Locks the chain head (``SELECT ... FOR UPDATE``; SQLite's single writer does the
    same) until the transaction ends, so concurrent appends queue instead of forking.

    Raises
    ------
    AuditTrailError
        If the chain head row is missing or ``detail`` is not JSON.
    """
    try:
        detail = json.loads(json.dumps(detail, allow_nan=False))  # exactly what is stored
    except (TypeError, ValueError) as error:
        raise AuditTrailError(f"audit event detail is not JSON: {error}") from None
    head = lock_head(session)
    seq, at = head.seq + 1, datetime.now(UTC)
    digest = event_hash(seq, at, actor, action, entity, detail, head.hash)
    event = AuditEvent(
        seq=seq, at=at, actor=actor, action=action, entity=entity, detail=detail,
        prev_hash=head.hash, hash=digest,
    )
    session.add(event)
    session.execute(
        update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(seq=seq, hash=digest)
    )
    return event


@dataclass(frozen=True)
class BrokenLink:
    """The first place the chain does not hold: which seq, what kind, in words.

    ``problem`` is one of ``content_changed``, ``event_deleted``, ``order_changed``,
    ``prev_hash_mismatch``, ``head_mismatch``, ``anchor_mismatch``.
    """

    seq: int
    problem: str
    message: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a verification: events checked, the head, the first broken link."""

    count: int
    head_seq: int
    head_hash: str
    broken: BrokenLink | None

    @property
    def ok(self) -> bool:
        """True when every link holds."""
        return self.broken is None

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "ok": self.ok, "count": self.count, "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "broken": None if self.broken is None else self.broken.__dict__,
        }


def _rows(connection: Connection) -> Iterator[Row]:
    statement = select(*_COLUMNS).order_by(AuditEvent.seq)
    yield from connection.execution_options(yield_per=2000).execute(statement)


def _recomputed(row: Row, seq: int, prev_hash: str) -> str:
    return event_hash(seq, row.at, row.actor, row.action, row.entity, row.detail, prev_hash)


def _check(connection: Connection, row: Row, seq: int, prev_hash: str) -> BrokenLink | None:
    if row.seq < seq:
        return BrokenLink(seq, "order_changed", f"event {row.seq} found where event {seq} belongs")
    if row.seq != seq:
        missing = f"{seq}" if row.seq == seq + 1 else f"{seq}..{row.seq - 1}"
        return BrokenLink(seq, "event_deleted", f"event(s) {missing} missing: event"
                          f" {seq - 1} is followed by event {row.seq}")
    if row.prev_hash != prev_hash:
        other = connection.execute(
            select(AuditEvent.seq).where(AuditEvent.hash == row.prev_hash)
        ).scalar()
        if other is not None:
            return BrokenLink(seq, "order_changed", f"event {seq} was chained after event"
                              f" {other}, not after event {seq - 1}: events were reordered")
        return BrokenLink(seq, "prev_hash_mismatch",
                          f"event {seq}'s prev_hash does not match event {seq - 1}'s hash")
    if _recomputed(row, seq, prev_hash) != row.hash:
        for other in _rows(connection):
            if other.seq != seq and _recomputed(row, other.seq, other.prev_hash) == other.hash:
                return BrokenLink(seq, "order_changed", f"event {seq} holds the content of"
                                  f" event {other.seq}: events were reordered")
        return BrokenLink(seq, "content_changed", f"event {seq}'s content no longer matches"
                          " its hash (time, actor, action, entity, detail or hash changed)")
    return None


def verify_chain(url: str, anchor: tuple[int, str] | None = None) -> ChainReport:
    """Recompute the audit chain of the ledger at ``url`` and find its first broken link.

    Checks, in seq order from 1: no seq is missing, each ``prev_hash`` is the previous
    event's hash, each ``hash`` is the hash of the event's content; then that the chain
    head row names the last event. ``anchor`` (seq, hash), e.g. the head recorded in an
    evidence pack, must match the event of that seq: this catches an edit at or before
    that event followed by recomputing every later hash, which the chain alone cannot.
    """
    seq, prev_hash, broken = 0, GENESIS, None
    with get_engine(url).connect() as connection:
        for row in _rows(connection):
            broken = _check(connection, row, seq + 1, prev_hash)
            if broken is None and anchor and anchor[0] == row.seq and anchor[1] != row.hash:
                broken = BrokenLink(row.seq, "anchor_mismatch",
                                    f"event {row.seq}'s hash is not the anchor {anchor[1]}")
            if broken is not None:
                break
            seq, prev_hash = row.seq, row.hash
        head = connection.execute(
            select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == HEAD_ID)
        ).one_or_none()
    if broken is None:
        broken = _check_head(head, seq, prev_hash, anchor)
    return ChainReport(seq, seq, prev_hash, broken)


def _check_head(
    head: Row | None, seq: int, last_hash: str, anchor: tuple[int, str] | None
) -> BrokenLink | None:
    if head is None:
        return BrokenLink(seq + 1, "head_mismatch", "the audit chain head row is missing")
    if head.seq > seq:
        missing = f"{seq + 1}" if head.seq == seq + 1 else f"{seq + 1}..{head.seq}"
        return BrokenLink(seq + 1, "event_deleted", f"event(s) {missing} missing from the end"
                          f" of the chain (the chain head records event {head.seq})")
    if head.seq != seq or head.hash != last_hash:
        return BrokenLink(seq, "head_mismatch", f"the chain head (event {head.seq},"
                          f" {head.hash[:12]}) does not match the last event")
    if anchor is not None and anchor[0] > seq:
        return BrokenLink(anchor[0], "anchor_mismatch",
                          f"the anchor names event {anchor[0]}, but the chain ends at {seq}")
    return None


def chain_head(url: str) -> tuple[int, str] | None:
    """The (seq, hash) the chain head row records, or None before the first event."""
    with get_engine(url).connect() as connection:
        head = connection.execute(
            select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == HEAD_ID)
        ).one_or_none()
    return (head.seq, head.hash) if head is not None and head.seq else None


def audit_log(url: str, limit: int = 50) -> list[dict[str, Any]]:
    """The latest ``limit`` audit events, newest first, as JSON-ready dicts."""
    statement = select(*_COLUMNS).order_by(AuditEvent.seq.desc()).limit(limit)
    with get_engine(url).connect() as connection:
        return [
            {"seq": row.seq, "at": format_timestamp(row.at), "actor": row.actor,
             "action": row.action, "entity": row.entity, "detail": row.detail,
             "prev_hash": row.prev_hash, "hash": row.hash}
            for row in connection.execute(statement)
        ]
