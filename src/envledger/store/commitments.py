"""The company's commitments: environmental targets and the reduction-measures register."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from envledger.store.models import Base


class Target(Base):
    """A reduction target, a cap ("no higher than the base year") or a qualitative target."""

    __tablename__ = "target"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # reduction | cap | qualitative
    metric: Mapped[str] = mapped_column(String(30), default="")
    basis: Mapped[str] = mapped_column(String(20), default="")  # absolute | per_capita | ...
    scope: Mapped[str] = mapped_column(String(10), default="company")  # company | group
    group_name: Mapped[str] = mapped_column(String(200), default="")
    base_year: Mapped[int | None] = mapped_column(Integer)
    target_year: Mapped[int | None] = mapped_column(Integer)
    set_in_year: Mapped[int | None] = mapped_column(Integer)
    reduction_pct: Mapped[float | None] = mapped_column(Float)  # [%]
    description: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class ReductionMeasure(Base):
    """A measure taken in a year, with its estimated savings (each optional)."""

    __tablename__ = "reduction_measure"
    __table_args__ = (
        UniqueConstraint("name", "year", "facility_code", name="uq_reduction_measure_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    facility_code: Mapped[str] = mapped_column(String(50), default="")  # '' = company-wide
    savings_tco2e: Mapped[float | None] = mapped_column(Float)  # [tCO2e]
    savings_mwh: Mapped[float | None] = mapped_column(Float)  # [MWh]
    savings_water_t: Mapped[float | None] = mapped_column(Float)  # [t]
    estimate_method: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
