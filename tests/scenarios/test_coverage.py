"""Scenario companies for the coverage gate (issue 8, section 1).

A small company of two Shanghai/Guangzhou sites that holds January-April electricity and
natural gas of 2024 and no water or waste, declared as expected. 2024 is a leap year:
May-December = 31+30+31+31+30+31+30+31 = 245 days, the whole year 366 days.
"""

from __future__ import annotations

import calendar
from pathlib import Path

import pytest

from envledger.disclosure.footnotes import build_footnotes
from envledger.errors import PublicationError
from envledger.services.access.roles import Role, user_principal
from envledger.services.inventory.calculate import prepare_ledger
from envledger.services.ledger.importing import (
    ImportResult,
    import_activities,
    import_facilities,
)
from envledger.services.publication.publishing import publish, published_years
from envledger.services.publication.site_data import read_ledger
from envledger.services.workflow.coverage_effect import coverage_effect
from envledger.services.workflow.scoped_reads import scoped_coverage
from envledger.settings import Settings

FACILITIES = (
    "code,name,type,country,province,grid_region,year,floor_area_m2,headcount,in_boundary,"
    "expected_activities,in_boundary_from\n"
)
ACTIVITIES = "facility_code,period_start,period_end,activity,quantity,unit,data_source\n"
SITES = ("SH-HQ,HQ,office,CN,CN-SH,CN-East", "GZ-P1,Plant,factory,CN,CN-GD,CN-South")
EXPECTED = "water_running; waste_non_hazardous"
REFUSAL = """\
2024 cannot be published: 80 facility-activity-months are not covered by activity data:
  - GZ-P1 electricity: May-Dec (245 days missing)
  - GZ-P1 natural_gas: May-Dec (245 days missing)
  - GZ-P1 waste_non_hazardous: Jan-Dec (366 days missing)
  - GZ-P1 water_running: Jan-Dec (366 days missing)
  - SH-HQ electricity: May-Dec (245 days missing)
  - SH-HQ natural_gas: May-Dec (245 days missing)
  - SH-HQ waste_non_hazardous: Jan-Dec (366 days missing)
  - SH-HQ water_running: Jan-Dec (366 days missing)
Import the missing data, declare a part-year facility (in_boundary_from, in_boundary_to), \
or publish with --accept-gaps "reason" to state the gaps in the disclosure. \
Nothing was published."""


def _monthly(code: str, activity: str, quantity: float, unit: str, months: range) -> str:
    return "".join(
        f"{code},2024-{m:02d}-01,2024-{m:02d}-{calendar.monthrange(2024, m)[1]:02d},"
        f"{activity},{quantity},{unit},invoice\n"
        for m in months
    )


def _ledger(url: str, folder: Path, facilities: str, activities: str) -> Settings:
    _import(url, folder, facilities, activities)
    return Settings(database_url=url)


def _import(url: str, folder: Path, facilities: str, activities: str) -> ImportResult:
    """Prepare the ledger, import both files; the activities import's result."""
    prepare_ledger(url)
    (folder / "facilities.csv").write_text(FACILITIES + facilities)
    (folder / "activities.csv").write_text(ACTIVITIES + activities)
    import_facilities(url, folder / "facilities.csv")
    return import_activities(url, folder / "activities.csv")


def _jan_to_apr_company(url: str, folder: Path) -> Settings:
    return _ledger(
        url, folder,
        "".join(f"{site},2024,1000,50,yes,{EXPECTED},\n" for site in SITES),
        "".join(
            _monthly(site[:5], "electricity", 10000, "kWh", range(1, 5))
            + _monthly(site[:5], "natural_gas", 500, "m3", range(1, 5))
            for site in SITES
        ),
    )


def test_missing_months_refuse_the_publish_with_every_gap(ledger_url: str, tmp_path: Path) -> None:
    settings = _jan_to_apr_company(ledger_url, tmp_path)
    with pytest.raises(PublicationError) as refused:
        publish(settings, 2024)
    assert str(refused.value) == REFUSAL
    assert published_years(settings) == []


