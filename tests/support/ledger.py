"""Ledger helpers shared by the import tests: row counts, a facility file's header and row."""

from __future__ import annotations

import sqlalchemy as sa

from envledger.store.db import get_engine
from envledger.store.models import Base

HEADER = (
    "code,name,type,country,province,grid_region,sector,groups,year,floor_area_m2,headcount,"
    "in_boundary,boundary_note"
)
SH_2023 = "SH-HQ,Shanghai HQ,office,CN,CN-SH,CN-East,,Offices; China,2023,5200,300,yes,"


def row_counts(url: str) -> dict[str, int]:
    """Rows in every ledger table."""
    with get_engine(url).connect() as connection:
        count = sa.select(sa.func.count())
        return {
            table.name: connection.execute(count.select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }
