"""Factor resolution: hierarchy, validity, data-year rule, series priority, sector, errors."""

from __future__ import annotations

import pytest

from envledger.engine import Inventory, compute_inventory
from envledger.errors import MissingFactorError
from tests.support.engine_inputs import (
    YEAR,
    electricity_factor,
    facility,
    factor,
    make_inputs,
    record,
)

TIERS = ["measured", "supplier", "local", "regional", "industry", "national", "international"]


def electricity_inventory(
    factors: list[dict], year: int = YEAR, series_priority: list[str] | None = None,
    kind: str = "office",
) -> Inventory:
    """1000 kWh (= 1 MWh) of electricity at F1 in CN-GD during ``year``."""
    inputs = make_inputs(
        [record("F1", "electricity", 1000.0, "kWh", f"{year}-01-01", f"{year}-12-31")],
        [facility("F1", type=kind)],
        factors,
        facility_years=[{"facility_code": "F1", "year": year, "floor_area_m2": 1000.0,
                         "headcount": 10.0, "in_boundary": True}],
    )
    return compute_inventory(inputs, year, "AR5", series_priority or [])


def chosen(inventory: Inventory) -> str:
    (factor_id,) = inventory.lines["factor_id"].to_pylist()
    return factor_id


def test_local_factor_beats_national() -> None:
    inventory = electricity_inventory([
        electricity_factor("national", 0.6, tier="national", geography_code="CN"),
        electricity_factor("gd", 0.5703, tier="local", geography_code="CN-GD"),
    ])
    line = inventory.lines.to_pylist()[0]
    assert line["factor_id"] == "gd"
    assert line["quantity"] == pytest.approx(1.0)  # 1000 kWh x 0.001 MWh/kWh = 1 MWh
    # 1 MWh x 570.3 kg/MWh x GWP 1 / 1000 = 0.5703 t
    assert line["t_co2e"] == pytest.approx(0.5703)
    assert inventory.company_totals["scope2_location_t"][0].as_py() == pytest.approx(0.5703)


def test_hierarchy_picks_the_best_tier_present() -> None:
    # Facility Fk (its own province, grid and country) burns 1 m3 of natural gas and has
    # CO2 factors of tiers k.. only, worth 100 x (tier rank + 1) kg/m3; the shared
    # international one is the last resort. (Natural gas, Scope 1: every tier applies.)
    sites = [facility(f"F{k}", country=f"C{k}", province=f"C{k}-P", grid_region=f"C{k}-G",
                      type="factory") for k in range(len(TIERS))]
    geography = {"measured": "code", "supplier": "code", "local": "province",
                 "regional": "grid_region", "industry": "country", "national": "country"}
    factors = [
        factor(f"{site['code']}_{tier}", "natural_gas", "CO2", 100.0 * (rank + 1),
               tier=tier, geography_code=site[geography[tier]],
               sector="manufacturing" if tier == "industry" else "")
        for k, site in enumerate(sites)
        for rank, tier in enumerate(TIERS[:-1]) if rank >= k
    ] + [factor("international", "natural_gas", "CO2", 700.0, tier="international",
                geography_code="*")] + [
        factor(f"ng_{gas}", "natural_gas", gas, 0.0, tier="international", geography_code="*")
        for gas in ("CH4", "N2O")
    ]
    inputs = make_inputs([record(s["code"], "natural_gas", 1.0, "m3") for s in sites],
                         sites, factors)
    lines = [line for line in compute_inventory(inputs, YEAR, "AR5", []).lines.to_pylist()
             if line["gas"] == "CO2"]
    assert [line["factor_tier"] for line in lines] == TIERS
    # 1 m3 x 100 x (rank + 1) kg/m3 / 1000
    assert [line["t_co2e"] for line in lines] == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5, 0.6,
                                                                0.7])


def test_factors_of_other_geographies_do_not_match() -> None:
    inventory = electricity_inventory([
        electricity_factor("other_site", 0.1, tier="measured", geography_code="F2"),
        electricity_factor("sichuan", 0.1404, tier="local", geography_code="CN-SC"),
        electricity_factor("india", 0.7117, tier="national", geography_code="IN"),
        electricity_factor("cn", 0.5703, tier="national", geography_code="CN"),
    ])
    assert chosen(inventory) == "cn"