def test_accepted_gaps_are_stated_in_a_footnote_and_water_and_waste_are_not_reported(
    ledger_url: str, tmp_path: Path,
) -> None:
    settings = _jan_to_apr_company(ledger_url, tmp_path)
    publish(settings, 2024, accept_gaps="meters read only until April")
    ledger = read_ledger(settings)
    payload = ledger.payloads[2024]
    company = payload["company"]
    for figure in (company["water"]["total"], company["waste"]["non_hazardous"]):
        assert (figure["value"], figure["unit"]) == (None, "t")
        assert figure["uncertainty"]["value"] is None
    # 2 sites x 4 months x 10,000 kWh = 80 MWh held
    assert company["energy"]["indirect"]["value"] == pytest.approx(80.0)
    notes = {n.key: n.text["en"] for n in build_footnotes(payload, ledger.facts)}
    # electricity: 2 x 245 of 2 x 366 expected days missing = 66.9 %, shown as 67 %
    assert notes["coverage"] == (
        "Coverage: data for 80 facility-activity-months were not available in 2024: "
        "GZ-P1 electricity (May–December), GZ-P1 natural gas (May–December), GZ-P1 "
        "non-hazardous waste (January–December), GZ-P1 running water (January–December), "
        "SH-HQ electricity (May–December), SH-HQ natural gas (May–December), SH-HQ "
        "non-hazardous waste (January–December), SH-HQ running water (January–December). "
        "The figures were published with these gaps because: meters read only until April. "
        "Share of each figure's expected data that is missing: Total GHG emissions 67%, "
        "Direct GHG emissions (Scope 1) 67%, Indirect GHG emissions (Scope 2, location-based)"
        " 67%, Indirect GHG emissions (Scope 2, market-based) 67%, Total comprehensive "
        "energy consumption 67%, Direct energy consumption 67%, Indirect energy consumption "
        "67%, Comprehensive energy consumption in standard coal equivalent 67%, Total water "
        "consumption 100%, Running water consumption 100%, Non-hazardous waste 100%."
    )
    assert notes["standards"].endswith(
        "The reporting period is the calendar year 2024; the activity data held cover"
        " 1 January to 30 April 2024."
    )
    assert payload["coverage"]["accepted_gaps"] == {"reason": "meters read only until April"}


def test_rows_of_a_facility_without_a_facility_year_refuse_the_publish(
    ledger_url: str, tmp_path: Path,
) -> None:
    imported = _import(
        ledger_url, tmp_path,
        f"{SITES[0]},2024,1000,50,yes,,\n{SITES[1]},2023,1000,50,yes,,\n",
        _monthly("SH-HQ", "electricity", 10000, "kWh", range(1, 13))
        + _monthly("GZ-P1", "electricity", 10000, "kWh", range(1, 13)),
    )
    assert imported.warnings == (
        "GZ-P1 has 12 activity rows in 2024 but no facility-year row for 2024: they count in"
        " no figure and 2024 cannot be published until a facilities row for GZ-P1 in 2024"
        " (in_boundary yes or no) is imported",
    )
    settings = Settings(database_url=ledger_url)
    with pytest.raises(PublicationError, match=(
        r"(?s)activity rows of facilities with no facility-year row for 2024.*"
        r"  - GZ-P1: 12 activity rows in 2024 but no facility-year row for 2024"
    )):
        publish(settings, 2024, accept_gaps="not a gap: a boundary decision is missing")
    assert published_years(settings) == []


def test_a_facility_acquired_on_1_july_is_no_gap_and_counts_the_second_half(
    ledger_url: str, tmp_path: Path,
) -> None:
    settings = _ledger(
        ledger_url, tmp_path,
        f"{SITES[0]},2024,1000,50,yes,,\n{SITES[1]},2024,1000,50,yes,,2024-07-01\n",
        _monthly("SH-HQ", "electricity", 10000, "kWh", range(1, 13))
        + _monthly("GZ-P1", "electricity", 10000, "kWh", range(1, 13)),
    )
    publish(settings, 2024)
    payload = read_ledger(settings).payloads[2024]
    plant = next(f for f in payload["facilities"] if f["code"] == "GZ-P1")
    # July-December only: 6 months x 10,000 kWh = 60 MWh (January-June belong to the seller)
    assert plant["energy"]["indirect"]["value"] == pytest.approx(60.0)
    # SH-HQ 12 x 10 MWh = 120 MWh + 60 MWh = 180 MWh
    assert payload["company"]["energy"]["indirect"]["value"] == pytest.approx(180.0)
    assert payload["coverage"]["gaps"] == []


def test_a_reviewer_sees_what_a_pending_submission_does_to_coverage(
    ledger_url: str, tmp_path: Path,
) -> None:
    settings = _jan_to_apr_company(ledger_url, tmp_path)
    late = tmp_path / "late.csv"
    late.write_text(ACTIVITIES + _monthly("SH-HQ", "electricity", 10000, "kWh", range(5, 13)))
    pending = import_activities(ledger_url, late, submit=True)
    owner = user_principal("ann", Role.inventory_owner, frozenset(), "session")
    (effect,) = coverage_effect(settings, owner, pending.batch_id)
    # held: 2 sites x 2 activities x 4 months + nothing of water and waste =
    # 2 x 2 x 121 = 484 of 2 x 4 x 366 = 2,928 days; the batch adds SH-HQ May-Dec, 245 days
    assert effect == {
        "year": 2024,
        "before": {"share_covered": {"value": pytest.approx(484 / 2928), "unit": "1"},
                   "gap_months": 80},
        "with": {"share_covered": {"value": pytest.approx((484 + 245) / 2928), "unit": "1"},
                 "gap_months": 72},
        "closed": ["SH-HQ electricity: May-Dec"],
        "opened": [],
    }
    # a facility owner of GZ-P1 sees their own facility only, without company figures
    site = user_principal("gz", Role.facility_owner, frozenset({"GZ-P1"}), "session")
    scoped = scoped_coverage(settings, site, 2024)
    assert {row["facility"] for row in scoped["matrix"]} == {"GZ-P1"}
    assert "share_covered" not in scoped and "figures" not in scoped
