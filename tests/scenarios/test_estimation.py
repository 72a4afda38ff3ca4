"""Scenario: a company missing May-December 2024 electricity at one office fills the gap
with each estimation method in turn, a reviewer approves each, and the inventory counts
the estimates as ordinary rows marked ``estimated``.

The company is tests/support/scenario_estimation.py. OF-A holds 133 MWh for
January-April 2024 (121 days); 2023 month m holds 9 + m MWh; floor area 1,000 m2 (2023)
and 1,200 m2 (2024). The group peers OF-B (2,000 m2, 62 MWh a month) and OF-C
(3,000 m2, 90 MWh a month, none in December).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from envledger.services.governance.review import approve
from envledger.services.inventory.calculate import calculate
from envledger.services.ledger.estimation import submit_estimate
from envledger.services.ledger.estimation_plan import EstimateRequest
from envledger.settings import Settings
from envledger.store.db import session_scope
from envledger.store.models import ActivityRecord, Facility
from tests.support.scenario_estimation import build_company

MAY_JUNE = 14 * 1.2 + 15 * 1.2  # previous_year: 16.8 + 18.0 = 34.8 MWh
JULY_SEPTEMBER = 133 / 121 * (31 + 31 + 30)  # covered_average: 101.1239669 MWh
OCTOBER_DECEMBER = 2 * 152 / 5000 * 1200 + 62 / 2000 * 1200  # 36.48 x 2 + 37.2 = 110.16 MWh


def electricity(settings: Settings, facility: str) -> float:
    found = calculate(settings, 2024).to_dict()["facilities"]
    return next(f for f in found if f["code"] == facility)["energy"]["indirect"]["value"]


def estimate_and_approve(url: str, method: str, months: tuple[str, ...] = ()) -> int:
    request = EstimateRequest(2024, "OF-A", "electricity", method, months)
    batch = submit_estimate(url, request, actor="ana").batch_id
    approve(url, batch, "rita", f"{method}: inputs checked against the ledger")
    return batch


def test_each_method_fills_part_of_the_gap_and_the_inventory_counts_it(
    ledger_url: str, tmp_path: Path
) -> None:
    url = build_company(ledger_url, tmp_path)
    settings = Settings(database_url=url)
    assert electricity(settings, "OF-A") == pytest.approx(133.0)
    estimate_and_approve(url, "previous_year", ("2024-05", "2024-06"))
    # covered_average rests on measured and invoiced months only: the approved May and
    # June estimates are not averaged in (else 133 + 34.8 MWh over 182 days).
    estimate_and_approve(url, "covered_average", ("2024-07", "2024-08", "2024-09"))
    pending = submit_estimate(
        url, EstimateRequest(2024, "OF-A", "electricity", "group_intensity"), actor="ana")
    assert pending.rows_added == 3  # the default months: October-December, still missing
    assert electricity(settings, "OF-A") == pytest.approx(133 + MAY_JUNE + JULY_SEPTEMBER)
    approve(url, pending.batch_id, "rita", "group intensity of the Offices group")
    assert electricity(settings, "OF-A") == pytest.approx(
        133 + MAY_JUNE + JULY_SEPTEMBER + OCTOBER_DECEMBER)  # 378.0839669 MWh
    with session_scope(url) as session:
        sources = session.execute(
            sa.select(ActivityRecord.period_start, ActivityRecord.data_source)
            .join(Facility, Facility.id == ActivityRecord.facility_id)
            .where(Facility.code == "OF-A", ActivityRecord.period_start >= date(2024, 5, 1))
            .order_by(ActivityRecord.period_start)
        ).all()
    assert [str(start)[:7] for start, _ in sources] == [f"2024-{m:02d}" for m in range(5, 13)]
    assert {source for _, source in sources} == {"estimated"}
