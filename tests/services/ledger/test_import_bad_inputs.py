"""Every kind of bad input is refused with file, row, column and expectation; nothing changes.

The cases share one ledger per backend (module scope): a refused import must leave it
exactly as it was, so each case also checks that no table gained or lost a row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from envledger.errors import InputError
from envledger.services.ledger.importing import import_activities, import_facilities, import_factors
from envledger.store.db import get_engine, migrate
from tests.support.ledger import row_counts

ACT = "facility_code,period_start,period_end,activity,quantity,unit,data_source"
ACT_ROW = "SH-HQ,2024-01-01,2024-01-31"
FAC = "code,name,type,country,province,grid_region,year,floor_area_m2,headcount,in_boundary"
FAC_ROW = "SH-HQ,Shanghai headquarters,office,CN,CN-SH,CN-East"
FCT = "factor_id,series,activity,gas,value,unit,tier,geography_code,citation,confidence"
FCT_TAIL = "supplier,SH-HQ,Supplier letter 2024,V2"

SEED_FACILITIES = f"{FAC},groups\n{FAC_ROW},2024,5200,310,yes,Offices\n"
SEED_FACTORS = f"{FCT}\nsh_power_2024,sh_power,electricity,CO2,0.43,kg/kWh,{FCT_TAIL}\n"

Importer = Callable[..., object]

# (importer, file text, row, column, words the message must contain)
CASES: dict[str, tuple[Importer, str, int | None, str | None, str]] = {
    "activities: missing column": (
        import_activities, f"{ACT.replace(',quantity', '')}\n{ACT_ROW},electricity,kWh,invoice",
        1, "quantity", "required column is missing; expected columns: facility_code"),
    "activities: unknown column": (
        import_activities, f"{ACT},quantiy\n{ACT_ROW},electricity,1,kWh,invoice,2",
        1, "quantiy", "unknown column (a typo?); allowed: facility_code"),
    "activities: unknown activity": (
        import_activities, f"{ACT}\n{ACT_ROW},cola,1,kg,invoice",
        2, "activity", "'cola' is not allowed: expected one of electricity, heat"),
    "activities: unit not allowed": (
        import_activities, f"{ACT}\n{ACT_ROW},diesel,1,kWh,invoice",
        2, "unit", "'kWh' for diesel: expected one of L, kg, t"),
    "activities: unknown unit": (
        import_activities, f"{ACT}\n{ACT_ROW},diesel,1,barrels,invoice",
        2, "unit", "'barrels' is not a unit envledger knows"),
    "activities: non-numeric quantity": (
        import_activities, f"{ACT}\n{ACT_ROW},electricity,1 200,kWh,invoice",
        2, "quantity", "'1 200' is not a number: expected digits"),
    "activities: negative quantity": (
        import_activities, f"{ACT}\n{ACT_ROW},electricity,-5,kWh,invoice",
        2, "quantity", "-5 is negative: expected 0 or more"),
    "activities: empty quantity": (
        import_activities, f"{ACT}\n{ACT_ROW},electricity,,kWh,invoice",
        2, "quantity", "is empty: expected a number"),
    "activities: bad date": (
        import_activities, f"{ACT}\nSH-HQ,2024/01/01,2024-01-31,electricity,1,kWh,invoice",
        2, "period_start", "'2024/01/01' is not a date: expected YYYY-MM-DD"),
    "activities: impossible date": (
        import_activities, f"{ACT}\nSH-HQ,2024-02-01,2024-02-30,electricity,1,kWh,invoice",
        2, "period_end", "'2024-02-30' is not a date: expected YYYY-MM-DD"),
    "activities: end before start": (
        import_activities, f"{ACT}\nSH-HQ,2024-02-01,2024-01-31,electricity,1,kWh,invoice",
        2, "period_end", "2024-01-31 is before period_start 2024-02-01"),
    "activities: unknown data source": (
        import_activities, f"{ACT}\n{ACT_ROW},electricity,1,kWh,guess",
        2, "data_source", "'guess' is not allowed: expected one of measured, invoice, estimated"),
    "activities: refrigerant without gas": (
        import_activities, f"{ACT},gas\n{ACT_ROW},refrigerant,2,kg,invoice,",
        2, "gas", "is empty: refrigerant needs the gas or blend"),
    "activities: unknown refrigerant gas": (
        import_activities, f"{ACT},gas\n{ACT_ROW},refrigerant,2,kg,invoice,R-22",
        2, "gas", "'R-22' is not a Kyoto-basket gas or known blend"),
    "activities: gas for electricity": (
        import_activities, f"{ACT},gas\n{ACT_ROW},electricity,2,kWh,invoice,CO2",
        2, "gas", "'CO2' given for electricity: gas is only for refrigerant, fire_suppressant"),
    "activities: wastewater without treatment": (
        import_activities, f"{ACT}\n{ACT_ROW},wastewater_cod,2,kg,measured",
        2, "treatment", "is empty: wastewater_cod needs one of aerobic_well_managed"),
    "activities: unknown treatment": (
        import_activities, f"{ACT},treatment\n{ACT_ROW},wastewater_cod,2,kg,measured,lagoon",
        2, "treatment", "'lagoon' is not allowed: expected one of aerobic_well_managed"),
    "activities: treatment for electricity": (
        import_activities, f"{ACT},treatment\n{ACT_ROW},electricity,2,kWh,invoice,aerobic_primary",
        2, "treatment", "treatment is only for wastewater_cod"),
    "activities: disposal route for electricity": (
        import_activities, f"{ACT},disposal_route\n{ACT_ROW},electricity,2,kWh,invoice,landfill",
        2, "disposal_route", "disposal_route is only for waste_hazardous, waste_non_hazardous"),
    "activities: duplicate rows": (
        import_activities,
        f"{ACT}\n{ACT_ROW},electricity,2,kWh,invoice\n{ACT_ROW},Electricity,3,MWh,measured",
        3, None, "repeats row 2 (same facility, activity, gas, treatment/route and period)"),
    "activities: zero uncertainty": (
        import_activities, f"{ACT},uncertainty_pct\n{ACT_ROW},electricity,2,kWh,invoice,0",
        2, "uncertainty_pct", "0 is outside the accepted range: expected the row's relative"),
    "activities: uncertainty above 1000 %": (
        import_activities, f"{ACT},uncertainty_pct\n{ACT_ROW},electricity,2,kWh,invoice,5000",
        2, "uncertainty_pct", "at most 1000 (empty = the default of its data_source)"),
    "activities: uncertainty with a percent sign": (
        import_activities, f"{ACT},uncertainty_pct\n{ACT_ROW},electricity,2,kWh,invoice,5%",
        2, "uncertainty_pct", "'5%' is not a number"),
    "activities: facility not in the ledger": (
        import_activities, f"{ACT}\nGZ-P9,2024-01-01,2024-01-31,electricity,1,kWh,invoice",
        2, "facility_code", "'GZ-P9' is not a facility in the ledger"),
    "facilities: missing column": (
        import_facilities, f"{FAC.replace(',headcount', '')}\n{FAC_ROW},2024,5200,yes",
        1, "headcount", "required column is missing"),
    "facilities: unknown type": (
        import_facilities, f"{FAC}\nX1,X,castle,CN,,,2024,1,1,yes",
        2, "type", "'castle' is not allowed: expected one of office, factory, warehouse"),
    "facilities: country not 2 letters": (
        import_facilities, f"{FAC}\nX1,X,office,CHN,,,2024,1,1,yes",
        2, "country", "'CHN' is not a country code: expected 2 letters"),
    "facilities: year out of range": (
        import_facilities, f"{FAC}\nX1,X,office,CN,,,1980,1,1,yes",
        2, "year", "1980 is outside 1990..2100"),
    "facilities: year not an integer": (
        import_facilities, f"{FAC}\nX1,X,office,CN,,,2024.5,1,1,yes",
        2, "year", "'2024.5' is not a whole number from 1990 to 2100"),
    "facilities: negative floor area": (
        import_facilities, f"{FAC}\nX1,X,office,CN,,,2024,-1,1,yes",
        2, "floor_area_m2", "-1 is negative: expected 0 or more"),
    "facilities: headcount not a number": (
        import_facilities, f"{FAC}\nX1,X,office,CN,,,2024,1,many,yes",
        2, "headcount", "'many' is not a number"),
    "facilities: in_boundary not yes/no": (
        import_facilities, f"{FAC}\nX1,X,office,CN,,,2024,1,1,maybe",
        2, "in_boundary", "'maybe' is not allowed: expected one of yes, true, 1, no, false, 0"),
    "facilities: unknown sector": (
        import_facilities, f"{FAC},sector\nX1,X,office,CN,,,2024,1,1,yes,retail",
        2, "sector", "'retail' is not allowed: expected one of commercial, manufacturing"),
    "facilities: static columns disagree": (
        import_facilities, f"{FAC}\nX1,Plant A,factory,CN,,,2023,1,1,yes\n"
        "X1,Plant B,factory,CN,,,2024,1,1,yes",
        3, "name", "'Plant B' differs from 'Plant A' in row 2 (facility X1)"),
    "facilities: duplicate code and year": (
        import_facilities, f"{FAC}\nX1,X,office,CN,,,2024,1,1,yes\nX1,X,office,CN,,,2024,2,1,yes",
        3, None, "repeats row 2 (same code and year)"),
    "facilities: changes a facility in the ledger": (
        import_facilities, f"{FAC}\nSH-HQ,Shanghai HQ,office,CN,CN-SH,CN-East,2025,5200,320,yes",
        2, "name", "facility SH-HQ is in the ledger with 'Shanghai headquarters' (batch"),
    "facilities: changes a facility-year in the ledger": (
        import_facilities, f"{FAC}\n{FAC_ROW},2024,5200,300,yes",
        2, "headcount", "facility SH-HQ in 2024 is in the ledger with 310"),
    "factors: unknown tier": (
        import_factors, f"{FCT}\nf1,s,electricity,CO2,0.5,kg/kWh,global,CN,c,V2",
        2, "tier", "'global' is not allowed: expected one of measured, supplier, local"),
    "factors: negative value": (
        import_factors, f"{FCT}\nf1,s,electricity,CO2,-0.5,kg/kWh,{FCT_TAIL}",
        2, "value", "-0.5 is negative"),
    "factors: unit cannot be parsed": (
        import_factors, f"{FCT}\nf1,s,electricity,CO2,0.5,kg/banana,{FCT_TAIL}",
        2, "unit", "'kg/banana' cannot be used for electricity"),
    "factors: unknown activity": (
        import_factors, f"{FCT}\nf1,s,cola,CO2,0.5,kg/kWh,{FCT_TAIL}",
        2, "activity", "'cola' is not allowed"),
    "factors: unknown confidence": (
        import_factors, f"{FCT}\nf1,s,electricity,CO2,0.5,kg/kWh,supplier,SH-HQ,c,high",
        2, "confidence", "'high' is not allowed: expected one of V1, V2, NV"),
    "factors: no citation": (
        import_factors, f"{FCT}\nf1,s,electricity,CO2,0.5,kg/kWh,supplier,SH-HQ,,V2",
        2, "citation", "is empty: a factor needs its source"),
    "factors: data year not an integer": (
        import_factors, f"{FCT},data_year\nf1,s,electricity,CO2,0.5,kg/kWh,{FCT_TAIL},2024a",
        2, "data_year", "'2024a' is not a whole number"),
    "factors: valid_from after valid_to": (
        import_factors,
        f"{FCT},valid_from,valid_to\nf1,s,electricity,CO2,0.5,kg/kWh,{FCT_TAIL},2025,2023",
        2, "valid_to", "2023 is before valid_from 2025"),
    "factors: duplicate factor_id": (
        import_factors, f"{FCT}\nf1,s,electricity,CO2,0.5,kg/kWh,{FCT_TAIL}\n"
        f"f1,s,electricity,CO2,0.6,kg/kWh,{FCT_TAIL}",
        3, None, "repeats row 2 (same factor_id)"),
    "factors: changes a factor in the ledger": (
        import_factors, f"{FCT}\nsh_power_2024,sh_power,electricity,CO2,0.45,kg/kWh,{FCT_TAIL}",
        2, "value", "factor sh_power_2024 is in the ledger with 0.43"),
}


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def seeded_ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One ledger per backend holding a facility and a user factor."""
    folder = tmp_path_factory.mktemp("seeded")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'ledger.db'}"
    else:
        server = request.getfixturevalue("postgres_server")
        name = f"envledger_test_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = server.rsplit("/", 1)[0] + f"/{name}"
    migrate(url)
    (folder / "facilities.csv").write_text(SEED_FACILITIES)
    (folder / "factors.csv").write_text(SEED_FACTORS)
    import_facilities(url, folder / "facilities.csv")
    import_factors(url, folder / "factors.csv")
    yield url
    get_engine(url).dispose()


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_and_changes_nothing(
    case: str, seeded_ledger: str, tmp_path: Path
) -> None:
    importer, text, row, column, expected = CASES[case]
    path = tmp_path / "upload.csv"
    path.write_text(text + "\n")
    before = row_counts(seeded_ledger)
    with pytest.raises(InputError) as caught:
        importer(seeded_ledger, path)
    assert row_counts(seeded_ledger) == before
    matching = [p for p in caught.value.problems if p.row == row and p.column == column]
    assert matching, str(caught.value)
    assert matching[0].file == "upload.csv"
    assert expected in matching[0].message, str(caught.value)
    assert "nothing was imported" in str(caught.value)
