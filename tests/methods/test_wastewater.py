"""Wastewater methane (IPCC 2006 Vol. 5 Ch. 6)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envledger.data import load_factors
from envledger.errors import EnvledgerError
from envledger.methods.wastewater import B0_COD, MCF_DEFAULTS, ch4_from_wastewater


def test_anaerobic_reactor() -> None:
    # (1000 - 0) kg COD x 0.25 kg CH4/kg COD x 0.8 - 0 = 200 kg CH4
    assert ch4_from_wastewater(1000, 0, 0.25, 0.8) == pytest.approx(200.0)


def test_sludge_and_recovery_are_subtracted() -> None:
    # (1000 - 200) x 0.25 x 0.8 - 50 = 160 - 50 = 110 kg CH4
    assert ch4_from_wastewater(1000, 200, 0.25, 0.8, recovered=50) == pytest.approx(110.0)


def test_aerobic_well_managed_emits_nothing() -> None:
    # MCF 0: 5000 x 0.25 x 0 = 0 kg CH4
    assert ch4_from_wastewater(5000, 0, B0_COD, MCF_DEFAULTS["aerobic_well_managed"]) == 0.0


def test_mcf_defaults_match_reference() -> None:
    assert B0_COD == 0.25
    assert MCF_DEFAULTS == {
        "aerobic_well_managed": 0.0,
        "aerobic_primary": 0.03,
        "anaerobic_reactor": 0.8,
        "anaerobic_lagoon": 0.2,
        "anaerobic_lagoon_deep": 0.8,
    }


def test_a_deep_lagoon_converts_four_times_the_methane_of_a_shallow_one() -> None:
    # IPCC 2006 Vol. 5 Table 6.3: shallow (< 2 m) MCF 0.2, deep (> 2 m) 0.8
    # deep: (1000 - 0) kg COD x 0.25 kg CH4/kg COD x 0.8 = 200 kg CH4
    assert ch4_from_wastewater(1000, 0, B0_COD, MCF_DEFAULTS["anaerobic_lagoon_deep"]) == (
        pytest.approx(200.0))
    # shallow: 1000 x 0.25 x 0.2 = 50 kg CH4
    assert ch4_from_wastewater(1000, 0, B0_COD, MCF_DEFAULTS["anaerobic_lagoon"]) == (
        pytest.approx(50.0))


def test_aerobic_primary_cites_the_2019_refinement() -> None:
    (row,) = [r for r in load_factors().to_pylist() if r["variant"] == "aerobic_primary"]
    assert "2019 Refinement" in row["citation"] and "0.03" in row["citation"]


def test_shipped_factors_are_b0_times_mcf() -> None:
    rows = [r for r in load_factors().to_pylist() if r["activity"] == "wastewater_cod"]
    assert {r["variant"] for r in rows} == set(MCF_DEFAULTS)
    for row in rows:
        # e.g. anaerobic lagoon: 0.25 x 0.2 = 0.05 kg CH4/kg COD
        assert row["value"] == pytest.approx(B0_COD * MCF_DEFAULTS[row["variant"]], abs=1e-15)
        assert (row["gas"], row["unit"]) == ("CH4", "kg/kg")


@pytest.mark.parametrize(
    ("tow", "sludge", "mcf", "recovered", "match"),
    [
        (1000, 0, 1.5, 0, "MCF"),
        (1000, 0, -0.1, 0, "MCF"),
        (100, 200, 0.8, 0, "sludge"),
        (1000, 0, 0.8, 250, "recovered"),  # only 1000 x 0.25 x 0.8 = 200 kg generated
    ],
)
def test_impossible_inputs(
    tow: float, sludge: float, mcf: float, recovered: float, match: str
) -> None:
    with pytest.raises(EnvledgerError, match=match):
        ch4_from_wastewater(tow, sludge, B0_COD, mcf, recovered)


@given(
    st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_subnormal=False),
    st.sampled_from(sorted(MCF_DEFAULTS)),
)
def test_proportional_to_organics_without_sludge_or_recovery(tow: float, treatment: str) -> None:
    mcf = MCF_DEFAULTS[treatment]
    single = ch4_from_wastewater(tow, 0, B0_COD, mcf)
    assert math.isclose(ch4_from_wastewater(2 * tow, 0, B0_COD, mcf), 2 * single, rel_tol=1e-12)
    assert 0 <= single <= tow * B0_COD
