"""Scenario: a US office buys gas in therms and diesel in US gallons, as its invoices say.

Every figure is worked by hand below from the shipped reference data:

- therm = 10^5 Btu_IT = 105.5056 MJ, a gross (higher heating value) quantity on US bills;
  natural gas gross calorific value 0.043257 GJ/m3 (= net 0.038931 / 0.9), net 0.038931.
- US gallon = 3.785411784 L; diesel density 0.84 kg/L; GB/T 2589-2020 NCV 42.652 GJ/t
  for energy, IPCC 2006 NCV 43.0 GJ/t for the per-TJ IPCC factors.
- An office is sector "commercial": IPCC 2006 Vol. 2 Table 2.4 CH4 / N2O factors
  (natural gas 5 / 0.1 kg/TJ, diesel 10 / 0.6 kg/TJ); CO2 56,100 and 74,100 kg/TJ;
  AR5 GWPs CH4 28, N2O 265. The China-only kg/m3 factors do not apply in the US.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envledger.cli import app
from envledger.services.inventory.calculate import calculate, explain, prepare_ledger
from envledger.services.ledger.importing import import_activities, import_facilities
from envledger.settings import Settings

FACILITIES = (
    "code,name,type,country,province,grid_region,year,floor_area_m2,headcount,in_boundary\n"
    "US-NYC,New York office,office,US,US-NY,,2024,1200,60,yes\n"
)
ACTIVITIES = (
    "facility_code,period_start,period_end,activity,quantity,unit,data_source,reference\n"
    "US-NYC,2024-01-01,2024-03-31,natural_gas,1200,therms,invoice,ConEd 0001\n"
    "US-NYC,2024-10-01,2024-12-31,natural_gas,800,Therms,invoice,ConEd 0002\n"
    "US-NYC,2024-06-12,2024-06-12,diesel,150,US gallons,invoice,Generator fuel 17\n"
)

# Natural gas: 2,000 therm x 0.1055056 GJ = 211.0112 GJ gross
#   -> 211.0112 / 0.043257 GJ/m3 = 4,878.08216 m3
#   -> energy 4,878.08216 m3 x 0.038931 GJ/m3 = 189.908617 GJ net / 3.6 = 52.752393 MWh
#   -> 4,878.08216 m3 x 1.33 kgce/m3 / 1000 = 6.487849 tce
#   -> 0.189908617 TJ x (56,100 CO2 + 5 CH4 x 28 + 0.1 N2O x 265) kg/TJ = 10,685.493 kg
GAS_MWH, GAS_TCE, GAS_T = 52.752393, 6.487849, 10.685493

# Diesel: 150 US gal x 3.785411784 L = 567.8117676 L x 0.84 kg/L = 476.9618848 kg
#   -> energy 0.4769618848 t x 42.652 GJ/t = 20.343378 GJ / 3.6 = 5.650938 MWh
#   -> 476.9618848 kg x 1.4571 kgce/kg / 1000 = 0.694981 tce
#   -> emissions with the IPCC NCV: 0.4769618848 t x 43.0 GJ/t = 0.020509361 TJ
#      x (74,100 CO2 + 10 CH4 x 28 + 0.6 N2O x 265) kg/TJ = 1,528.747 kg
DIESEL_MWH, DIESEL_TCE, DIESEL_T = 5.650938, 0.694981, 1.528747
REL = 1e-6
"""Tolerance: the hand-worked figures above carry 7 significant digits."""


@pytest.fixture
def settings(ledger_url: str, tmp_path: Path) -> Settings:
    prepare_ledger(ledger_url)
    (tmp_path / "facilities.csv").write_text(FACILITIES)
    (tmp_path / "activities.csv").write_text(ACTIVITIES)
    import_facilities(ledger_url, tmp_path / "facilities.csv")
    import_activities(ledger_url, tmp_path / "activities.csv")
    return Settings(database_url=ledger_url)


def test_energy_and_emissions_of_the_us_office(settings: Settings) -> None:
    contract = calculate(settings, 2024).to_dict()
    company = contract["company"]
    assert company["energy"]["direct"]["value"] == pytest.approx(GAS_MWH + DIESEL_MWH, rel=REL)
    assert company["energy"]["indirect"]["value"] is None  # no electricity or heat held
    assert company["energy"]["standard_coal"]["value"] == pytest.approx(
        GAS_TCE + DIESEL_TCE, rel=REL)
    assert company["emissions"]["scope1"]["value"] == pytest.approx(GAS_T + DIESEL_T, rel=REL)
    carriers = {r["carrier"]: (r["energy"]["value"], r["standard_coal"]["value"])
                for r in contract["energy_by_carrier"]["company"]}
    assert carriers == {"diesel": pytest.approx((DIESEL_MWH, DIESEL_TCE), rel=REL),
                        "natural_gas": pytest.approx((GAS_MWH, GAS_TCE), rel=REL)}


def test_explain_shows_the_invoice_conversion_and_both_calorific_values(
    settings: Settings,
) -> None:
    rows = explain(settings, 2024, "US-NYC").to_pylist()
    gas = next(r for r in rows if r["activity"] == "natural_gas" and r["gas"] == "CO2")
    assert gas["unit"] == "therm"
    assert "therm -> m3 via gcv 0.043257 GJ/m3" in gas["unit_note"]
    assert "ncv 0.038931 GJ/m3" in gas["energy_note"]
    diesel = next(r for r in rows if r["activity"] == "diesel" and r["gas"] == "CO2")
    assert diesel["unit"] == "US_gal"
    assert "via density 0.84 kg/L" in diesel["unit_note"]
    assert diesel["conversion_note"] == "kg/TJ -> kg/t via ncv_ipcc 43 GJ/t"
    assert "via ncv 42.652 GJ/t" in diesel["energy_note"]


def test_the_command_line_shows_energy_by_carrier(settings: Settings) -> None:
    env = {"ENVLEDGER_DATABASE_URL": settings.database_url}
    result = CliRunner().invoke(app, ["inventory", "--year", "2024", "--format", "csv"], env=env)
    assert result.exit_code == 0, result.output
    rows = {(r["level"], r["name"], r["metric"]): r for r in csv.DictReader(io.StringIO(
        result.stdout))}
    gas = rows[("company", "company", "energy.carrier.natural_gas.energy")]
    assert (float(gas["value"]), gas["unit"]) == (pytest.approx(GAS_MWH, rel=REL), "MWh")
    diesel = rows[("facility", "US-NYC", "energy.carrier.diesel.standard_coal")]
    assert (float(diesel["value"]), diesel["unit"]) == (pytest.approx(DIESEL_TCE, rel=REL), "tce")
    table = CliRunner().invoke(app, ["inventory", "--year", "2024"], env=env)
    assert table.exit_code == 0, table.output
    assert "Energy by carrier" in table.stdout and "natural_gas" in table.stdout
