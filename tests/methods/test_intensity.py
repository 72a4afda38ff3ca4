"""Intensity KPIs: a ratio, or None when the denominator is missing or zero."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envledger.methods.intensity import intensity


def test_intensity() -> None:
    # 186.26 t CO2e / 3725.2 m2 = 0.05 t/m2
    assert intensity(186.26, 3725.2) == pytest.approx(0.05)


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [(10.0, 0.0), (10.0, None), (None, 5.0), (10.0, math.nan), (math.nan, 5.0), (0.0, 0.0)],
)
def test_undefined_intensity_is_none(numerator: float | None, denominator: float | None) -> None:
    assert intensity(numerator, denominator) is None


@given(
    st.floats(min_value=1e-6, max_value=1e12, allow_nan=False),
    st.floats(min_value=1e-3, max_value=1e9, allow_nan=False),
)
def test_intensity_times_denominator_gives_back_numerator(num: float, den: float) -> None:
    result = intensity(num, den)
    assert result is not None
    assert math.isclose(result * den, num, rel_tol=1e-12)