def test_industry_tier_needs_the_facility_sector() -> None:
    factors = [
        electricity_factor("ind_manu", 0.3, tier="industry", sector="manufacturing"),
        electricity_factor("ind_any", 0.2, tier="industry"),  # industry without sector: never
        electricity_factor("cn", 0.5703, tier="national"),
    ]
    assert chosen(electricity_inventory(factors, kind="factory")) == "ind_manu"
    assert chosen(electricity_inventory(factors, kind="office")) == "cn"


def test_sector_specific_beats_generic_at_equal_tier_and_series() -> None:
    factors = [
        electricity_factor("generic", 0.5, tier="national"),
        electricity_factor("commercial", 0.4, tier="national", sector="commercial"),
        electricity_factor("manufacturing", 0.6, tier="national", sector="manufacturing"),
    ]
    assert chosen(electricity_inventory(factors, kind="office")) == "commercial"
    assert chosen(electricity_inventory(factors, kind="factory")) == "manufacturing"


def test_validity_years_bound_the_candidates() -> None:
    factors = [
        electricity_factor("expired", 0.9, tier="local", geography_code="CN-GD", valid_to=2022),
        electricity_factor("future", 0.8, tier="local", geography_code="CN-GD",
                           valid_from=2024),
        electricity_factor("open", 0.5703, tier="national"),
    ]
    assert chosen(electricity_inventory(factors, year=2023)) == "open"
    assert chosen(electricity_inventory(factors, year=2022)) == "expired"
    assert chosen(electricity_inventory(factors, year=2024)) == "future"


def test_data_year_rule_uses_the_latest_year_not_after_the_reporting_year() -> None:
    factors = [
        electricity_factor(f"mee_{y}", v, data_year=y)
        for y, v in ((2021, 0.5568), (2022, 0.5366), (2024, 0.52))
    ]
    inventory = electricity_inventory(factors, year=2023)
    line = inventory.lines.to_pylist()[0]
    assert (line["factor_id"], line["factor_data_year"]) == ("mee_2022", 2022)
    assert "2022" in line["data_year_note"] and "latest" in line["data_year_note"]
    # 1 MWh x 0.5366 t/MWh
    assert line["t_co2e"] == pytest.approx(0.5366)


def test_data_year_rule_falls_back_to_the_earliest_later_year_and_says_so() -> None:
    factors = [electricity_factor(f"mee_{y}", 0.5, data_year=y) for y in (2025, 2024)]
    line = electricity_inventory(factors, year=2023).lines.to_pylist()[0]
    assert line["factor_id"] == "mee_2024"
    assert line["data_year_note"].startswith("no data year <= 2023")


def test_data_year_equal_to_the_reporting_year_needs_no_note() -> None:
    line = electricity_inventory([electricity_factor("f", 0.5, data_year=2023)]).lines
    assert line["data_year_note"].to_pylist() == [""]


def test_data_year_rule_ranks_below_tier() -> None:
    factors = [
        electricity_factor("national_2023", 0.5, data_year=2023),
        electricity_factor("local_2020", 0.4, tier="local", geography_code="CN-GD",
                           data_year=2020),
    ]
    assert chosen(electricity_inventory(factors)) == "local_2020"


def test_series_priority_decides_at_equal_tier() -> None:
    factors = [
        electricity_factor("ets", 0.5703, series="cn_ets_grid", data_year=2022),
        electricity_factor("mee", 0.5366, series="cn_mee_nbs_electricity", data_year=2022),
    ]
    assert chosen(electricity_inventory(factors, series_priority=["cn_ets_grid"])) == "ets"
    assert chosen(electricity_inventory(
        factors, series_priority=["cn_mee_nbs_electricity", "cn_ets_grid"])) == "mee"
    # neither listed: factor_id decides (deterministic)
    assert chosen(electricity_inventory(factors, series_priority=[])) == "ets"


def test_series_priority_ranks_above_the_data_year_rule() -> None:
    factors = [
        electricity_factor("ets_2022", 0.5703, series="cn_ets_grid", data_year=2022),
        electricity_factor("mee_2023", 0.5306, series="mee", data_year=2023),
    ]
    assert chosen(electricity_inventory(factors, series_priority=["cn_ets_grid"])) == "ets_2022"


