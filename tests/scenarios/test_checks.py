"""Scenario: a company with a x1000 slip, a duplicated invoice, a zero month and an
intensity outlier; a reviewer dismisses a flag (audited); bad keys and roles refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from envledger.errors import NotFoundError, PermissionDeniedError, ReviewConflictError, ReviewError
from envledger.services.access.roles import Role, user_principal
from envledger.services.audit.chain import audit_log
from envledger.services.evidence.ledger_verify import verify_ledger
from envledger.services.inventory.checks import dismiss, year_flags
from envledger.services.workflow.checks import dismiss_as, pending_flags, visible_flags
from envledger.settings import Settings
from envledger.store.db import get_engine
from tests.reliability.races import race
from tests.support.scenario_checks import build_company, submit_december

REVIEWER = user_principal("rita", Role.reviewer, frozenset(), "session")
OWNER = user_principal("olga", Role.inventory_owner, frozenset(), "session")
SITE = user_principal("sam", Role.facility_owner, frozenset({"SH-HQ"}), "session")
OTHER_SITE = user_principal("otto", Role.facility_owner, frozenset({"O1"}), "session")
VERIFIER = user_principal("vera", Role.verifier, frozenset(), "session")
SLIP = "x1000 unit slip: quantity in kWh entered as MWh"


@pytest.fixture
def company(ledger_url: str, tmp_path: Path) -> str:
    build_company(ledger_url, tmp_path)
    return ledger_url


def _by_key(flags: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {flag["key"]: flag for flag in flags}


def test_every_anomaly_is_flagged_with_its_range_and_cause(company: str) -> None:
    flags = _by_key(year_flags(company, 2025))
    overlap_key = next(key for key in flags if key.startswith("overlap:"))
    assert sorted(flags) == sorted([
        "month_vs_last_year:SH-HQ:electricity:::2025-03",
        "month_vs_median:SH-HQ:electricity:::2025-03",
        "zero_month:SH-HQ:natural_gas:::2025-07",
        overlap_key,
        "month_vs_last_year:SH-HQ:water_running:::2025-05",
        "intensity_per_m2:O6:heat:::2025:Offices",
    ])
    # March 2025: "40000 MWh" against 40,000 kWh = 40 MWh in March 2024: ratio 1000.
    slip = flags["month_vs_last_year:SH-HQ:electricity:::2025-03"]
    assert (slip["value"], slip["unit"], slip["reference"]) == (40000.0, "MWh", 40.0)
    assert slip["expected_low"] == pytest.approx(40 * 0.5)  # 20 MWh
    assert slip["expected_high"] == pytest.approx(40 * 1.5)  # 60 MWh
    assert (slip["period_start"], slip["period_end"]) == ("2025-03-01", "2025-03-31")
    assert slip["cause"] == SLIP and not slip["dismissed"]
    # Median of the 23 non-zero months (22 of 40 MWh, one of 40,000) = 40 MWh; band x3.
    median = flags["month_vs_median:SH-HQ:electricity:::2025-03"]
    assert median["reference"] == 40.0 and median["cause"] == SLIP
    assert (median["expected_low"], median["expected_high"]) == pytest.approx((40 / 3, 120.0))
    # July gas 0 m3 between 2,000 m3 months; median 2,000 m3.
    zero = flags["zero_month:SH-HQ:natural_gas:::2025-07"]
    assert (zero["value"], zero["unit"], zero["reference"]) == (0.0, "m3", 2000.0)
    assert (zero["expected_low"], zero["expected_high"]) == pytest.approx((2000 / 3, 6000.0))
    # The re-issued invoice 2025-05-03..06-01 shares 29 days with May (05-03..05-31) and
    # one day with June (tolerated: a shared end/start day).
    overlap = flags[overlap_key]
    assert overlap_key.startswith("overlap:SH-HQ:water_running:::2025-05-03/2025-05-31:r")
    assert (overlap["value"], overlap["unit"]) == (29.0, "day")
    assert (overlap["expected_low"], overlap["expected_high"]) == (0.0, 1.0)
    assert "480.0 m3" in overlap["detail"] and "500.0 m3" in overlap["detail"]
    # May's water then holds 500 + 480 x 29/30 = 964 t against 500 t in May 2024.
    water = flags["month_vs_last_year:SH-HQ:water_running:::2025-05"]
    assert water["value"] == pytest.approx(500 + 480 * 29 / 30)
    assert (water["expected_low"], water["expected_high"]) == pytest.approx((250.0, 750.0))
    # Heat per m2 in Offices: 0.09 0.095 0.1 0.105 0.11 0.4 GJ/m2; median 0.1025;
    # |deviations| 0.0125 0.0075 0.0025 0.0025 0.0075 0.2975 -> MAD 0.0075;
    # spread 3.5 x 1.4826 x 0.0075 = 0.03891825.
    outlier = flags["intensity_per_m2:O6:heat:::2025:Offices"]
    assert (outlier["value"], outlier["unit"]) == (pytest.approx(0.4), "GJ/m2")
    assert outlier["reference"] == pytest.approx(0.1025)
    assert outlier["expected_low"] == pytest.approx(0.1025 - 0.03891825)
    assert outlier["expected_high"] == pytest.approx(0.1025 + 0.03891825)


def test_a_reviewer_dismisses_a_flag_audited_and_shown(company: str) -> None:
    key = "zero_month:SH-HQ:natural_gas:::2025-07"
    dismissed = dismiss_as(company, REVIEWER, key, "  Boiler off for the summer overhaul. ")
    assert dismissed["dismissed"] and dismissed["dismissed_by"] == "rita"
    flag = _by_key(year_flags(company, 2025))[key]
    assert flag["dismissed"] and flag["comment"] == "Boiler off for the summer overhaul."
    assert flag["dismissed_by"] == "rita" and flag["dismissed_at"].endswith("+00:00")
    others = [f for f in year_flags(company, 2025) if f["key"] != key]
    assert not any(f["dismissed"] for f in others)
    event = audit_log(company, 1)[0]
    assert (event["actor"], event["action"]) == ("rita", "check.dismiss")
    assert event["detail"]["flag_key"] == key and event["detail"]["value"] == 0.0
    assert verify_ledger(Settings(database_url=company)).ok
    # A comment rewritten in the database, behind the audit trail's back, shows.
    with get_engine(company).begin() as connection:
        connection.execute(sa.text("UPDATE check_dismissal SET comment = 'nothing to see'"))
    report = verify_ledger(Settings(database_url=company))
    assert [(d.table, d.row) for d in report.divergences] == [("check_dismissal", "id=1")]
    with pytest.raises(ReviewConflictError, match="already dismissed by rita"):
        dismiss_as(company, OWNER, key, "again")


@pytest.mark.parametrize(("principal", "key", "error"), [
    (SITE, "zero_month:SH-HQ:natural_gas:::2025-07", PermissionDeniedError),
    (VERIFIER, "zero_month:SH-HQ:natural_gas:::2025-07", PermissionDeniedError),
    (REVIEWER, "zero_month:SH-HQ:natural_gas:::2025-08", NotFoundError),
    (REVIEWER, "not-a-key", NotFoundError),
    (REVIEWER, "", NotFoundError),
])
def test_bad_roles_and_keys_are_refused_and_change_nothing(
    company: str, principal: Any, key: str, error: type[Exception]
) -> None:
    before = audit_log(company, 1)
    with pytest.raises(error):
        dismiss_as(company, principal, key, "looks fine")
    assert audit_log(company, 1) == before
    assert not any(f["dismissed"] for f in year_flags(company, 2025))


def test_a_blank_comment_is_refused(company: str) -> None:
    with pytest.raises(ReviewError, match="give a comment"):
        dismiss_as(company, REVIEWER, "zero_month:SH-HQ:natural_gas:::2025-07", "   ")


def test_a_facility_owner_sees_only_their_facilities_flags(company: str) -> None:
    assert {f["facility_code"] for f in visible_flags(company, SITE, 2025)} == {"SH-HQ"}
    assert visible_flags(company, OTHER_SITE, 2025) == []


def test_a_pending_submission_shows_the_flags_it_would_raise(company: str, tmp_path: Path) -> None:
    batch = submit_december(company, tmp_path)
    flags = _by_key(pending_flags(company, REVIEWER, batch))
    assert sorted(flags) == [
        "month_vs_last_year:SH-HQ:electricity:::2025-12",
        "month_vs_median:SH-HQ:electricity:::2025-12",
    ]
    assert flags["month_vs_last_year:SH-HQ:electricity:::2025-12"]["cause"] == SLIP
    # Not approved yet: the year's own flags do not include December.
    assert not any(key.endswith("2025-12") for key in _by_key(year_flags(company, 2025)))


ZERO = "zero_month:SH-HQ:natural_gas:::2025-07"


def test_two_reviewers_dismissing_one_flag_at_once_record_it_once(company: str) -> None:
    # Real threads, each on its own connection, on SQLite and PostgreSQL: the dismissal is
    # queued behind other audited writes, so the second sees the first and is refused.
    outcomes = race(
        lambda: dismiss(company, ZERO, "ana", "closed for maintenance in July"),
        lambda: dismiss(company, ZERO, "bo", "plant shut in July"),
    )
    won = [o for o in outcomes if o.error is None]
    lost = [o for o in outcomes if o.error is not None]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert isinstance(lost[0].error, ReviewConflictError)
    assert "was already dismissed by" in str(lost[0].error)
    events = [e for e in audit_log(company) if e["action"] == "check.dismiss"]
    assert [e["detail"]["flag_key"] for e in events] == [ZERO]
    with get_engine(company).connect() as connection:
        assert connection.execute(sa.text("SELECT COUNT(*) FROM check_dismissal")).scalar() == 1
