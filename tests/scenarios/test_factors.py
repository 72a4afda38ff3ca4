"""Scenario: a company's own factors meet the built-in library (issue 8, section 5).

Guangzhou Lantern Ltd. (invented), 2023, both sites in Guangdong (CN-GD, grid CN-South):

- GZ-OF, office: 200,000 kWh = 200 MWh of grid electricity under a supply contract whose
  supplier discloses 0.3 t/MWh (imported as a ``supplier`` factor of GZ-OF);
- SZ-FA, factory (sector manufacturing): 100,000 kWh = 100 MWh of electricity and
  1,000,000 m3 of natural gas.

The company also imports its own national grid factor ``my_cn_grid`` (0.55 t/MWh), which
loses to the built-in CN-South regional factor of 2023 (0.4042 t/MWh): regional >
national. Guangdong has no provincial factor in the library.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envledger.cli import app

FACILITIES = (
    "code,name,type,country,province,grid_region,year,floor_area_m2,headcount,in_boundary,"
    "boundary_note\n"
    "GZ-OF,Guangzhou office,office,CN,CN-GD,CN-South,2023,1000,50,yes,\n"
    "SZ-FA,Shenzhen factory,factory,CN,CN-GD,CN-South,2023,8000,200,yes,\n"
)
ACTIVITIES = (
    "facility_code,period_start,period_end,activity,quantity,unit,data_source\n"
    "GZ-OF,2023-01-01,2023-12-31,electricity,200000,kWh,invoice\n"
    "SZ-FA,2023-01-01,2023-12-31,electricity,100000,kWh,invoice\n"
    "SZ-FA,2023-01-01,2023-12-31,natural_gas,1000000,m3,invoice\n"
)
FACTORS = (
    "factor_id,series,activity,variant,gas,value,unit,tier,geography_code,sector,data_year,"
    "valid_from,valid_to,citation,confidence,note\n"
    "gz_supply_2023,gz_supply,electricity,,CO2,0.3,t/MWh,supplier,GZ-OF,,2023,2023,2023,"
    "Supply contract 2023: supplier-disclosed emission rate,V1,\n"
    "my_cn_grid,my_grid,electricity,,CO2,0.55,t/MWh,national,CN,,2023,,,"
    "Our own national grid estimate,NV,\n"
)
REGIONAL = "cn_mee_nbs_electricity_CN-South_2023"
LOST = f"your factor my_cn_grid was not used: {REGIONAL} ranks higher (regional > national)"


@pytest.fixture
def company(ledger_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", ledger_url)
    runner = CliRunner()
    for kind, text in (("facilities", FACILITIES), ("activities", ACTIVITIES),
                       ("factors", FACTORS)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text)
        result = runner.invoke(app, ["import", kind, str(path)])
        assert result.exit_code == 0, result.output
    return runner


def inventory(runner: CliRunner, *options: str) -> dict:
    result = runner.invoke(app, ["inventory", "--year", "2023", "--format", "json", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_supplier_rate_contract_lowers_market_based_scope2_only(company: CliRunner) -> None:
    payload = inventory(company)
    office = next(f for f in payload["facilities"] if f["code"] == "GZ-OF")["emissions"]
    # location-based, grid average: 200 MWh x 0.4042 t/MWh (CN-South, 2023) = 80.84 t
    assert office["scope2_location"]["value"] == pytest.approx(80.84)
    # market-based, the supplier's rate: 200 MWh x 0.3 t/MWh = 60 t
    assert office["scope2_market"]["value"] == pytest.approx(60.0)
    # the factory has no contract: residual mix 100 MWh x 0.6096 t/MWh (CN 2023) = 60.96 t
    basis = {(b["basis"], b["factor_id"]): b["emissions"]["value"]
             for b in payload["scope2_market_basis"]}
    assert basis == {("supplier_rate", "gz_supply_2023"): pytest.approx(60.0),
                     ("residual_mix", "cn_mee_nbs_residual_mix_CN_2023"): pytest.approx(60.96)}
    # the supplier factor is named, not hidden: not used location-based, and why
    not_used = {row["factor_id"]: row for row in payload["factors_not_used"]}
    assert not_used["gz_supply_2023"]["message"] == (
        "your factor gz_supply_2023 was not used for location-based Scope 2: a supplier"
        " factor counts in market-based Scope 2 only (GHG Protocol Scope 2 Guidance, ch. 6)")


def test_a_user_factor_that_loses_is_named_by_inventory_and_explain(
    company: CliRunner,
) -> None:
    (lost,) = [r for r in inventory(company)["factors_not_used"]
               if r["factor_id"] == "my_cn_grid"]
    assert lost == {
        "factor_id": "my_cn_grid", "activity": "electricity", "variant": "", "gas": "CO2",
        "used_factor_id": REGIONAL, "reason": "regional > national",
        "facilities": ["GZ-OF", "SZ-FA"], "message": LOST,
    }
    table = company.invoke(app, ["inventory", "--year", "2023"])
    # the console wraps long lines: compare with the line breaks as spaces
    assert f"{LOST} (facilities: GZ-OF, SZ-FA)" in " ".join(table.output.split())
    result = company.invoke(app, ["explain", "--year", "2023", "--facility", "SZ-FA",
                                  "--format", "json"])
    (row,) = [r for r in json.loads(result.output) if r["activity"] == "electricity"]
    assert (row["factor_id"], row["factors_not_used"]) == (REGIONAL, LOST)


def test_ar6_methane_of_combustion_takes_the_non_fossil_value(company: CliRunner) -> None:
    result = company.invoke(app, ["explain", "--year", "2023", "--facility", "SZ-FA",
                                  "--gwp", "AR6", "--format", "json"])
    assert result.exit_code == 0, result.output
    (ch4,) = [r for r in json.loads(result.output)
              if (r["activity"], r["gas"]) == ("natural_gas", "CH4")]
    # IPCC 2006 manufacturing 1 kg CH4/TJ x 0.038931 GJ/m3 (the library's NCV) / 1000
    # = 0.000038931 kg/m3; 1,000,000 m3 x 0.000038931 = 38.931 kg CH4;
    # x 27.0 (AR6 non-fossil: combustion) / 1000 = 1.051137 t (27.9 would give 1.0861749)
    assert ch4["gas_kg"] == pytest.approx(38.931)
    assert (ch4["gwp"], ch4["t_co2e"]) == (27.0, pytest.approx(1.051137))
    assert ch4["gwp_note"].startswith("AR6 CH4 non-fossil 27.0 (combustion methane")
