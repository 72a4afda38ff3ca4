"""audit hash chain: seq, prev_hash and hash on audit_event; audit_chain_head

Existing events are chained in id order (seq 1, 2, ...), and the head row is written.

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-28 14:00:00
"""

import hashlib
import json
import math
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_events = sa.table(
    "audit_event",
    sa.column("id", sa.Integer()), sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor", sa.String()), sa.column("action", sa.String()),
    sa.column("entity", sa.String()), sa.column("detail", sa.JSON()),
    sa.column("seq", sa.BigInteger()), sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


# The event hash as defined when this revision was written (a migration is history: it
# keeps its own copy, so a later change to services.audit.chain cannot change it).
GENESIS = "0" * 64


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError("audit event details cannot hold NaN or infinity")
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0")
    point = int(exponent) + len(digits)
    if 0 < point <= 21:
        body = text[:point] + "." + text[point:]
    elif -6 < point <= 0:
        body = "0." + "0" * -point + text
    else:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        body = f"{mantissa}e{'+' if point > 0 else '-'}{abs(point - 1)}"
    return ("-" if sign else "") + body


def _canonical_json(value: Any) -> str:
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ",".join(f"{_canonical_json(k)}:{_canonical_json(v)}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical_json(item) for item in value) + "]"
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    raise ValueError(f"audit event details must be JSON values, not {type(value).__name__}")


def event_hash(
    seq: int, at: datetime, actor: str, action: str, entity: str, detail: Any, prev_hash: str
) -> str:
    moment = at.astimezone(UTC) if at.tzinfo else at
    document = {
        "seq": seq, "at": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "actor": actor,
        "action": action, "entity": entity, "detail": detail, "prev_hash": prev_hash,
    }
    return hashlib.sha256(_canonical_json(document).encode("utf-8")).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    connection = op.get_bind()
    seq, prev_hash = 0, GENESIS
    for row in connection.execute(sa.select(_events).order_by(_events.c.id)).all():
        seq += 1
        digest = event_hash(
            seq, row.at, row.actor, row.action, row.entity, row.detail, prev_hash
        )
        connection.execute(
            _events.update().where(_events.c.id == row.id)
            .values(seq=seq, prev_hash=prev_hash, hash=digest)
        )
        prev_hash = digest
    op.bulk_insert(head, [{"id": 1, "seq": seq, "hash": prev_hash}])
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.alter_column("seq", existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_event_seq"), ["seq"])


def downgrade() -> None:
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("audit_event") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_event_seq"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
