"""The base-year significance test of methods.base_year, on both sides of the line."""

from __future__ import annotations

import pytest

from envledger.methods.base_year import (
    DEFAULT_SIGNIFICANCE_THRESHOLD,
    RECALCULATION_TRIGGERS,
    check_threshold,
    relative_effect,
    requires_recalculation,
)

BASE = 1000.0  # published base-year total [tCO2e]


def test_exactly_at_the_threshold_requires_recalculation() -> None:
    # structural +30 t and factor change +20 t: cumulative 50 t; 50 / 1,000 = 0.05 = 5 %
    assert requires_recalculation([30.0, 20.0], BASE, 0.05)


def test_just_below_the_threshold_does_not() -> None:
    # 49.99 / 1,000 = 0.04999 < 0.05
    assert not requires_recalculation([29.99, 20.0], BASE, 0.05)


def test_just_above_the_threshold_does() -> None:
    # 50.01 / 1,000 = 0.05001 >= 0.05
    assert requires_recalculation([30.01, 20.0], BASE, 0.05)


def test_a_decrease_counts_by_its_magnitude() -> None:
    # -50 / 1,000 = -0.05: |-0.05| >= 0.05; -49.99 / 1,000: |-0.04999| < 0.05
    assert requires_recalculation([-50.0], BASE, 0.05)
    assert not requires_recalculation([-49.99], BASE, 0.05)


def test_effects_of_opposite_sign_are_netted() -> None:
    # +80 t acquisition, -40 t divestment: cumulative 40 t; 40 / 1,000 = 0.04 < 0.05,
    # though the acquisition alone is 8 %
    assert not requires_recalculation([80.0, -40.0], BASE, 0.05)
    assert requires_recalculation([80.0], BASE, 0.05)


def test_the_threshold_is_the_company_s_choice() -> None:
    # 100 / 1,000 = 0.10: at a 10 % threshold exactly on the line, at 10.01 % just below it
    assert requires_recalculation([100.0], BASE, 0.10)
    assert not requires_recalculation([100.0], BASE, 0.1001)
    assert DEFAULT_SIGNIFICANCE_THRESHOLD == 0.05


def test_zero_base_year_total() -> None:
    assert relative_effect(5.0, 0.0) is None
    assert requires_recalculation([5.0], 0.0, 0.05)
    assert not requires_recalculation([0.0], 0.0, 0.05)


def test_relative_effect() -> None:
    # 25 / 500 = 0.05; -3,737.12 / 28,143.86 = -0.13278...
    assert relative_effect(25.0, 500.0) == pytest.approx(0.05)
    assert relative_effect(-3737.12, 28143.86) == pytest.approx(-0.132786, abs=1e-6)


@pytest.mark.parametrize(("threshold", "valid"), [
    (0.0, False), (1.0, False), (-0.05, False), (5.0, False), (0.05, True), (0.999, True),
])
def test_threshold_must_be_a_share(threshold: float, valid: bool) -> None:
    assert (check_threshold(threshold) is None) is valid


def test_the_four_triggers() -> None:
    assert set(RECALCULATION_TRIGGERS) == {
        "structural_change", "methodology_change", "factor_change", "error_correction"
    }
