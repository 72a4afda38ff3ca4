"""Dismissals of plausibility flags (services.governance.check_dismissals).

``check_dismissal`` is append-only: each row dismisses one flag, by its stable key
(engine.checks), for the value the reviewer saw, with who, when and why.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from envledger.store.models import Base


class CheckDismissal(Base):
    """A reviewer's dismissal of one plausibility flag of a reporting year."""

    __tablename__ = "check_dismissal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    flag_key: Mapped[str] = mapped_column(String(400), index=True)
    value: Mapped[float] = mapped_column(Float)  # the flagged value dismissed [flag's unit]
    comment: Mapped[str] = mapped_column(Text)
    dismissed_by: Mapped[str] = mapped_column(String(100))
    dismissed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
