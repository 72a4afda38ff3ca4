"""Loading the built-in reference library (factors, GWPs, coefficients) into the ledger."""

from __future__ import annotations

import pyarrow as pa
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from envledger import data
from envledger.errors import ReferenceDataError
from envledger.methods.gwp import GWP_SETS, gwp_table
from envledger.services.audit.fingerprint import REFERENCE_TABLES
from envledger.services.audit.trail import record_event
from envledger.store.db import session_scope
from envledger.store.models import (
    EmissionFactor,
    EnergyCoefficient,
    FuelProperty,
    GasBlendComponent,
    GwpValue,
    ReferenceDataVersion,
)

GWP_CITATION = (
    "IPCC assessment reports, 100-year GWPs, via the CC0 package globalwarmingpotentials"
)
LIBRARY = "builtin"


def ensure_reference_data(url: str, actor: str = "system") -> str | None:
    """Load or upgrade the built-in library; return the new version, or None if current.

    A new library version replaces the built-in rows as a whole (user-imported factors are
    untouched); the replacement is one transaction with an audit event naming both versions.
    """
    version = data.library_version()
    with session_scope(url) as session:
        current = session.get(ReferenceDataVersion, LIBRARY)
        if current is not None and current.version == version:
            return None
        previous = current.version if current else None
        _replace_builtin_rows(session, version)
        if current is None:
            session.add(ReferenceDataVersion(name=LIBRARY, version=version))
        else:
            current.version = version
        record_event(
            session, actor, "reference_data.load", "reference_data",
            {"library": LIBRARY, "from_version": previous, "to_version": version},
            rows={"emission_factor": {"batch_id": None}, **{name: {} for name in REFERENCE_TABLES}},
        )
    return version


def _replace_builtin_rows(session: Session, version: str) -> None:
    session.execute(delete(EmissionFactor).where(EmissionFactor.origin == "builtin"))
    for model in (GwpValue, GasBlendComponent, EnergyCoefficient, FuelProperty):
        session.execute(delete(model))
    factors = data.load_factors()
    factors = factors.append_column("library_version", pa.array([version] * factors.num_rows))
    user_ids = set(session.scalars(select(EmissionFactor.factor_id)))
    clashes = [f for f in factors.column("factor_id").to_pylist() if f in user_ids]
    if clashes:
        raise ReferenceDataError(
            f"user-imported factors reuse built-in factor ids {clashes[:5]}; rename them"
        )
    _insert(session, EmissionFactor, factors)
    blends = data.load_gwp_blends()
    _insert(session, GasBlendComponent, blends)
    _insert(session, EnergyCoefficient, data.load_energy_coefficients())
    _insert(session, FuelProperty, data.load_fuel_properties())
    for gwp_set in GWP_SETS:
        table = gwp_table(gwp_set, blends)
        table = table.append_column("citation", pa.array([GWP_CITATION] * table.num_rows))
        _insert(session, GwpValue, table)


def _insert(session: Session, model: type, table: pa.Table) -> None:
    columns = {c.name for c in model.__table__.columns}  # type: ignore[attr-defined]
    keep = [name for name in table.column_names if name in columns]
    session.execute(insert(model), table.select(keep).to_pylist())
