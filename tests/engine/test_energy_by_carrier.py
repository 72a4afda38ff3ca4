"""Energy by carrier (HKEX KPI A2.1) per company, facility and group, worked by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envledger.engine import compute_inventory
from tests.support.engine_inputs import YEAR, facility, record, reference_inputs


def _inventory_dict() -> dict:
    inputs = reference_inputs(
        [
            record("A", "electricity", 10_000.0, "kWh"),
            record("A", "diesel", 1.0, "t"),
            record("B", "diesel_vehicle", 1000.0, "L"),
            record("B", "natural_gas", 1000.0, "m3"),
        ],
        [facility("A"), facility("B")],
        groups={"Sites": ["A", "B"], "Fleet": ["B"]},
    )
    return compute_inventory(inputs, YEAR, "AR5", ["user"]).to_dict()


def _carriers(rows: list[dict]) -> dict[str, tuple[float, float]]:
    assert [r["energy"]["unit"] for r in rows] == ["MWh"] * len(rows)
    assert [r["standard_coal"]["unit"] for r in rows] == ["tce"] * len(rows)
    return {r["carrier"]: (r["energy"]["value"], r["standard_coal"]["value"]) for r in rows}


# A: 10,000 kWh = 10 MWh, 10,000 x 0.1229 kgce/kWh = 1,229 kgce = 1.229 tce;
#    1 t diesel x 42.652 GJ/t / 3.6 = 11.847778 MWh, 1,000 kg x 1.4571 = 1.4571 tce.
# B: 1000 L diesel x 0.84 kg/L = 0.84 t: 0.84 x 42.652 / 3.6 = 9.952133 MWh,
#    840 kg x 1.4571 = 1.223964 tce; 1000 m3 gas x 0.038931 GJ/m3 / 3.6 = 10.814167 MWh,
#    1000 m3 x 1.33 kgce/m3 = 1.33 tce.
A_DIESEL = (42.652 / 3.6, 1.4571)
B_DIESEL = (0.84 * 42.652 / 3.6, 0.84 * 1.4571)
B_GAS = (38.931 / 3.6, 1.33)


def test_company_sums_stationary_and_vehicle_diesel_as_one_carrier() -> None:
    company = _carriers(_inventory_dict()["energy_by_carrier"]["company"])
    assert list(company) == ["diesel", "electricity", "natural_gas"]
    # diesel: 11.847778 + 9.952133 = 21.799911 MWh; 1.4571 + 1.223964 = 2.681064 tce
    assert company["diesel"] == (pytest.approx(21.799911, rel=1e-7),
                                 pytest.approx(2.681064, rel=1e-9))
    assert company["electricity"] == (pytest.approx(10.0), pytest.approx(1.229))
    assert company["natural_gas"] == (pytest.approx(B_GAS[0]), pytest.approx(B_GAS[1]))


def test_facilities_and_groups_by_carrier() -> None:
    by_carrier = _inventory_dict()["energy_by_carrier"]
    facilities = {f["code"]: _carriers(f["carriers"]) for f in by_carrier["facilities"]}
    assert facilities["A"] == {"diesel": pytest.approx(A_DIESEL),
                               "electricity": pytest.approx((10.0, 1.229))}
    assert facilities["B"] == {"diesel": pytest.approx(B_DIESEL),
                               "natural_gas": pytest.approx(B_GAS)}
    groups = {g["name"]: _carriers(g["carriers"]) for g in by_carrier["groups"]}
    assert [g["name"] for g in by_carrier["groups"]] == ["Fleet", "Sites"]
    assert groups["Fleet"] == facilities["B"]
    assert groups["Sites"]["diesel"] == pytest.approx(
        (A_DIESEL[0] + B_DIESEL[0], A_DIESEL[1] + B_DIESEL[1]))


def test_carriers_add_up_to_the_energy_totals() -> None:
    contract = _inventory_dict()
    company = _carriers(contract["energy_by_carrier"]["company"])
    energy = contract["company"]["energy"]
    assert sum(mwh for mwh, _ in company.values()) == pytest.approx(energy["total"]["value"])
    assert sum(tce for _, tce in company.values()) == pytest.approx(
        energy["standard_coal"]["value"])


def test_a_carrier_without_data_is_absent_not_zero() -> None:
    inputs = reference_inputs([record("A", "electricity", 1.0, "MWh")], [facility("A")])
    by_carrier = compute_inventory(inputs, YEAR, "AR5", ["user"]).to_dict()["energy_by_carrier"]
    assert [r["carrier"] for r in by_carrier["company"]] == ["electricity"]


def test_facility_outside_the_boundary_has_no_carriers() -> None:
    outside = [{"facility_code": "A", "year": YEAR, "floor_area_m2": 1.0, "headcount": 1.0,
                "in_boundary": False}]
    inputs = reference_inputs([record("A", "electricity", 1.0, "MWh")], [facility("A")],
                            facility_years=outside)
    by_carrier = compute_inventory(inputs, YEAR, "AR5", ["user"]).to_dict()["energy_by_carrier"]
    assert by_carrier == {"company": [], "facilities": [], "groups": []}


ENERGY_ROWS = [
    ("electricity", "kWh"), ("heat", "GJ"), ("natural_gas", "therm"), ("diesel", "US_gal"),
    ("diesel_vehicle", "L"), ("gasoline_vehicle", "L"), ("lpg", "kg"),
]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ENERGY_ROWS), st.sampled_from(["A", "B"]),
                          st.floats(min_value=0.0, max_value=1e6)),
                min_size=1, max_size=8))
def test_carriers_always_add_up_to_each_levels_total(
    rows: list[tuple[tuple[str, str], str, float]],
) -> None:
    # Invariant: at every level, the carriers sum to the level's energy total [MWh]
    # and standard coal [tce]; every carrier figure is finite and not negative.
    records = [record(code, activity, quantity, unit,
                      f"{YEAR}-{month:02d}-01", f"{YEAR}-{month:02d}-28")
               for month, ((activity, unit), code, quantity) in enumerate(rows, start=1)]
    inputs = reference_inputs(records, [facility("A"), facility("B")],
                            groups={"Both": ["A", "B"]})
    contract = compute_inventory(inputs, YEAR, "AR5", ["user"]).to_dict()
    by_carrier = contract["energy_by_carrier"]
    levels = [(contract["company"], by_carrier["company"])]
    levels += [(next(f for f in contract["facilities"] if f["code"] == row["code"]),
                row["carriers"]) for row in by_carrier["facilities"]]
    levels += [(next(g for g in contract["groups"] if g["name"] == row["name"]),
                row["carriers"]) for row in by_carrier["groups"]]
    for measures, carriers in levels:
        figures = _carriers(carriers)
        assert all(mwh >= 0 and tce >= 0 for mwh, tce in figures.values())
        assert sum(m for m, _ in figures.values()) == pytest.approx(
            measures["energy"]["total"]["value"], rel=1e-9, abs=1e-9)
        assert sum(t for _, t in figures.values()) == pytest.approx(
            measures["energy"]["standard_coal"]["value"], rel=1e-9, abs=1e-9)
