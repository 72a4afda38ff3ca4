"""The engine's input connection: sectors, catalog columns, site keys."""

from __future__ import annotations

from envledger.engine.inputs import connect
from tests.support.engine_inputs import facility, make_inputs


def test_connect_derives_sector_from_type_when_empty() -> None:
    inputs = make_inputs(
        [], [facility("OFF"), facility("FAC", type="factory"),
             facility("SET", type="factory", sector="commercial")], [],
    )
    with connect(inputs, ["user"]) as con:
        sectors = dict(con.sql("SELECT code, sector FROM sites").fetchall())
    assert sectors == {"OFF": "commercial", "FAC": "manufacturing", "SET": "commercial"}


def test_connect_reads_required_gases_and_scope_from_the_catalog() -> None:
    with connect(make_inputs([], [], []), ["user"]) as con:
        gases = con.sql(
            "SELECT gas FROM required_gases WHERE activity = 'natural_gas' ORDER BY gas"
        ).fetchall()
        scopes = dict(con.sql("SELECT activity, scope FROM catalog").fetchall())
    assert [g[0] for g in gases] == ["CH4", "CO2", "N2O"]
    assert (scopes["electricity"], scopes["diesel"], scopes["water_running"]) == (2, 1, None)


def test_site_keys_give_each_tier_its_geography() -> None:
    inputs = make_inputs([], [facility("F1", country="IN", province="IN-MH",
                                       grid_region="IN-All")], [])
    with connect(inputs, []) as con:
        keys = dict(con.sql("SELECT tier, geography_code FROM site_keys").fetchall())
    assert keys == {"measured": "F1", "supplier": "F1", "local": "IN-MH",
                    "regional": "IN-All", "industry": "IN", "national": "IN",
                    "international": "*"}
