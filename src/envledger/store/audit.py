"""The audit chain's head, and the guard that keeps audit events append-only.

``audit_chain_head`` holds one row: the seq and hash of the latest audit event.
Appending an event locks that row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite has
one writer at a time), so two concurrent writers can never give two events the same
predecessor. The head also reveals events deleted from the end of the chain.

The events below refuse any ORM update or delete of an AuditEvent (by flush or by an
UPDATE/DELETE statement through a Session): the application has no path that changes
the trail. On PostgreSQL the application's role also lacks the privilege
(services.audit.database_role).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from envledger.errors import AuditTrailError
from envledger.store.models import AuditEvent, Base

HEAD_ID = 1
"""Primary key of the single row of ``audit_chain_head``."""


class AuditChainHead(Base):
    """The latest audit event's seq and hash (seq 0 and the genesis hash when empty)."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


def _refused() -> AuditTrailError:
    return AuditTrailError("audit events are append-only: they are never changed or deleted")


def _refuse_flush(mapper, connection, target) -> None:  # type: ignore[no-untyped-def]
    raise _refused()


def _refuse_statement(state: ORMExecuteState) -> None:
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper is not None and (
        mapper.class_ is AuditEvent
    ):
        raise _refused()


event.listen(AuditEvent, "before_update", _refuse_flush)
event.listen(AuditEvent, "before_delete", _refuse_flush)
event.listen(Session, "do_orm_execute", _refuse_statement)