def test_user_factors_rank_where_user_stands_in_the_priority() -> None:
    factors = [
        electricity_factor("builtin", 0.5703, series="cn_ets_grid"),
        electricity_factor("mine", 0.45, series="supplier_contract_x", origin="user"),
    ]
    user_first = electricity_inventory(factors, series_priority=["user", "cn_ets_grid"])
    user_last = electricity_inventory(factors, series_priority=["cn_ets_grid", "user"])
    assert (chosen(user_first), chosen(user_last)) == ("mine", "builtin")


def test_residual_mix_series_are_not_location_based_candidates() -> None:
    factors = [
        electricity_factor("residual", 0.5856, tier="local", geography_code="CN-GD",
                           series="cn_mee_residual_mix"),
        electricity_factor("grid", 0.5366, series="cn_mee_nbs_electricity"),
    ]
    assert chosen(electricity_inventory(factors)) == "grid"


def test_missing_factors_are_all_listed_with_gas_facility_and_year() -> None:
    inputs = make_inputs(
        [record("F1", "natural_gas", 100.0, "m3"), record("F2", "natural_gas", 50.0, "m3"),
         record("F2", "electricity", 10.0, "kWh")],
        [facility("F1"), facility("F2", country="IN", province="IN-MH", grid_region="IN-All")],
        [factor("ng_co2", "natural_gas", "CO2", 2.1622),
         electricity_factor("cn", 0.5703)],
    )
    with pytest.raises(MissingFactorError) as caught:
        compute_inventory(inputs, YEAR, "AR5", [])
    message = str(caught.value)
    assert message.startswith("6 activity/gas combination(s) have no emission factor")
    for expected in (
        "activity 'electricity', facility 'F2', year 2023, gas CO2",
        "activity 'natural_gas', facility 'F1', year 2023, gas CH4",
        "activity 'natural_gas', facility 'F1', year 2023, gas N2O",
        "activity 'natural_gas', facility 'F2', year 2023, gas CO2",
        "(country IN, province IN-MH, grid region IN-All, sector commercial)",
    ):
        assert expected in message


def test_optional_gases_with_a_factor_are_included() -> None:
    factors = [electricity_factor("co2", 0.5), factor("ch4", "electricity", "CH4", 0.01)]
    inventory = electricity_inventory(factors)
    # 1 MWh x (500 kg CO2 x 1 + 0.01 kg CH4 x 28) / 1000 = 0.50028 t
    assert inventory.company_totals["total_t"][0].as_py() == pytest.approx(0.50028)


@pytest.mark.parametrize("tier", ["supplier", "measured"])
def test_location_based_scope2_never_takes_a_supplier_or_measured_factor(tier: str) -> None:
    # GHG Protocol Scope 2 Guidance ch. 6: location-based = grid averages only; the
    # supplier's 0.2 t/MWh belongs to market-based (below the instruments, above the
    # residual mix). 1 MWh: location 1 x 0.5703 = 0.5703 t, market 1 x 0.2 = 0.2 t.
    inventory = electricity_inventory([
        electricity_factor("grid", 0.5703),
        electricity_factor("own", 0.2, tier=tier, geography_code="F1", origin="user"),
    ])
    assert chosen(inventory) == "grid"
    totals = inventory.company_totals.to_pylist()[0]
    assert totals["scope2_location_t"] == pytest.approx(0.5703)
    assert totals["scope2_market_t"] == pytest.approx(0.2)
    (basis,) = inventory.market_lines.to_pylist()
    assert (basis["basis"], basis["factor_id"]) == ("supplier_rate", "own")


def test_a_measured_heat_factor_is_market_based_only() -> None:
    # 10 GJ of heat: location 10 GJ x 110 kg/GJ / 1000 = 1.1 t; market 10 x 60 / 1000 = 0.6 t
    inputs = make_inputs(
        [record("F1", "heat", 10.0, "GJ")], [facility("F1")],
        [factor("heat_default", "heat", "CO2", 110.0),
         factor("plant", "heat", "CO2", 60.0, tier="measured", geography_code="F1")],
    )
    totals = compute_inventory(inputs, YEAR, "AR5", []).company_totals.to_pylist()[0]
    assert totals["scope2_location_t"] == pytest.approx(1.1)
    assert totals["scope2_market_t"] == pytest.approx(0.6)


