"""Factor selection: tier order and the data-year rule (reference for the engine's SQL)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envledger.methods.factor_selection import (
    TIER_RANK,
    TIERS,
    data_year_preference,
    is_candidate,
    location_based_candidate,
)


def _pick(reporting_year: int, data_years: list[int | None]) -> int | None:
    return min(data_years, key=lambda d: data_year_preference(reporting_year, d))


def test_tier_order() -> None:
    assert TIERS == (
        "measured",
        "supplier",
        "local",
        "regional",
        "industry",
        "national",
        "international",
    )
    assert [TIER_RANK[t] for t in TIERS] == list(range(7))


@pytest.mark.parametrize(
    ("reporting_year", "chosen"),
    [
        (2018, 2019),  # nothing at or before 2018: earliest later year, flagged
        (2019, 2019),
        (2020, 2019),  # latest data year <= 2020
        (2021, 2021),
        (2022, 2022),
        (2025, 2022),  # statistics lag: the newest one available
    ],
)
def test_carbon_market_series(reporting_year: int, chosen: int) -> None:
    assert _pick(reporting_year, [2019, 2021, 2022]) == chosen


def test_undated_factor_beats_a_later_one_but_not_an_earlier_one() -> None:
    assert _pick(2021, [None, 2022]) is None
    assert _pick(2023, [None, 2022]) == 2022


@given(
    st.integers(min_value=1990, max_value=2100),
    st.lists(st.integers(min_value=1990, max_value=2100), min_size=1, max_size=8),
)
def test_rule_as_worded_in_internals(reporting_year: int, data_years: list[int]) -> None:
    past = [d for d in data_years if d <= reporting_year]
    expected = max(past) if past else min(data_years)
    assert _pick(reporting_year, list(data_years)) == expected


@pytest.mark.parametrize(
    ("year", "valid_from", "valid_to", "expected"),
    [
        (2015, None, 2015, True),  # legacy NDRC factors: base years up to 2015
        (2016, None, 2015, False),
        (2010, 2012, None, False),
        (2012, 2012, None, True),
        (2030, None, None, True),
    ],
)
def test_is_candidate(
    year: int, valid_from: int | None, valid_to: int | None, expected: bool
) -> None:
    assert is_candidate(year, valid_from, valid_to) is expected


def test_own_rates_of_purchased_energy_are_not_location_based_candidates() -> None:
    assert not location_based_candidate("supplier", 2)
    assert not location_based_candidate("measured", 2)
    assert location_based_candidate("regional", 2)
    assert location_based_candidate("measured", 1)
    assert location_based_candidate("supplier", None)
