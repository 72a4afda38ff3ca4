"""The ledger's tables: SQLAlchemy 2 declarative models (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with the shared naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class Organization(Base):
    """The reporting company (one per ledger)."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    base_year: Mapped[int | None] = mapped_column(Integer)


class ImportBatch(Base):
    """One imported file: its hash makes a re-import of the same file a no-op."""

    __tablename__ = "import_batch"
    __table_args__ = (UniqueConstraint("kind", "file_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # facilities | activities | factors
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    imported_by: Mapped[str] = mapped_column(String(100), default="cli")


class Facility(Base):
    """A site of the company: office, factory, warehouse, data center, store."""

    __tablename__ = "facility"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    province: Mapped[str] = mapped_column(String(10), default="")
    grid_region: Mapped[str] = mapped_column(String(30), default="")
    sector: Mapped[str] = mapped_column(String(20))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))

    years: Mapped[list[FacilityYear]] = relationship(back_populates="facility")


class FacilityGroup(Base):
    """A named set of facilities that gets its own intensity KPIs."""

    __tablename__ = "facility_group"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class FacilityGroupMember(Base):
    """Membership of a facility in a group."""

    __tablename__ = "facility_group_member"

    group_id: Mapped[int] = mapped_column(ForeignKey("facility_group.id"), primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), primary_key=True)


class FacilityYear(Base):
    """A facility's attributes in one reporting year, including the boundary decision."""

    __tablename__ = "facility_year"

    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    floor_area_m2: Mapped[float] = mapped_column(Float)
    headcount: Mapped[float] = mapped_column(Float)
    in_boundary: Mapped[bool] = mapped_column(Boolean)
    boundary_note: Mapped[str] = mapped_column(Text, default="")
    # Coverage declarations (docs/data-quality.md, "Coverage"): activity names joined by
    # ';', and the first and last in-boundary day of a part-year facility (null = all year).
    expected_activities: Mapped[str] = mapped_column(Text, default="", server_default="")
    in_boundary_from: Mapped[date | None] = mapped_column(Date)
    in_boundary_to: Mapped[date | None] = mapped_column(Date)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))

    facility: Mapped[Facility] = relationship(back_populates="years")


class ActivityColumns:
    """The columns of an activity row as imported; shared by accepted and rejected rows."""

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    source_row: Mapped[int] = mapped_column(Integer)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    activity: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
    gas: Mapped[str] = mapped_column(String(30), default="")
    variant: Mapped[str] = mapped_column(String(40), default="")
    data_source: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(200), default="")
    #: the row's own relative 95 % uncertainty [%]; null = the data source's default
    uncertainty_pct: Mapped[float | None] = mapped_column(Float, nullable=True)


class ActivityRecord(ActivityColumns, Base):
    """One row of activity data (meter reading, invoice, estimate) as imported."""

    __tablename__ = "activity_record"
    __table_args__ = (
        # gas and variant are '' rather than NULL so that this key really is unique.
        UniqueConstraint(
            "facility_id", "activity", "gas", "variant", "period_start", "period_end",
            name="uq_activity_record_natural_key",
        ),
    )


class EmissionFactor(Base):
    """An emission factor with its provenance (built-in library or user-imported)."""

    __tablename__ = "emission_factor"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    factor_id: Mapped[str] = mapped_column(String(100), unique=True)
    series: Mapped[str] = mapped_column(String(60))
    activity: Mapped[str] = mapped_column(String(40))
    variant: Mapped[str] = mapped_column(String(40), default="")
    gas: Mapped[str] = mapped_column(String(30))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(30))
    tier: Mapped[str] = mapped_column(String(20))
    geography_code: Mapped[str] = mapped_column(String(50))
    sector: Mapped[str] = mapped_column(String(20), default="")
    data_year: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[int | None] = mapped_column(Integer)
    valid_to: Mapped[int | None] = mapped_column(Integer)
    citation: Mapped[str] = mapped_column(Text)
    confidence: Mapped[str] = mapped_column(String(4))
    note: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(10))  # builtin | user
    library_version: Mapped[str] = mapped_column(String(20), default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class GwpValue(Base):
    """A 100-year global warming potential of one gas in one IPCC assessment report."""

    __tablename__ = "gwp_value"

    gwp_set: Mapped[str] = mapped_column(String(10), primary_key=True)
    gas: Mapped[str] = mapped_column(String(30), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    citation: Mapped[str] = mapped_column(Text)


class GasBlendComponent(Base):
    """Mass fraction of a component gas in a refrigerant blend."""

    __tablename__ = "gas_blend_component"

    blend: Mapped[str] = mapped_column(String(30), primary_key=True)
    component: Mapped[str] = mapped_column(String(30), primary_key=True)
    mass_fraction: Mapped[float] = mapped_column(Float)
    citation: Mapped[str] = mapped_column(Text)


class EnergyCoefficient(Base):
    """A GB/T 2589-2020 coefficient converting an energy carrier to standard coal."""

    __tablename__ = "energy_coefficient"

    activity: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(30))
    basis: Mapped[str] = mapped_column(String(60), default="")
    citation: Mapped[str] = mapped_column(Text)
    confidence: Mapped[str] = mapped_column(String(4))


class FuelProperty(Base):
    """A density or net calorific value that bridges units of different dimensions."""

    __tablename__ = "fuel_property"

    activity: Mapped[str] = mapped_column(String(40), primary_key=True)
    property: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(30))
    citation: Mapped[str] = mapped_column(Text)
    confidence: Mapped[str] = mapped_column(String(4))


class ReferenceDataVersion(Base):
    """Which version of the built-in reference library the ledger holds."""

    __tablename__ = "reference_data_version"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[str] = mapped_column(String(20))
    loaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class AuditEvent(Base):
    """An append-only record of a change to the ledger: who, when, what.

    Events form a hash chain (services.audit.chain): ``hash`` is the SHA-256 of the
    event's canonical JSON, which includes ``seq`` and the previous event's hash.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60))
    detail: Mapped[dict] = mapped_column(JSON)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
