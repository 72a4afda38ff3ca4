"""A small company for the publication and base-year tests, and a module-scoped ledger.

Two Sichuan sites (province CN-SC, grid CN-Southwest), electricity only, one row per
year, so every figure can be worked by hand:

- CD-OF: office, in the boundary every year, 100,000 kWh = 100 MWh a year;
- WH-CD: warehouse acquired 2021: its 2020 row is out of the boundary, 50 MWh a year.

Built-in factors for electricity in CN-SC (src/envledger/data/factors.csv):
local cn_mee_nbs_electricity_CN-SC_2022 = 0.1404 kg/kWh (the only local factor, so it
serves every year by the data-year rule); with that series excluded, the national
carbon-market factors cn_ets_grid_2019 = 0.6101 t/MWh (2020), cn_ets_grid_2021 =
0.5810 (2021), cn_ets_grid_2022 = 0.5703 (2022 and later).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from envledger.services.governance.period_locks import locked_years, unlock_year
from envledger.services.inventory.calculate import prepare_ledger
from envledger.services.ledger.importing import import_activities, import_facilities
from envledger.settings import Settings
from envledger.store.db import get_engine
from tests.support.postgres import fresh_postgres_database

YEARS = (2020, 2021, 2022)
FACILITIES = "code,name,type,country,province,grid_region,year,floor_area_m2,headcount,in_boundary,boundary_note\n"  # noqa: E501
ACTIVITIES = "facility_code,period_start,period_end,activity,quantity,unit,data_source\n"


def write_company(folder: Path) -> tuple[Path, Path]:
    """The facilities and activities files of the small company."""
    folder.mkdir(parents=True, exist_ok=True)
    facilities = folder / "facilities.csv"
    facilities.write_text(FACILITIES + "".join(
        f"CD-OF,Chengdu office,office,CN,CN-SC,CN-Southwest,{y},1000,100,yes,\n"
        f"WH-CD,Chengdu warehouse,warehouse,CN,CN-SC,CN-Southwest,{y},2000,10,"
        + ("no,acquired 2021\n" if y == 2020 else "yes,\n")
        for y in YEARS
    ))
    activities = folder / "activities.csv"
    activities.write_text(ACTIVITIES + "".join(
        f"CD-OF,{y}-01-01,{y}-12-31,electricity,100000,kWh,invoice\n"
        f"WH-CD,{y}-01-01,{y}-12-31,electricity,50,MWh,measured\n"
        for y in YEARS
    ))
    return facilities, activities


def company_ledger(url: str, folder: Path) -> Settings:
    """Prepare ``url``, import the small company and return Settings pointing at it."""
    prepare_ledger(url)
    facilities, activities = write_company(folder)
    import_facilities(url, facilities)
    import_activities(url, activities)
    return Settings(database_url=url)


def add_rows(settings: Settings, folder: Path, name: str, lines: str) -> None:
    """Import extra activity rows (CSV lines without header) as file ``name``.

    A published (locked) year the rows start in is unlocked first, as the inventory
    owner would with `envledger unlock`: its next publication is then a restatement.
    """
    path = folder / name
    path.write_text(ACTIVITIES + lines)
    years = {int(line.split(",")[1][:4]) for line in lines.splitlines() if line}
    for year in years & set(locked_years(settings.database_url)):
        unlock_year(settings.database_url, year, reason=f"late rows in {name}")
    import_activities(settings.database_url, path)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
"""Parameters of a module-scoped fixture wrapping :func:`module_company`."""


def module_company(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """The small company in a ledger shared by a test module (``request.param`` backend)."""
    folder = tmp_path_factory.mktemp("company")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'ledger.db'}"
    else:
        url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    yield company_ledger(url, folder)
    get_engine(url).dispose()
