"""Contractual instruments for market-based Scope 2: certificates, PPAs, supplier rates."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from envledger.store.models import Base


class ContractualInstrument(Base):
    """One claim of an instrument for a reporting year, as imported.

    ``instrument_id`` is deliberately not unique: a second claim of the same instrument
    is kept so that the engine can refuse both and report why (never counted twice).
    """

    __tablename__ = "contractual_instrument"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(100), index=True)
    type: Mapped[str] = mapped_column(String(20))
    energy: Mapped[str] = mapped_column(String(20), default="electricity")
    volume_mwh: Mapped[float] = mapped_column(Float)  # [MWh]
    vintage: Mapped[int] = mapped_column(Integer)
    market: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    facility_code: Mapped[str] = mapped_column(String(50), default="")  # '' = company-wide
    retired: Mapped[bool] = mapped_column(Boolean)
    retirement_reference: Mapped[str] = mapped_column(String(200), default="")
    emission_rate_t_per_mwh: Mapped[float] = mapped_column(Float)  # [tCO2e/MWh]
    claimed_year: Mapped[int] = mapped_column(Integer, index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))
    source_row: Mapped[int] = mapped_column(Integer)
