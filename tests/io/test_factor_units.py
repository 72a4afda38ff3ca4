"""Factor units as people write them: the gas in the unit, checked against the gas column."""

from __future__ import annotations

import pytest

from envledger.errors import InputError
from envledger.io.factors import parse_factors

HEADER = "factor_id,series,activity,gas,value,unit,tier,geography_code,citation,confidence"


def _parse(*rows: str) -> list[dict]:
    data = "\n".join([HEADER, *rows]).encode()
    return parse_factors(data, "factors.csv").to_pylist()


@pytest.mark.parametrize(
    ("activity", "gas", "written", "stored"),
    [
        ("diesel", "CO2", "kgCO2/L", "kg/L"),
        ("electricity", "CO2", "tCO2/MWh", "t/MWh"),
        ("electricity", "CO2", "kg CO2/kWh", "kg/kWh"),
        ("electricity", "CO2", "kgCO₂/kWh", "kg/kWh"),
        # A grid factor in CO2e is recorded as CO2 (GWP 1): electricity needs CO2 only.
        ("electricity", "CO2", "kgCO2e/kWh", "kg/kWh"),
        ("natural_gas", "CH4", "gCH4/GJ", "g/GJ"),
        ("natural_gas", "N2O", "g N2O / GJ", "g/GJ"),
        ("electricity", "CO2", "kg/kWh", "kg/kWh"),
    ],
)
def test_gas_in_the_unit_is_accepted_and_stored_without_it(
    activity: str, gas: str, written: str, stored: str
) -> None:
    (row,) = _parse(f"f1,own,{activity},{gas},1.5,{written},national,US,a source,V2")
    assert (row["unit"], row["gas"]) == (stored, gas)


def test_a_gas_in_the_unit_that_differs_from_the_gas_column_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        _parse("f1,own,natural_gas,CO2,5,kgCH4/GJ,national,US,a source,V2")
    message = str(caught.value)
    assert "row 2" in message and "unit" in message
    assert "names CH4 but the gas column says CO2" in message
    assert "write 'kg/GJ' with gas CH4" in message


def test_co2e_on_a_ch4_row_is_refused_with_what_to_write() -> None:
    with pytest.raises(InputError) as caught:
        _parse("f1,own,natural_gas,CH4,5,kgCO2e/GJ,national,US,a source,V2")
    assert "would be multiplied by the GWP of CH4 again" in str(caught.value)
    assert "write the factor in kg CH4 ('kg/GJ')" in str(caught.value)


def test_co2e_for_a_fuel_is_refused_because_ch4_and_n2o_are_added_separately() -> None:
    with pytest.raises(InputError) as caught:
        _parse("f1,own,diesel,CO2,2.7,kgCO2e/L,national,US,a source,V2")
    message = str(caught.value)
    assert "already includes CH4 N2O" in message
    assert "give the CO2 factor ('kgCO2/L')" in message


def test_every_unit_problem_of_a_file_is_reported_at_once() -> None:
    with pytest.raises(InputError) as caught:
        _parse(
            "f1,own,natural_gas,CO2,5,kgCH4/GJ,national,US,a source,V2",
            "f2,own,electricity,CO2,5,kgCO2/furlong,national,US,a source,V2",
        )
    message = str(caught.value)
    assert "row 2" in message and "row 3" in message