def test_a_user_factor_that_loses_to_a_builtin_one_is_reported() -> None:
    # The user's CN factor (national) loses to the built-in CN-South one (regional).
    inventory = electricity_inventory([
        electricity_factor("south_grid", 0.3869, tier="regional", geography_code="CN-South"),
        electricity_factor("my_cn", 0.5, series="mine", origin="user"),
    ])
    assert chosen(inventory) == "south_grid"
    (lost,) = inventory.factors_not_used.to_pylist()
    assert lost["message"] == (
        "your factor my_cn was not used: south_grid ranks higher (regional > national)")
    assert (lost["facilities"], lost["activity"], lost["gas"]) == ("F1", "electricity", "CO2")
    assert inventory.to_dict()["factors_not_used"] == [{
        "factor_id": "my_cn", "activity": "electricity", "variant": "", "gas": "CO2",
        "used_factor_id": "south_grid", "reason": "regional > national",
        "facilities": ["F1"],
        "message": "your factor my_cn was not used: south_grid ranks higher"
                   " (regional > national)",
    }]


def test_why_a_user_factor_lost_at_equal_tier_and_for_scope2_own_rates() -> None:
    factors = [
        electricity_factor("ets", 0.5703, series="cn_ets_grid"),
        electricity_factor("my_cn", 0.5, series="mine", origin="user"),
        electricity_factor("my_rate", 0.2, tier="supplier", geography_code="F1",
                           series="mine", origin="user"),
    ]
    messages = [row["message"] for row in electricity_inventory(
        factors, series_priority=["cn_ets_grid", "user"]).factors_not_used.to_pylist()]
    assert messages == [
        "your factor my_cn was not used: ets ranks higher"
        " (series cn_ets_grid before user in the series priority)",
        "your factor my_rate was not used for location-based Scope 2: a supplier factor"
        " counts in market-based Scope 2 only (GHG Protocol Scope 2 Guidance, ch. 6)",
    ]
    # user factors that win, or built-in factors that lose, are not listed
    assert electricity_inventory(factors, series_priority=["user"]).factors_not_used.to_pylist(
    )[0]["factor_id"] == "my_rate"
    assert electricity_inventory(factors[:1]).factors_not_used.num_rows == 0


def test_a_vehicle_technology_picks_its_own_ch4_and_n2o_rows() -> None:
    # IPCC 2006 Vol. 2 Table 3.2.2, motor gasoline at 44.3 GJ/t = 0.0443 TJ/t:
    # uncontrolled (the generic rows, variant '') CH4 33, N2O 3.2 kg/TJ; oxidation
    # catalyst CH4 25 -> 1.1075 kg/t, N2O 8.0 -> 0.3544 kg/t. CO2 has no technology.
    factors = [
        factor("co2", "gasoline_vehicle", "CO2", 2925.1),
        factor("ch4", "gasoline_vehicle", "CH4", 1.4619),
        factor("n2o", "gasoline_vehicle", "N2O", 0.14176),
        factor("ch4_ox", "gasoline_vehicle", "CH4", 1.1075, variant="oxidation_catalyst"),
        factor("n2o_ox", "gasoline_vehicle", "N2O", 0.3544, variant="oxidation_catalyst"),
    ]
    inputs = make_inputs(
        [record("F1", "gasoline_vehicle", 1.0, "t", variant="oxidation_catalyst"),
         record("F2", "gasoline_vehicle", 1.0, "t")],
        [facility("F1"), facility("F2")], factors)
    lines = {(r["facility_code"], r["gas"]): r
             for r in compute_inventory(inputs, YEAR, "AR5", []).lines.to_pylist()}
    assert {gas: lines[("F1", gas)]["factor_id"] for gas in ("CO2", "CH4", "N2O")} == {
        "CO2": "co2", "CH4": "ch4_ox", "N2O": "n2o_ox"}
    assert {gas: lines[("F2", gas)]["factor_id"] for gas in ("CO2", "CH4", "N2O")} == {
        "CO2": "co2", "CH4": "ch4", "N2O": "n2o"}
    # F1 non-CO2: 1.1075 kg x 28 + 0.3544 kg x 265 = 31.01 + 93.916 = 124.926 kg
    assert (lines[("F1", "CH4")]["t_co2e"] + lines[("F1", "N2O")]["t_co2e"]) == (
        pytest.approx(0.124926))


def test_a_supplier_factor_alone_leaves_location_based_scope2_without_a_factor() -> None:
    with pytest.raises(MissingFactorError, match="counts in market-based Scope 2 only;"
                       " location-based needs a grid-average factor"):
        electricity_inventory([electricity_factor("own", 0.2, tier="supplier",
                                                  geography_code="F1")])
