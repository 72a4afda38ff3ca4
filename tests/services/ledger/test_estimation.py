"""Estimates of missing months: each method worked by hand, errors naming what is missing,
and the submission path (pending, approved by another person, audited), on SQLite and
PostgreSQL.

The company is tests/support/scenario_estimation.py: OF-A has electricity in 2023 and in
January-April 2024 only. Tests run in order on one ledger per backend: the plans first
(nothing written), then the submission.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from envledger.errors import (
    EstimationError,
    InputError,
    NotFoundError,
    PeriodLockedError,
    ReviewError,
)
from envledger.io.activities import parse_activities
from envledger.services.evidence.ledger_verify import verify_ledger
from envledger.services.governance.period_locks import lock_year, unlock_year
from envledger.services.governance.review import approve, get_submission, submission_rows
from envledger.services.ledger.estimation import estimation_of, plan_estimate, submit_estimate
from envledger.services.ledger.estimation_plan import EstimateRequest
from envledger.settings import Settings
from envledger.store.db import get_engine, session_scope
from envledger.store.models import AuditEvent
from tests.support.ledger import row_counts
from tests.support.postgres import fresh_postgres_database
from tests.support.publication import BACKENDS
from tests.support.scenario_estimation import build_company

MAY_TO_DEC = ["2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11",
              "2024-12"]
DAYS = [31, 30, 31, 31, 30, 31, 30, 31]  # May..December: 245 days


@pytest.fixture(scope="module", params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("estimation")
    if request.param == "sqlite":
        ledger = f"sqlite:///{folder / 'ledger.db'}"
    else:
        ledger = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    yield build_company(ledger, folder)
    get_engine(ledger).dispose()


def plan(url: str, facility: str = "OF-A", method: str = "covered_average", **options):
    return plan_estimate(url, EstimateRequest(2024, facility, "electricity", method, **options))


def test_default_months_are_those_with_no_data_and_covered_average_by_hand(url: str) -> None:
    found = plan(url)
    assert [m.month for m in found.months] == MAY_TO_DEC
    assert [m.days for m in found.months] == DAYS
    # 72 MWh (Jan-Feb, 60 d) + 61 MWh (Mar-Apr, 61 d) = 133 MWh over 121 days.
    may = found.months[0]
    assert may.quantity == pytest.approx(133 / 121 * 31)  # 34.0743801653 MWh
    assert found.months[1].quantity == pytest.approx(133 / 121 * 30)  # 32.9752066116 MWh
    assert found.quantity == pytest.approx(133 / 121 * 245)  # 269.2975206612 MWh
    assert found.unit == "MWh"
    assert may.inputs == {"covered_months": ["2024-01", "2024-02", "2024-03", "2024-04"],
                          "covered_quantity": 133.0, "covered_days": 121, "days": 31}
    assert may.arithmetic == "133 MWh / 121 d (4 covered months) x 31 d = 34.07438017 MWh"


def test_previous_year_scaled_by_floor_area_and_by_headcount(url: str) -> None:
    by_area = plan(url, method="previous_year", months=("2024-05", "2024-12"))
    # May 2023: 14,000 kWh = 14 MWh; floor area 1,200 m2 (2024) / 1,000 m2 (2023).
    # December 2023: 21 MWh.
    assert [m.quantity for m in by_area.months] == pytest.approx([14 * 1.2, 21 * 1.2])
    assert by_area.months[0].arithmetic == (
        "14 MWh (2023-05) x 1,200 m2 / 1,000 m2 = 16.8 MWh")
    by_people = plan(url, method="previous_year", by="headcount")
    # 45 people (2024) / 50 (2023) = 0.9; May..Dec 2023 = 14 + 15 + ... + 21 = 140 MWh.
    assert [m.quantity for m in by_people.months] == pytest.approx(
        [q * 0.9 for q in range(14, 22)])
    assert by_people.quantity == pytest.approx(126.0)


def test_group_intensity_from_the_peers_with_data_in_each_month(url: str) -> None:
    found = plan(url, method="group_intensity")
    may, december = found.months[0], found.months[-1]
    # May: OF-B 62 MWh on 2,000 m2 + OF-C 90 MWh on 3,000 m2 = 152 MWh / (5,000 m2 x 31 d)
    # = 0.000980645 MWh/m2/d; x 1,200 m2 x 31 d = 36.48 MWh.
    assert may.inputs["intensity_per_m2_day"] == pytest.approx(152 / (5000 * 31))
    assert may.quantity == pytest.approx(36.48)
    assert set(may.inputs["peers"]) == {"OF-B", "OF-C"}
    # December: OF-C has no data, so OF-B alone: 62 / (2,000 x 31) x 1,200 x 31 = 37.2 MWh.
    assert december.inputs["peers"] == {"OF-B": {"quantity": 62.0, "floor_area_m2": 2000.0}}
    assert december.quantity == pytest.approx(37.2)
    assert found.quantity == pytest.approx(7 * 36.48 + 37.2)  # 292.56 MWh
    # Resting on other facilities, the rows carry 50 % (benchmark class), not the 20 %
    # default of an estimate from the facility's own meter.
    rows = parse_activities(found.content(), found.file_name)
    assert rows["uncertainty_pct"].to_pylist() == [50.0] * 8
    own = parse_activities(plan(url).content(), "own.csv")
    assert own["uncertainty_pct"].null_count == own.num_rows


@pytest.mark.parametrize(("facility", "method", "options", "named"), [
    ("OF-D", "previous_year", {}, "invoiced electricity data in 2023-01"),
    ("OF-C", "previous_year", {}, "OF-C has no facility-year row for 2023"),
    ("OF-F", "covered_average", {}, "OF-F has no month of 2024 covered"),
    ("OF-F", "group_intensity", {}, "OF-F belongs to no facility group"),
    ("OF-D", "group_intensity", {}, "no other facility of group 'Annex'"),
    ("OF-A", "group_intensity", {"group": "Annex"}, "OF-A is not in group 'Annex'"),
    ("OF-A", "covered_average", {"months": ("2024-04",)}, "already has data in 2024-04"),
    ("OF-A", "covered_average", {"months": ("2023-12",)}, "not months of 2024"),
    ("OF-B", "covered_average", {}, "has data (approved or pending) in every month"),
    ("OF-A", "previous_year", {"by": "revenue"}, "--by 'revenue'"),
    ("OF-A", "median", {}, "method 'median' is not one of"),
])
def test_a_method_without_basis_names_what_is_missing(
    url: str, facility: str, method: str, options: dict, named: str
) -> None:
    with pytest.raises(EstimationError, match=re.escape(named)):
        plan(url, facility, method, **options)


def test_unknown_facility_activity_or_variant(url: str) -> None:
    with pytest.raises(NotFoundError, match="facility 'OF-X'"):
        plan(url, "OF-X")
    with pytest.raises(NotFoundError, match="activity 'steam'"):
        plan_estimate(url, EstimateRequest(2024, "OF-A", "steam", "covered_average"))
    with pytest.raises(EstimationError, match="has no variant"):
        plan(url, variant="aerobic_primary")
    with pytest.raises(EstimationError, match="reported per gas"):
        plan_estimate(url, EstimateRequest(2024, "OF-A", "refrigerant", "covered_average"))


def test_planning_writes_nothing(url: str) -> None:
    before = row_counts(url)
    plan(url, method="group_intensity")
    assert row_counts(url) == before


def test_an_estimate_is_a_pending_submission_with_its_method_recorded_and_audited(
    url: str,
) -> None:
    result = submit_estimate(url, EstimateRequest(2024, "OF-A", "electricity", "covered_average"),
                             actor="ana")
    assert (result.rows_added, result.already_imported) == (8, False)
    assert result.file_name == "estimate-OF-A-electricity-2024-covered_average.csv"
    item = get_submission(url, result.batch_id)
    assert (item.status, item.submitted_by, item.reviewer) == ("pending", "ana", None)
    rows = submission_rows(url, result.batch_id)
    assert [(str(r["period_start"]), str(r["period_end"])) for r in rows] == [
        (f"{month}-01", f"{month}-{days}") for month, days in zip(MAY_TO_DEC, DAYS, strict=True)]
    assert {(r["data_source"], r["unit"], r["reference"]) for r in rows} == {
        ("estimated", "MWh", "estimate: covered_average")}
    assert rows[0]["quantity"] == pytest.approx(133 / 121 * 31)
    recorded = estimation_of(url, result.batch_id)
    assert recorded is not None
    assert recorded["method"] == "covered_average"
    assert recorded["parameters"]["months"] == MAY_TO_DEC
    assert recorded["quantity"] == pytest.approx(133 / 121 * 245)
    assert recorded["months"][0]["inputs"]["covered_days"] == 121
    with session_scope(url) as session:
        event = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert event is not None
        assert (event.actor, event.action) == ("ana", "import.activities")
        assert event.detail["review_status"] == "pending"
        assert event.detail["estimation"]["method"] == "covered_average"
        assert set(event.detail["rows"]) >= {"activity_record", "batch_review", "estimation"}
        assert event.detail["rows"]["estimation"][f"batch_id={result.batch_id}"]


def test_the_same_months_cannot_be_estimated_twice_while_pending(url: str) -> None:
    with pytest.raises(EstimationError, match="every month of 2024"):
        submit_estimate(url, EstimateRequest(2024, "OF-A", "electricity", "previous_year"),
                        actor="ana")


def test_an_estimate_counts_once_another_person_approves_it(url: str) -> None:
    batch = get_latest_estimate(url)
    with pytest.raises(ReviewError, match="another person"):
        approve(url, batch, "ana", "ok")
    assert approve(url, batch, "rita", "method and inputs checked").status == "approved"
    assert estimation_of(url, batch - 1) is None  # the company's own import


def test_an_estimate_in_a_locked_year_is_refused_and_writes_nothing(url: str) -> None:
    # OF-C December from OF-B alone (OF-A's December is an estimate: never a basis):
    # 62 MWh / (2,000 m2 x 31 d) x 3,000 m2 x 31 d = 93 MWh.
    request = EstimateRequest(2024, "OF-C", "electricity", "group_intensity")
    assert plan_estimate(url, request).quantity == pytest.approx(93.0)
    lock_year(url, 2024)
    before = row_counts(url)
    with pytest.raises(PeriodLockedError):
        submit_estimate(url, request, actor="ana")
    assert row_counts(url) == before
    unlock_year(url, 2024, reason="estimation test done")


def test_a_bad_variant_for_a_treated_activity_is_refused_as_a_file(url: str) -> None:
    with pytest.raises((EstimationError, InputError), match="treatment"):
        plan_estimate(url, EstimateRequest(2024, "OF-A", "wastewater_cod", "covered_average"))


def get_latest_estimate(url: str) -> int:
    with session_scope(url) as session:
        found = session.scalar(sa.text("SELECT max(batch_id) FROM estimation"))
    assert found is not None
    return int(found)



def test_the_ledger_verifies_and_an_edited_estimation_is_named(url: str) -> None:
    assert verify_ledger(Settings(database_url=url)).ok
    batch = get_latest_estimate(url)
    with get_engine(url).begin() as connection:
        connection.execute(sa.text("UPDATE estimation SET quantity = 1 WHERE batch_id = :b"),
                           {"b": batch})
    found = verify_ledger(Settings(database_url=url)).divergences
    assert [(d.table, d.row) for d in found] == [("estimation", f"batch_id={batch}")]
