"""Coverage of a year: facility x activity x month, gaps, part-year facilities."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envledger.engine.coverage import compute_coverage
from tests.support.engine_inputs import facility, make_inputs, record

YEAR = 2023


def _year(code: str, **kwargs: Any) -> dict[str, Any]:
    return {"facility_code": code, "year": YEAR, "floor_area_m2": 100.0, "headcount": 5.0,
            "in_boundary": True, **kwargs}


def _monthly(code: str, activity: str, months: range, unit: str = "MWh") -> list[dict]:
    return [
        record(code, activity, 1.0, unit, f"{YEAR}-{m:02d}-01",
               f"{YEAR}-{m:02d}-{calendar.monthrange(YEAR, m)[1]:02d}")
        for m in months
    ]


def test_jan_to_apr_leaves_may_to_december_as_gaps() -> None:
    records = _monthly("F1", "electricity", range(1, 5))
    inputs = make_inputs(records, [facility("F1")], [], facility_years=[_year("F1")])
    coverage = compute_coverage(inputs, YEAR)
    assert coverage.gaps.to_pylist() == [
        # May-Dec: 31+30+31+31+30+31+30+31 = 245 days
        {"facility_code": "F1", "activity": "electricity", "months": [5, 6, 7, 8, 9, 10, 11, 12],
         "missing_days": 245},
    ]
    # Jan-Apr 2023: 31+28+31+30 = 120 of 365 days
    assert coverage.covered_days == 120
    assert coverage.expected_days == 365
    assert coverage.share_covered == pytest.approx(120 / 365)
    assert coverage.gap_months == 8
    figures = dict(zip(*coverage.figure_gaps.to_pydict().values(), strict=True))
    assert figures["indirect_mwh"] == pytest.approx(245 / 365)
    assert figures["water_total_t"] == 0.0  # water rests on nothing expected


def test_declared_and_adjacent_year_activities_are_expected() -> None:
    records = [
        *_monthly("F1", "electricity", range(1, 13)),
        record("F1", "natural_gas", 5.0, "m3", f"{YEAR - 1}-06-01", f"{YEAR - 1}-06-30"),
    ]
    inputs = make_inputs(records, [facility("F1")], [], facility_years=[
        _year("F1", expected_activities=["water_running"]),
    ])
    gaps = compute_coverage(inputs, YEAR).gaps.to_pylist()
    assert [(g["activity"], g["months"]) for g in gaps] == [
        ("natural_gas", list(range(1, 13))), ("water_running", list(range(1, 13))),
    ]


def test_overlapping_records_count_each_day_once_and_partial_months_are_gaps() -> None:
    records = [
        record("F1", "electricity", 1.0, "MWh", f"{YEAR}-01-01", f"{YEAR}-01-20"),
        record("F1", "electricity", 1.0, "MWh", f"{YEAR}-01-10", f"{YEAR}-01-25"),
        record("F1", "electricity", 1.0, "MWh", f"{YEAR}-01-26", f"{YEAR}-12-31"),
        record("F1", "electricity", 1.0, "kWh", f"{YEAR}-03-01", f"{YEAR}-03-31"),
        record("F1", "water_running", 1.0, "t", f"{YEAR}-01-01", f"{YEAR}-06-15"),
    ]
    inputs = make_inputs(records, [facility("F1")], [], facility_years=[_year("F1")])
    coverage = compute_coverage(inputs, YEAR)
    january = next(
        r for r in coverage.matrix.to_pylist() if r["activity"] == "electricity" and r["month"] == 1
    )
    assert (january["expected_days"], january["covered_days"]) == (31, 31)
    # water: June 1-15 of 30 days covered, July-December none: 15 + 31+31+30+31+30+31 = 199
    assert coverage.gaps.to_pylist() == [
        {"facility_code": "F1", "activity": "water_running", "months": [6, 7, 8, 9, 10, 11, 12],
         "missing_days": 199},
    ]


def test_part_year_facility_expects_only_its_in_boundary_days() -> None:
    records = _monthly("F1", "electricity", range(7, 13))
    inputs = make_inputs(records, [facility("F1")], [], facility_years=[
        _year("F1", in_boundary_from=dt.date(YEAR, 7, 1)),
    ])
    coverage = compute_coverage(inputs, YEAR)
    assert coverage.complete
    # July-December: 31+31+30+31+30+31 = 184 days expected and covered
    assert (coverage.expected_days, coverage.covered_days) == (184, 184)
    june = next(r for r in coverage.matrix.to_pylist() if r["month"] == 6)
    assert june["expected_days"] == 0 and june["covered_share"] is None


def test_event_activities_are_not_expected_monthly() -> None:
    records = [
        *_monthly("F1", "electricity", range(1, 13)),
        record("F1", "refrigerant", 2.0, "kg", f"{YEAR}-05-03", f"{YEAR}-05-03", gas="HFC-134a"),
    ]
    inputs = make_inputs(records, [facility("F1")], [], facility_years=[_year("F1")])
    assert compute_coverage(inputs, YEAR).complete


def test_records_without_a_facility_year_are_listed_and_out_of_boundary_ones_are_not() -> None:
    records = (_monthly("F1", "electricity", range(1, 13)) + _monthly("F2", "electricity",
               range(1, 3)) + _monthly("F3", "electricity", range(1, 2)))
    inputs = make_inputs(
        records, [facility("F1"), facility("F2"), facility("F3")], [],
        facility_years=[_year("F1"), _year("F3", in_boundary=False)],
    )
    coverage = compute_coverage(inputs, YEAR)
    assert coverage.unbounded.to_pylist() == [{"facility_code": "F2", "records": 2}]
    assert coverage.gaps.num_rows == 0
    assert not coverage.complete


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 364), st.integers(0, 60)), min_size=1, max_size=12))
def test_covered_days_never_exceed_expected_and_equal_the_union(
    spans: list[tuple[int, int]],
) -> None:
    """Invariant: covered days = the size of the union of the periods' days in the year."""
    jan1 = dt.date(YEAR, 1, 1)
    records = [
        record("F1", "electricity", 1.0, "MWh", str(jan1 + dt.timedelta(start)),
               str(jan1 + dt.timedelta(start + length)))
        for start, length in spans
    ]
    days = {
        d for start, length in spans for d in range(start, start + length + 1) if d < 365
    }
    inputs = make_inputs(records, [facility("F1")], [], facility_years=[_year("F1")])
    coverage = compute_coverage(inputs, YEAR)
    assert coverage.covered_days == len(days)
    rows = coverage.matrix.to_pylist()
    assert all(0 <= r["covered_days"] <= r["expected_days"] for r in rows)
