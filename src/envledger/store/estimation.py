"""How an estimated activity batch was made: the method, its parameters and inputs.

One ``estimation`` row per batch that ``envledger estimate`` submitted. The batch's
activity rows are ordinary rows (``data_source = estimated``), reviewed like any
submission; this row keeps, for the reviewer and the verifier, what they rest on.
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from envledger.store.models import Base


class Estimation(Base):
    """The method and inputs behind one estimated activity batch.

    ``parameters`` and ``inputs`` are JSON text written with sorted keys, so their
    audit fingerprint (services.audit.fingerprint) is the same on every backend.
    """

    __tablename__ = "estimation"

    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), primary_key=True)
    method: Mapped[str] = mapped_column(String(30))
    parameters: Mapped[str] = mapped_column(Text)
    inputs: Mapped[str] = mapped_column(Text)
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
