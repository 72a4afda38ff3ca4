"""Months of a basis: days allocated by days, a day covered once however many rows hold it."""

from __future__ import annotations

from datetime import date, timedelta

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envledger.services.ledger.estimation_basis import monthly

FIRST = date(2023, 1, 1)  # the basis spans 2023 and 2024: 731 days


def table(periods: list[tuple[int, int, float, int]]) -> pa.Table:
    """Rows of facility F from (first day offset, length [d], quantity, basis flag)."""
    return pa.table({
        "facility_code": pa.array(["F"] * len(periods), pa.string()),
        "period_start": pa.array([FIRST + timedelta(days=s) for s, _, _, _ in periods],
                                 pa.date32()),
        "period_end": pa.array([FIRST + timedelta(days=s + n - 1) for s, n, _, _ in periods],
                               pa.date32()),
        "quantity": pa.array([q for _, _, q, _ in periods], pa.float64()),
        "basis": pa.array([b for _, _, _, b in periods], pa.int64()),
    })


def test_a_bill_across_two_months_is_split_by_days() -> None:
    # 2024-01-17..2024-02-15: 30 days, 60 MWh -> January 15 d = 30 MWh, February 15 d = 30.
    rows = table([((date(2024, 1, 17) - FIRST).days, 30, 60.0, 1)])
    found = {r["month"]: r for r in monthly(rows, ["F", "G"], 2024).to_pylist()
             if r["facility_code"] == "F"}
    january, february = found[date(2024, 1, 1)], found[date(2024, 2, 1)]
    assert (january["covered_days"], january["quantity"]) == (15, pytest.approx(30.0))
    assert (february["days"], february["covered_days"]) == (29, 15)
    assert february["quantity"] == pytest.approx(30.0)
    assert found[date(2024, 3, 1)]["held_days"] == 0


period = st.tuples(st.integers(0, 700), st.integers(1, 30), st.floats(0, 1e6), st.integers(0, 1))


@settings(max_examples=40, deadline=None)
@given(st.lists(period, min_size=1, max_size=12))
def test_quantities_are_kept_and_each_day_is_covered_once(periods: list) -> None:
    found = monthly(table(periods), ["F"], 2024)
    basis = [p for p in periods if p[3] == 1]
    assert sum(found.column("quantity").to_pylist()) == pytest.approx(
        sum(q for _, _, q, _ in basis))
    held = {s + i for s, n, _, _ in periods for i in range(n)}
    covered = {s + i for s, n, _, b in periods if b for i in range(n)}
    assert sum(found.column("held_days").to_pylist()) == len(held)
    assert sum(found.column("covered_days").to_pylist()) == len(covered)
    assert found.num_rows == 24
