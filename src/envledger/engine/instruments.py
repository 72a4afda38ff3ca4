"""The ``instruments`` input table of market-based Scope 2 (see ``engine.market``)."""

from __future__ import annotations

import pyarrow as pa

#: One row per claim of a contractual instrument for a reporting year: ``volume_mwh``
#: [MWh], ``emission_rate_t_per_mwh`` [tCO2e/MWh], ``facility_code`` '' = company-wide.
INSTRUMENT_SCHEMA = pa.schema([
    ("claim_id", pa.int64()), ("instrument_id", pa.string()), ("type", pa.string()),
    ("energy", pa.string()), ("volume_mwh", pa.float64()), ("vintage", pa.int32()),
    ("market", pa.string()), ("facility_code", pa.string()), ("retired", pa.bool_()),
    ("retirement_reference", pa.string()), ("emission_rate_t_per_mwh", pa.float64()),
    ("claimed_year", pa.int32()),
])


def empty_instruments() -> pa.Table:
    """An ``instruments`` table without rows (no contractual instruments held)."""
    return INSTRUMENT_SCHEMA.empty_table()
