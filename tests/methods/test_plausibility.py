"""Plausibility rules: unit-slip naming, expected ranges, the MAD rule (worked by hand)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envledger.methods.plausibility import (
    mad_range,
    median_range,
    slip_cause,
    slip_table,
    yoy_range,
)


@pytest.mark.parametrize(("unit", "ratio", "cause"), [
    ("MWh", 1000.0, "x1000 unit slip: quantity in kWh entered as MWh"),
    ("kWh", 0.001, "x1000 unit slip: quantity in MWh entered as kWh"),
    ("t", 1000.0, "x1000 unit slip: quantity in kg entered as t"),
    ("m3", 1000.0, "x1000 unit slip: quantity in L entered as m3"),
    ("kg", 0.001, "x1000 unit slip: quantity in t entered as kg"),
    ("GJ", 1000.0, "x1000 unit slip: quantity in MJ entered as GJ"),
    # 1 kWh = 3.6 MJ: a figure in MJ written as kWh is 3.6 times too large.
    ("kWh", 3.6, "x3.6 unit slip: quantity in MJ entered as kWh"),
    ("MJ", 1 / 3.6, "x3.6 unit slip: quantity in kWh entered as MJ"),
    ("MWh", 3.6, "x3.6 unit slip: quantity in GJ entered as MWh"),
    ("GJ", 1 / 3.6, "x3.6 unit slip: quantity in MWh entered as GJ"),
    # The windows: 1000 / 2 = 500 and 1000 x 2 = 2000; 3.6 x 1.25 = 4.5.
    ("MWh", 500.0, "x1000 unit slip: quantity in kWh entered as MWh"),
    ("MWh", 2000.0, "x1000 unit slip: quantity in kWh entered as MWh"),
    ("kWh", 4.5, "x3.6 unit slip: quantity in MJ entered as kWh"),
])
def test_slips_are_named_in_the_units_entered(unit: str, ratio: float, cause: str) -> None:
    assert slip_cause(unit, ratio) == cause


@pytest.mark.parametrize(("unit", "ratio"), [
    ("MWh", 499.0), ("MWh", 2001.0), ("kWh", 4.6), ("kWh", 2.8), ("kg", 3.6),  # no 3.6 in mass
    ("MWh", 0.0), ("MWh", float("inf")), ("furlong", 1000.0), ("kWh", 1000.0),  # no Wh
])
def test_ratios_outside_the_windows_name_no_slip(unit: str, ratio: float) -> None:
    assert slip_cause(unit, ratio) is None


def test_the_slip_table_holds_every_named_slip_and_the_unitless_x1000() -> None:
    rows = slip_table().to_pylist()
    assert {"unit": "MWh", "ratio_low": 500.0, "ratio_high": 2000.0,
            "cause": "x1000 unit slip: quantity in kWh entered as MWh"} in rows
    assert [r["cause"] for r in rows if r["unit"] == "*"] == [
        "x1000 unit slip: the quantity is about 1000 times too large",
        "x1000 unit slip: the quantity is about 1000 times too small",
    ]


def test_expected_ranges_worked_by_hand() -> None:
    assert yoy_range(40.0) == (20.0, 60.0)  # 40 x (1 -/+ 0.5)
    assert median_range(30.0) == (10.0, 90.0)  # 30 / 3, 30 x 3
    # median 0.1025, MAD 0.0075: 3.5 x 1.4826 x 0.0075 = 0.03891825
    low, high = mad_range(0.1025, 0.0075)
    assert (low, high) == pytest.approx((0.1025 - 0.03891825, 0.1025 + 0.03891825))
    assert mad_range(1.0, 1.0)[0] == 0.0  # 1 - 5.19 clipped at 0


@given(st.sampled_from(["kWh", "MWh", "GJ", "MJ", "kg", "t", "L", "m3"]),
       st.floats(min_value=1e-6, max_value=1e6))
def test_a_slip_and_its_inverse_name_opposite_units(unit: str, ratio: float) -> None:
    """If a ratio names "A entered as B", the inverse ratio on A names "B entered as A"."""
    cause = slip_cause(unit, ratio)
    if cause is not None:
        intended = cause.split("quantity in ")[1].split(" entered")[0]
        back = slip_cause(intended, 1 / ratio)
        assert back is not None and back.endswith(f"quantity in {unit} entered as {intended}")
