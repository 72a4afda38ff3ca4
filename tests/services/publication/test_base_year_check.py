"""The base-year check and recalculation, told as one history of the small company.

The tests of this module run in order on one ledger per backend, each building on the
last: growth and a new facility (no trigger), an acquisition (structural), a late
invoice (error), a factor-series change (methodology), then the restatements. Figures
are worked by hand from publication_helpers: CD-OF 100 MWh and WH-CD 50 MWh a year;
local factor 0.1404 t/MWh, national carbon-market factor for 2020 0.6101 t/MWh.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from envledger.errors import MethodologyError, NotFoundError
from envledger.services.inventory.methodology import set_methodology
from envledger.services.ledger.boundary import set_boundary
from envledger.services.ledger.importing import import_activities, import_facilities, import_factors
from envledger.services.publication.base_year import (
    BaseYearCheck,
    check_base_year,
    recalculate_base_year,
)
from envledger.services.publication.publishing import publish, restatements, snapshot_history
from envledger.settings import Settings
from envledger.store.db import session_scope
from envledger.store.models import AuditEvent, FacilityYear
from tests.support.publication import ACTIVITIES, BACKENDS, FACILITIES, add_rows, module_company

MEE = "cn_mee_nbs_electricity"


@pytest.fixture(scope="module", params=BACKENDS)
def company(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """The small company of publication_helpers, one ledger per backend for this module."""
    yield from module_company(request, tmp_path_factory)


def effects(check: BaseYearCheck) -> dict[str, float]:
    return {effect.cause: effect.t_co2e for effect in check.effects}


def test_the_base_year_must_be_set_and_published(company: Settings) -> None:
    with pytest.raises(MethodologyError, match="sets no base year"):
        check_base_year(company)
    set_methodology(company, base_year=2020)
    with pytest.raises(NotFoundError, match="base year 2020 has not been published"):
        check_base_year(company)
    publish(company, 2020)  # CD-OF only: 100 MWh x 0.1404 t/MWh = 14.04 t
    check = check_base_year(company)
    assert check.published_t == pytest.approx(14.04)
    assert set(effects(check).values()) == {0.0}
    assert not check.required


def test_organic_growth_never_triggers(company: Settings, tmp_path: Path) -> None:
    # CD-OF uses 20 % more electricity in 2021 and 2022: later years only.
    add_rows(company, tmp_path, "growth.csv",
             "CD-OF,2021-07-01,2021-07-31,electricity,20000,kWh,invoice\n"
             "CD-OF,2022-07-01,2022-07-31,electricity,20000,kWh,invoice\n")
    check = check_base_year(company)
    assert set(effects(check).values()) == {0.0}
    assert check.recalculated_t == pytest.approx(14.04)
    assert not check.required


def test_a_facility_that_did_not_exist_in_the_base_year_never_triggers(
    company: Settings, tmp_path: Path,
) -> None:
    # NEW-OF opens in 2021; its 2020 row is in the boundary but it has no 2020 data.
    facilities = tmp_path / "new.csv"
    facilities.write_text(FACILITIES + "".join(
        f"NEW-OF,New office,office,CN,CN-SC,CN-Southwest,{y},500,50,yes,\n" for y in (2020, 2021)
    ))
    import_facilities(company.database_url, facilities)
    activities = tmp_path / "new-activities.csv"
    activities.write_text(ACTIVITIES + "NEW-OF,2021-01-01,2021-12-31,electricity,30,MWh,invoice\n")
    import_activities(company.database_url, activities)
    check = check_base_year(company)
    assert set(effects(check).values()) == {0.0}
    assert not check.required
    (note,) = check.not_triggers
    assert note.startswith("NEW-OF entered the 2020 boundary but has no 2020 activity data")


def test_an_acquisition_entered_as_a_boundary_change_is_structural(company: Settings) -> None:
    change = set_boundary(company, "WH-CD", 2020, True, "acquired 2021; restated as if owned",
                          actor="ann")
    assert (change.was_in, change.now_in, change.changed) == (False, True, True)
    assert not set_boundary(company, "WH-CD", 2020, True,
                            "acquired 2021; restated as if owned").changed
    with session_scope(company.database_url) as session:
        (event,) = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "boundary.set")
        ).all()
        assert event.actor == "ann"
        assert event.detail["rows"].keys() == {"facility_year"}
        assert {k: v for k, v in event.detail.items() if k != "rows"} == {
            "facility": "WH-CD", "year": 2020, "from_in_boundary": False,
            "to_in_boundary": True, "from_note": "acquired 2021",
            "note": "acquired 2021; restated as if owned",
        }
        assert session.scalars(sa.select(FacilityYear.in_boundary).where(
            FacilityYear.year == 2020, FacilityYear.in_boundary.is_(False))).all() == []
    with pytest.raises(NotFoundError, match="no 2019 row"):
        set_boundary(company, "WH-CD", 2019, True, "no such year")
    check = check_base_year(company)
    # WH-CD 2020: 50 MWh x 0.1404 = 7.02 t, 7.02 / 14.04 = 50 % of the base year
    assert effects(check)["structural_change"] == pytest.approx(7.02)
    assert check.effects[2].share == pytest.approx(0.5)
    assert check.effects[2].details == ("WH-CD entered the boundary: +7.02 tCO2e",)
    assert check.required
    # At a 60 % threshold the same 50 % is not significant.
    set_methodology(company, significance_threshold=0.6)
    assert not check_base_year(company).required
    set_methodology(company, significance_threshold=0.05)


def test_late_base_year_data_is_an_error_correction(company: Settings, tmp_path: Path) -> None:
    add_rows(company, tmp_path, "late.csv",
             "CD-OF,2020-12-01,2020-12-31,electricity,5000,kWh,invoice\n")
    check = check_base_year(company)
    # 5 MWh x 0.1404 = 0.702 t at CD-OF; the acquisition stays 7.02 t
    assert effects(check) == {
        "error_correction": pytest.approx(0.702), "factor_change": 0.0,
        "structural_change": pytest.approx(7.02), "methodology_change": 0.0,
    }
    assert check.effects[0].details == (
        "base-year activity rows changed at CD-OF: +0.70 tCO2e",
    )


def test_a_factor_series_change_is_a_methodology_change(company: Settings) -> None:
    set_methodology(company, excluded_series=[MEE])
    check = check_base_year(company)
    # now 105 + 50 = 155 MWh in the boundary at 0.6101 instead of 0.1404 t/MWh:
    # 155 x (0.6101 - 0.1404) = 155 x 0.4697 = 72.8035 t; recalculated 155 x 0.6101 = 94.5655 t
    assert effects(check)["methodology_change"] == pytest.approx(72.8035)
    assert check.recalculated_t == pytest.approx(94.5655)
    # the effects add up: 0.702 + 0 + 7.02 + 72.8035 = 80.5255 = 94.5655 - 14.04
    assert check.cumulative_t == pytest.approx(80.5255)
    assert check.effects[3].details == ("excluded_series: [] -> ['cn_mee_nbs_electricity']",)
    assert "recalculation REQUIRED" in check.verdict


def test_recalculation_restates_each_cause_in_its_own_version(company: Settings) -> None:
    # NEW-OF's 2020 row is in the boundary without 2020 data: a coverage gap to accept
    gap = "NEW-OF opened in 2021"
    first = recalculate_base_year(company, "structural_change", "WH-CD acquired",
                                  published_methodology=True, accept_gaps=gap)
    # published methodology (local factor): 155 MWh x 0.1404 = 21.762 t
    (total,) = [r for r in first.restated if r.figure == "emissions.total"]
    assert (total.original, total.revised, total.difference) == (
        pytest.approx(14.04), pytest.approx(21.762), pytest.approx(7.722)
    )
    check = check_base_year(company)
    assert effects(check)["structural_change"] == 0.0
    assert effects(check)["methodology_change"] == pytest.approx(72.8035)
    second = recalculate_base_year(company, "methodology_change", "national grid factor",
                                   accept_gaps=gap)
    assert second.snapshot.version == 3
    check = check_base_year(company)
    assert check.published_t == pytest.approx(94.5655)
    assert set(effects(check).values()) == {0.0}
    assert not check.required
    assert [(s.version, s.reason) for s in snapshot_history(company, 2020)] == [
        (1, None), (2, "structural_change"), (3, "methodology_change")
    ]
    assert [r.reason for r in restatements(company, 2020) if r.figure == "emissions.total"] == [
        "structural_change", "methodology_change"
    ]


def test_a_new_regional_factor_is_a_factor_change(company: Settings, tmp_path: Path) -> None:
    # A CN-Southwest grid factor of 0.2 t/MWh for 2020 beats the national one (regional >
    # national) at both sites: 155 MWh x (0.2 - 0.6101) = -63.5655 t, -63.5655 / 94.5655
    # = -67.2 % of the base year. (A supplier factor would not count: location-based
    # Scope 2 uses grid averages only.)
    factors = tmp_path / "regional.csv"
    factors.write_text(
        "factor_id,series,activity,variant,gas,value,unit,tier,geography_code,sector,"
        "data_year,valid_from,valid_to,citation,confidence,note\n"
        "sw-grid-2020,sw_grid,electricity,,CO2,0.2,t/MWh,regional,CN-Southwest,,2020,2020,"
        "2020,Test regional grid factor,NV,\n"
    )
    import_factors(company.database_url, factors)
    check = check_base_year(company)
    assert effects(check) == {
        "error_correction": 0.0, "factor_change": pytest.approx(-63.5655),
        "structural_change": 0.0, "methodology_change": 0.0,
    }
    assert check.effects[1].share == pytest.approx(-0.67219, abs=1e-5)
    assert check.effects[1].details == ("factors now chosen: sw-grid-2020",
                                        "factors no longer chosen: cn_ets_grid_2019")
    assert check.required
