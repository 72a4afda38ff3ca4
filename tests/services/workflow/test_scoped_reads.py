"""Facility scope in the service layer: a facility owner never reaches another site.

The small company (publication_helpers): CD-OF 100,000 kWh and WH-CD 50 MWh of
electricity in each of 2020-2022, one row per year (1 Jan - 31 Dec).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from envledger.errors import NotFoundError, PermissionDeniedError
from envledger.services.access.roles import PUBLIC, Role, user_principal
from envledger.services.workflow.scoped_reads import (
    evidence_zip,
    facility_activities,
    visible_facilities,
)
from envledger.settings import Settings
from tests.support.publication import BACKENDS, module_company

SITE = user_principal("sam", Role.facility_owner, frozenset({"CD-OF"}), "session")
VERIFIER = user_principal("vera", Role.verifier, frozenset(), "session")


@pytest.fixture(scope="module", params=BACKENDS)
def company(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    yield from module_company(request, tmp_path_factory)


def test_a_facility_owner_reads_only_their_facility(company: Settings) -> None:
    url = company.database_url
    assert [f["code"] for f in visible_facilities(url, SITE)] == ["CD-OF"]
    rows = facility_activities(url, SITE, "CD-OF", 2022)
    assert [(r["period_start"], r["quantity"], r["unit"]) for r in rows] == [
        ("2022-01-01", 100000.0, "kWh")]
    with pytest.raises(NotFoundError) as other:
        facility_activities(url, SITE, "WH-CD", 2022)  # exists, but not theirs
    with pytest.raises(NotFoundError) as unknown:
        facility_activities(url, VERIFIER, "XX-1", 2022)  # does not exist at all
    assert str(other.value) == "no facility 'WH-CD' in the ledger"
    assert str(unknown.value) == "no facility 'XX-1' in the ledger"  # same answer


def test_others_read_every_facility_and_years_bound_the_rows(company: Settings) -> None:
    url = company.database_url
    assert [f["code"] for f in visible_facilities(url, VERIFIER)] == ["CD-OF", "WH-CD"]
    # the 2022 row (2022-01-01 .. 2022-12-31) overlaps 2022 only, not 2021 or 2023
    assert [r["period_start"] for r in facility_activities(url, VERIFIER, "WH-CD", 2022)] == [
        "2022-01-01"]
    assert [r["period_start"] for r in facility_activities(url, VERIFIER, "WH-CD", 2021)] == [
        "2021-01-01"]
    assert facility_activities(url, VERIFIER, "WH-CD", 2023) == []


def test_the_public_and_facility_owners_get_no_ledger_rows_or_evidence(
    company: Settings,
) -> None:
    with pytest.raises(PermissionDeniedError):
        visible_facilities(company.database_url, PUBLIC)
    with pytest.raises(PermissionDeniedError):
        facility_activities(company.database_url, PUBLIC, "CD-OF", 2022)
    with pytest.raises(PermissionDeniedError, match="may not download_evidence"):
        evidence_zip(company, SITE, 2022)
    with pytest.raises(NotFoundError):  # allowed, but 2022 is not published here
        evidence_zip(company, VERIFIER, 2022)
