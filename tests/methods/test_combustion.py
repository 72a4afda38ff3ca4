"""Fuel combustion: CO2 factors from carbon content and emissions from energy."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envledger.data import load_factors, load_fuel_properties
from envledger.methods.combustion import co2_factor_from_carbon_content, emissions_from_energy
from envledger.methods.units import factor_to_canonical

SHIPPED = {row["factor_id"]: row for row in load_factors().to_pylist()}


@pytest.mark.parametrize(
    ("factor_id", "ncv", "carbon_content", "oxidation", "t_to_shipped_unit"),
    [
        # 389.31 GJ/10^4 m3 = 0.038931 GJ/m3; 0.038931 x 15.3 / 1000 x 0.99 x 44/12
        # = 0.0021622 t/m3 = 2.1622 kg/m3
        ("cn_guideline_fuel_natural_gas_CO2", 389.31 / 10_000, 15.3, 0.99, 1000),
        # 42.652 GJ/t x 20.2 tC/TJ / 1000 x 0.98 x 44/12 = 3.0959 t/t
        ("cn_guideline_fuel_diesel_CO2", 42.652, 20.2, 0.98, 1),
        # 43.070 GJ/t x 18.9 tC/TJ / 1000 x 0.98 x 44/12 = 2.9251 t/t
        ("cn_guideline_fuel_gasoline_CO2", 43.070, 18.9, 0.98, 1),
    ],
)
def test_china_guideline_factors_follow_from_carbon_content(
    factor_id: str, ncv: float, carbon_content: float, oxidation: float, t_to_shipped_unit: float
) -> None:
    derived = co2_factor_from_carbon_content(ncv, carbon_content, oxidation) * t_to_shipped_unit
    # The guideline publishes four decimals.
    assert round(derived, 4) == SHIPPED[factor_id]["value"]


def test_emissions_from_energy() -> None:
    # 1 t diesel x 43.0 GJ/t = 0.043 TJ; 0.043 TJ x 74,100 kg/TJ = 3186.3 kg CO2
    assert emissions_from_energy(0.043, 74_100) == pytest.approx(3186.3, rel=1e-12)


@given(st.floats(min_value=1e-6, max_value=1e6, allow_nan=False))
def test_energy_route_equals_canonical_factor_route(tonnes: float) -> None:
    # Same diesel two ways: fuel energy x factor per TJ, or tonnes x factor per tonne.
    per_tonne, _ = factor_to_canonical(74_100, "kg/TJ", "diesel", "t", load_fuel_properties())
    via_energy = emissions_from_energy(tonnes * 43.0 / 1000, 74_100)
    assert math.isclose(via_energy, tonnes * per_tonne, rel_tol=1e-12)
