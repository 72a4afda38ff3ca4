"""GWP sets, gas groups and mass-weighted refrigerant blends."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envledger.data import load_gwp_blends
from envledger.errors import EnvledgerError
from envledger.methods.gwp import (
    GWP_SETS,
    KNOWN_GASES,
    blend_gwp,
    gas_group,
    gwp_table,
    source_gwp,
    source_gwp_table,
)

BLENDS = load_gwp_blends()

# FACTORS.md section 4 (IPCC 100-year GWPs): gas -> (AR4, AR5, AR6)
FACTORS_MD_GWP = {
    "CO2": (1, 1, 1),
    "CH4": (25, 28, 27.9),
    "N2O": (298, 265, 273),
    "HFC-23": (14800, 12400, 14600),
    "HFC-32": (675, 677, 771),
    "HFC-125": (3500, 3170, 3740),
    "HFC-134a": (1430, 1300, 1530),
    "HFC-143a": (4470, 4800, 5810),
    "HFC-152a": (124, 138, 164),
    "HFC-227ea": (3220, 3350, 3600),
    "HFC-245fa": (1030, 858, 962),
    "SF6": (22800, 23500, 25200),
    "NF3": (17200, 16100, 17400),
    "CF4": (7390, 6630, 7380),
}


def _as_dict(gwp_set: str) -> dict[str, float]:
    table = gwp_table(gwp_set, BLENDS)
    return dict(zip(table["gas"].to_pylist(), table["value"].to_pylist(), strict=True))


@pytest.mark.parametrize(("index", "gwp_set"), list(enumerate(GWP_SETS)))
def test_gwp_values_match_reference_table(index: int, gwp_set: str) -> None:
    values = _as_dict(gwp_set)
    for gas, expected in FACTORS_MD_GWP.items():
        assert values[gas] == expected[index], gas


def test_gwp_table_shape() -> None:
    table = gwp_table("AR5", BLENDS)
    assert table.column_names == ["gwp_set", "gas", "value"]
    assert set(table["gwp_set"].to_pylist()) == {"AR5"}
    gases = table["gas"].to_pylist()
    assert len(gases) == len(set(gases))
    assert {"R-410A", "R-407C", "R-404A", "R-507A"} <= set(gases)


@pytest.mark.parametrize(
    ("blend", "gwp_set", "expected"),
    [
        ("R-410A", "AR4", 2087.5),  # 0.5 x 675 + 0.5 x 3500
        ("R-410A", "AR5", 1923.5),  # 0.5 x 677 + 0.5 x 3170
        ("R-410A", "AR6", 2255.5),  # 0.5 x 771 + 0.5 x 3740
        ("R-407C", "AR5", 1624.21),  # 0.23 x 677 + 0.25 x 3170 + 0.52 x 1300
        ("R-404A", "AR4", 3921.6),  # 0.44 x 3500 + 0.52 x 4470 + 0.04 x 1430
        ("R-507A", "AR6", 4775.0),  # 0.5 x 3740 + 0.5 x 5810
    ],
)
def test_blend_gwp(blend: str, gwp_set: str, expected: float) -> None:
    assert blend_gwp(blend, gwp_set, BLENDS) == pytest.approx(expected, rel=1e-12)
    assert _as_dict(gwp_set)[blend] == pytest.approx(expected, rel=1e-12)


@given(st.sampled_from(["R-410A", "R-407C", "R-404A", "R-507A"]), st.sampled_from(GWP_SETS))
def test_blend_gwp_lies_between_its_components(blend: str, gwp_set: str) -> None:
    values = _as_dict(gwp_set)
    components = [row["component"] for row in BLENDS.to_pylist() if row["blend"] == blend]
    gwps = [values[c] for c in components]
    assert min(gwps) <= blend_gwp(blend, gwp_set, BLENDS) <= max(gwps)


@pytest.mark.parametrize(
    ("gas", "group"),
    [
        ("CO2", "CO2"),
        ("CH4", "CH4"),
        ("N2O", "N2O"),
        ("HFC-134a", "HFCs"),
        ("HFC-43-10mee", "HFCs"),
        ("CF4", "PFCs"),
        ("c-C4F8", "PFCs"),
        ("SF6", "SF6"),
        ("NF3", "NF3"),
    ],
)
def test_gas_group(gas: str, group: str) -> None:
    assert gas_group(gas) == group


@pytest.mark.parametrize("gas", ["HFC134a", "HCFC-22", "R-410A", "co2"])
def test_gas_group_unknown_lists_known_gases(gas: str) -> None:
    with pytest.raises(EnvledgerError, match=r"known gases: .*HFC-134a"):
        gas_group(gas)


def test_every_known_gas_has_a_group() -> None:
    groups = {gas_group(gas) for gas in KNOWN_GASES}
    assert groups == {"CO2", "CH4", "N2O", "HFCs", "PFCs", "SF6", "NF3"}


@pytest.mark.parametrize("gwp_set", ["AR3", "SAR", "ar5", ""])
def test_unsupported_gwp_set(gwp_set: str) -> None:
    with pytest.raises(EnvledgerError, match="AR4, AR5, AR6"):
        gwp_table(gwp_set, BLENDS)
    with pytest.raises(EnvledgerError, match="AR4, AR5, AR6"):
        blend_gwp("R-410A", gwp_set, BLENDS)


def test_unknown_blend() -> None:
    with pytest.raises(EnvledgerError, match="known blends: R-404A R-407C R-410A R-507A"):
        blend_gwp("R-22", "AR5", BLENDS)


@pytest.mark.parametrize(("source", "value", "why"), [
    ("stationary_combustion", 27.0, "combustion"),
    ("mobile_combustion", 27.0, "combustion"),
    ("wastewater", 27.0, "biogenic"),
    ("refrigerant", 29.8, "fugitive methane of fossil origin"),
])
def test_ar6_methane_gwp_depends_on_its_origin(source: str, value: float, why: str) -> None:
    gwp, note = source_gwp("AR6", "CH4", source)
    assert gwp == value and why in note and "Table 7.15" in note


def test_only_ar6_methane_depends_on_the_source() -> None:
    assert source_gwp("AR5", "CH4", "wastewater") is None
    assert source_gwp("AR6", "N2O", "wastewater") is None
    table = source_gwp_table(["wastewater", "refrigerant", "wastewater"])
    assert table.select(["gwp_set", "gas", "source", "value"]).to_pylist() == [
        {"gwp_set": "AR6", "gas": "CH4", "source": "refrigerant", "value": 29.8},
        {"gwp_set": "AR6", "gas": "CH4", "source": "wastewater", "value": 27.0},
    ]
