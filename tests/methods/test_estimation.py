"""The estimation methods: worked by hand, invariants, and refusals without a basis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envledger.errors import EstimationError
from envledger.methods.estimation import covered_average, group_intensity, previous_year

positive = st.floats(min_value=1e-3, max_value=1e9, allow_nan=False, allow_infinity=False)
days = st.integers(min_value=1, max_value=366)


def test_previous_year_by_hand() -> None:
    # 14 MWh in May 2023; floor area 1,000 m2 -> 1,200 m2: 14 x 1,200 / 1,000 = 16.8 MWh.
    assert previous_year(14.0, 1200.0, 1000.0) == pytest.approx(16.8)


def test_covered_average_by_hand() -> None:
    # 133 MWh over 121 covered days, a 31-day month: 133 / 121 x 31 = 34.0743801653 MWh.
    assert covered_average(133.0, 121, 31) == pytest.approx(34.0743801653)


def test_group_intensity_by_hand() -> None:
    # 152 MWh on 5,000 m2 in 31 days = 0.000980645 MWh/m2/d; x 1,200 m2 x 31 d = 36.48 MWh.
    per_m2_day, quantity = group_intensity(152.0, 5000.0, 31, 1200.0)
    assert per_m2_day == pytest.approx(152 / 155000)
    assert quantity == pytest.approx(36.48)


@given(quantity=positive, driver=positive)
def test_previous_year_with_an_unchanged_driver_repeats_the_month(
    quantity: float, driver: float
) -> None:
    assert previous_year(quantity, driver, driver) == pytest.approx(quantity)


@given(quantity=positive, covered=days)
def test_covered_average_over_the_covered_days_gives_back_their_total(
    quantity: float, covered: int
) -> None:
    assert covered_average(quantity, covered, covered) == pytest.approx(quantity)


@given(quantity=positive, area=positive, month=days, scale=st.floats(0.01, 100))
def test_group_intensity_is_proportional_to_floor_area(
    quantity: float, area: float, month: int, scale: float
) -> None:
    _, same = group_intensity(quantity, area, month, area)
    _, scaled = group_intensity(quantity, area, month, area * scale)
    assert same == pytest.approx(quantity)
    assert scaled == pytest.approx(quantity * scale)


@pytest.mark.parametrize("before", [0.0, -5.0, float("nan"), float("inf")])
def test_previous_year_needs_a_positive_previous_driver(before: float) -> None:
    with pytest.raises(EstimationError, match="previous year's driver"):
        previous_year(10.0, 1200.0, before)


def test_previous_year_refuses_a_negative_driver_now() -> None:
    with pytest.raises(EstimationError, match="reporting year's driver"):
        previous_year(10.0, -1.0, 1000.0)


def test_covered_average_needs_a_covered_day() -> None:
    with pytest.raises(EstimationError, match="no covered day"):
        covered_average(0.0, 0, 31)


def test_group_intensity_needs_a_peer_floor_area() -> None:
    with pytest.raises(EstimationError, match="peers' floor area"):
        group_intensity(10.0, 0.0, 31, 1200.0)
