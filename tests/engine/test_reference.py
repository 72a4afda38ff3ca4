"""The engine on the shipped reference data (factor library, catalog, GWPs, coefficients)."""

from __future__ import annotations

import pytest

from envledger.engine import compute_inventory
from tests.support.engine_inputs import YEAR, facility, record, reference_inputs


def test_reference_inventory_by_hand() -> None:
    inputs = reference_inputs(
        [
            # A published check (FACTORS.md section 7): 258,764.96 kWh -> 147.57 t at 0.5703
            record("HO", "electricity", 258_764.96, "kWh"),
            record("GZ", "electricity", 1000.0, "MWh"),
            record("GZ", "natural_gas", 1000.0, "m3"),
            record("GZ", "refrigerant", 10.0, "kg", gas="R-410A"),
        ],
        # HO has no grid region or provincial factor: the national tier decides
        [facility("HO", province="CN-XX", grid_region=""), facility("GZ")],
    )
    inventory = compute_inventory(inputs, YEAR, "AR5", ["user", "cn_ets_grid"])
    chosen = {(r["facility_code"], r["activity"], r["gas"]): r
              for r in inventory.lines.to_pylist()}
    ho = chosen[("HO", "electricity", "CO2")]
    # 258.76496 MWh x 0.5703 t/MWh = 147.573657 t (cn_ets_grid, data year 2022 for 2023)
    assert (ho["factor_id"], ho["t_co2e"]) == ("cn_ets_grid_2022", pytest.approx(147.573657))
    gz = chosen[("GZ", "electricity", "CO2")]
    # regional CN-South beats national: 1000 MWh x 0.4042 t/MWh = 404.2 t
    assert (gz["factor_id"], gz["t_co2e"]) == ("cn_mee_nbs_electricity_CN-South_2023",
                                               pytest.approx(404.2))
    # natural gas, office: CO2 national 2.1622 kg/m3 beats IPCC; CH4/N2O IPCC commercial
    # 2162.2 + 1000 x 5 x 0.038931 / 1000 x 28 + 1000 x 0.1 x 0.038931 / 1000 x 265
    # = 2162.2 + 5.45034 + 1.0316715 = 2168.6820115 kg
    gas_t = sum(r["t_co2e"] for k, r in chosen.items() if k[:2] == ("GZ", "natural_gas"))
    assert gas_t == pytest.approx(2.1686820115)
    assert chosen[("GZ", "natural_gas", "CH4")]["factor_id"] == (
        "ipcc2006_natural_gas_CH4_commercial")
    totals = inventory.company_totals.to_pylist()[0]
    # scope 1: 2.1686820115 + 19.235 (10 kg R-410A, AR5) = 21.4036820115 t
    assert totals["scope1_t"] == pytest.approx(21.4036820115)
    assert totals["scope2_location_t"] == pytest.approx(147.573657 + 404.2)
    # tce: (258,764.96 + 1,000,000) kWh x 0.1229 kgce/kWh + 1000 m3 x 1.33 kgce/m3
    #    = 154,702.213 + 1,330 kgce = 156.032213 tce
    assert totals["tce"] == pytest.approx(156.032213, rel=1e-6)


@pytest.mark.parametrize(("year", "factor_id", "t_co2e", "note"), [
    # MEE/NBS 2021 regional release: Central grid 0.5354 t/MWh; 100 MWh x 0.5354 = 53.54 t
    (2021, "cn_mee_nbs_electricity_CN-Central_2021", 53.54, ""),
    # 2022 data: 100 x 0.5395 = 53.95 t
    (2022, "cn_mee_nbs_electricity_CN-Central_2022", 53.95, ""),
    # no data year <= 2020 in the series: the earliest later one, said out loud
    (2020, "cn_mee_nbs_electricity_CN-Central_2021", 53.54, "earliest later data year 2021"),
])
def test_a_hubei_site_takes_the_central_grid_factor_of_its_data_year(
    year: int, factor_id: str, t_co2e: float, note: str
) -> None:
    # Hubei (CN-HB) has no provincial factor: the Central grid (regional) beats national
    inputs = reference_inputs(
        [record("WH", "electricity", 100.0, "MWh", f"{year}-01-01", f"{year}-12-31")],
        [facility("WH", province="CN-HB", grid_region="CN-Central")],
        facility_years=[{"facility_code": "WH", "year": year, "floor_area_m2": 100.0,
                         "headcount": 1.0, "in_boundary": True}],
    )
    (line,) = compute_inventory(inputs, year, "AR5", ["user", "cn_ets_grid"]).lines.to_pylist()
    assert (line["factor_id"], line["factor_tier"]) == (factor_id, "regional")
    assert line["t_co2e"] == pytest.approx(t_co2e)
    assert note in line["data_year_note"]
