"""Facility imports: facilities, years, groups and memberships; unchanged rows are skipped."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from envledger.services.ledger.importing import import_facilities
from envledger.store.db import session_scope
from envledger.store.models import Facility, FacilityGroup, FacilityGroupMember, FacilityYear
from tests.support.ledger import HEADER, SH_2023, row_counts

GZ_2023 = "GZ-P1,Guangzhou plant,factory,cn,cn-gd,CN-South,,China,2023,18500,640,true,"


def test_facilities_years_groups_and_memberships_are_added(
    ledger_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(f"{HEADER}\n{SH_2023}\n{GZ_2023}\n")
    result = import_facilities(ledger_url, path, actor="bob")
    assert (result.rows_read, result.rows_added, result.already_imported) == (2, 2, False)
    assert "2 new facilities, 2 new facility-years, 2 new groups, 3 new group memberships" in (
        result.message
    )
    with session_scope(ledger_url) as session:
        plant = session.scalars(sa.select(Facility).where(Facility.code == "GZ-P1")).one()
        year = session.get(FacilityYear, (plant.id, 2023))
        groups = session.execute(
            sa.select(FacilityGroup.name, Facility.code)
            .join(FacilityGroupMember, FacilityGroupMember.group_id == FacilityGroup.id)
            .join(Facility, Facility.id == FacilityGroupMember.facility_id)
            .order_by(FacilityGroup.name, Facility.code)
        ).all()
    assert (plant.sector, plant.country, plant.province, plant.batch_id) == (
        "manufacturing", "CN", "CN-GD", result.batch_id
    )
    assert year is not None and (year.headcount, year.in_boundary) == (640.0, True)
    assert [tuple(g) for g in groups] == [
        ("China", "GZ-P1"), ("China", "SH-HQ"), ("Offices", "SH-HQ")
    ]


def test_unchanged_rows_are_skipped_and_new_years_added(ledger_url: str, tmp_path: Path) -> None:
    first = tmp_path / "2023.csv"
    first.write_text(f"{HEADER}\n{SH_2023}\n")
    import_facilities(ledger_url, first)
    second = tmp_path / "2023-2024.csv"
    second.write_text(
        f"{HEADER}\n{SH_2023.replace('Offices; China', 'Leased;Offices;China')}\n"
        "SH-HQ,Shanghai HQ,office,CN,CN-SH,CN-East,,China;Offices;Leased,2024,5200,320,no,sold\n"
    )
    before = row_counts(ledger_url)
    result = import_facilities(ledger_url, second)
    after = row_counts(ledger_url)
    assert result.rows_added == 1
    assert after["facility"] == before["facility"]
    assert after["facility_year"] == before["facility_year"] + 1
    assert after["facility_group"] == before["facility_group"] + 1
    assert after["facility_group_member"] == before["facility_group_member"] + 1
    again = import_facilities(ledger_url, second)
    assert again.already_imported and again.batch_id == result.batch_id
    assert row_counts(ledger_url) == after
