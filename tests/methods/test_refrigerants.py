"""Refrigerant leakage: material balance, simplified and screening methods."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envledger.errors import EnvledgerError
from envledger.methods.refrigerants import (
    SCREENING_DEFAULTS,
    ScreeningDefaults,
    emissions_material_balance,
    emissions_screening,
    emissions_simplified,
)

masses = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_subnormal=False)


def test_material_balance() -> None:
    # 10 kg drawn from stock + 50 kg bought - 5 kg sold + 0 capacity change = 55 kg
    assert emissions_material_balance(10, 50, 5, 0) == pytest.approx(55.0)


def test_material_balance_capacity_decrease_counts() -> None:
    # 0 + 20 - 0 + 8 kg of capacity retired without recovery = 28 kg
    assert emissions_material_balance(0, 20, 0, 8) == pytest.approx(28.0)


def test_simplified() -> None:
    # (PN 100 - CN 95) + PS 20 + (CD 30 - RD 25) = 5 + 20 + 5 = 30 kg
    assert emissions_simplified(100, 95, 20, 30, 25) == pytest.approx(30.0)


@given(masses)
def test_recharge_only_equals_leak(recharge: float) -> None:
    # The engine's case: no equipment installed or retired, so recharged = leaked.
    assert emissions_simplified(0, 0, recharge, 0, 0) == recharge
    assert emissions_material_balance(0, recharge, 0, 0) == recharge


def test_screening_chillers() -> None:
    # 100 kg x 0.01 + 500 kg x 0.15 + 200 kg x 1.0 x (1 - 0.95) = 1 + 75 + 10 = 86 kg
    assert emissions_screening("chillers", 100, 500, 200) == pytest.approx(86.0)


def test_screening_residential_commercial_ac() -> None:
    # 10 kg x 0.01 + 50 kg x 0.10 + 5 kg x 0.8 x (1 - 0.8) = 0.1 + 5 + 0.8 = 5.9 kg
    assert emissions_screening("residential_commercial_ac", 10, 50, 5) == pytest.approx(5.9)


def test_screening_defaults_match_reference() -> None:
    # FACTORS.md section 5, EPA / The Climate Registry: k, x, y, z
    assert dict(SCREENING_DEFAULTS) == {
        "residential_commercial_ac": ScreeningDefaults(0.01, 0.10, 0.8, 0.8),
        "chillers": ScreeningDefaults(0.01, 0.15, 1.0, 0.95),
        "commercial_refrigeration": ScreeningDefaults(0.03, 0.35, 1.0, 0.7),
        "standalone_commercial": ScreeningDefaults(0.03, 0.15, 0.8, 0.7),
        "industrial_refrigeration": ScreeningDefaults(0.03, 0.25, 1.0, 0.9),
    }


@given(st.sampled_from(sorted(SCREENING_DEFAULTS)), masses, masses, masses)
def test_screening_never_exceeds_the_gas_involved(
    equipment: str, new_charge: float, capacity: float, disposed: float
) -> None:
    emitted = emissions_screening(equipment, new_charge, capacity, disposed)
    assert 0 <= emitted <= new_charge + capacity + disposed + 1e-9


def test_screening_unknown_equipment() -> None:
    with pytest.raises(EnvledgerError, match="known: residential_commercial_ac"):
        emissions_screening("heat_pump", 1, 1, 1)
