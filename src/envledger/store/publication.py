"""Published inventories: methodology versions, snapshots, supersessions and restatements.

Every table here is append-only. The events at the bottom refuse any ORM update or
delete of these rows (by flush or by an UPDATE/DELETE statement through a Session), so
the application offers no path that changes a published record: a later recalculation
adds a snapshot, a supersession link and restatements.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from envledger.errors import PublicationError
from envledger.store.models import Base


class MethodologyVersion(Base):
    """One version of the company's methodology settings; the highest version is current."""

    __tablename__ = "methodology_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    organization: Mapped[str] = mapped_column(String(200), default="")
    gwp_set: Mapped[str] = mapped_column(String(10))
    series_priority: Mapped[list] = mapped_column(JSON)
    excluded_series: Mapped[list] = mapped_column(JSON)
    base_year: Mapped[int | None] = mapped_column(Integer)
    significance_threshold: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    set_by: Mapped[str] = mapped_column(String(100))


class InventorySnapshot(Base):
    """A published inventory of one year, frozen: canonical JSON content and its hash."""

    __tablename__ = "inventory_snapshot"
    __table_args__ = (UniqueConstraint("year", "version", name="uq_inventory_snapshot_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    inputs_hash: Mapped[str] = mapped_column(String(64))
    library_version: Mapped[str] = mapped_column(String(20))
    code_version: Mapped[str] = mapped_column(String(40))
    gwp_set: Mapped[str] = mapped_column(String(10))
    methodology_version: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text)  # canonical JSON: snapshot_content
    published_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    published_by: Mapped[str] = mapped_column(String(100))


class SnapshotSupersession(Base):
    """The link from a snapshot to the version that replaced it (the original is untouched)."""

    __tablename__ = "snapshot_supersession"

    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("inventory_snapshot.id"), primary_key=True
    )
    superseded_by: Mapped[int] = mapped_column(ForeignKey("inventory_snapshot.id"), unique=True)
    superseded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class Restatement(Base):
    """A published figure that a later version changed: original beside revised, and why."""

    __tablename__ = "restatement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    figure: Mapped[str] = mapped_column(String(80))  # path in the company measures
    unit: Mapped[str] = mapped_column(String(20))
    original_value: Mapped[float | None] = mapped_column(Float)
    revised_value: Mapped[float | None] = mapped_column(Float)
    difference: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    original_snapshot_id: Mapped[int] = mapped_column(ForeignKey("inventory_snapshot.id"))
    revised_snapshot_id: Mapped[int] = mapped_column(ForeignKey("inventory_snapshot.id"))


APPEND_ONLY = (MethodologyVersion, InventorySnapshot, SnapshotSupersession, Restatement)


def _refused(name: str) -> PublicationError:
    return PublicationError(
        f"{name} rows are append-only: published records are never changed or deleted"
        " (publish a new version instead)"
    )


def _refuse_flush(mapper, connection, target) -> None:  # type: ignore[no-untyped-def]
    raise _refused(type(target).__name__)


def _refuse_statement(state: ORMExecuteState) -> None:
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper is not None and (
        mapper.class_ in APPEND_ONLY
    ):
        raise _refused(mapper.class_.__name__)


for _model in APPEND_ONLY:
    event.listen(_model, "before_update", _refuse_flush)
    event.listen(_model, "before_delete", _refuse_flush)
event.listen(Session, "do_orm_execute", _refuse_statement)
