"""The demo company generator: reproducible, complete and valid import files."""

import csv
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest

from envledger.demo import DemoFiles, generate_demo
from envledger.demo.generate import ENTERING_FACILITY


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    return generate_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def catalog() -> dict[str, dict[str, str]]:
    text = files("envledger").joinpath("data", "activities.csv").read_text(encoding="utf-8")
    return {row["activity"]: row for row in csv.DictReader(text.splitlines())}


def _paths(result: DemoFiles) -> list[Path]:
    return [result.facilities_csv, result.activities_csv, result.factors_csv]


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    first = generate_demo(tmp_path / "a", seed=7)
    second = generate_demo(tmp_path / "b", seed=7)
    for one, two in zip(_paths(first), _paths(second), strict=True):
        assert one.read_bytes() == two.read_bytes()


def test_different_seed_gives_different_activities(tmp_path: Path) -> None:
    first = generate_demo(tmp_path / "a", seed=1)
    second = generate_demo(tmp_path / "b", seed=2)
    assert first.activities_csv.read_bytes() != second.activities_csv.read_bytes()


def test_result_describes_the_company(demo: DemoFiles) -> None:
    assert demo.base_year == 2020
    assert demo.years == (2020, 2021, 2022, 2023)
    facilities = _read(demo.facilities_csv)
    groups = {row["groups"] for row in facilities} - {""}
    assert groups == set(demo.groups)
    assert {row["year"] for row in facilities} == {str(y) for y in demo.years}
    assert 35 <= len({row["code"] for row in facilities}) <= 45


def test_every_catalog_activity_present(demo: DemoFiles, catalog: dict) -> None:
    assert {row["activity"] for row in _read(demo.activities_csv)} == set(catalog)


def test_every_activity_facility_has_a_facility_row(demo: DemoFiles) -> None:
    codes = {row["code"] for row in _read(demo.facilities_csv)}
    assert {row["facility_code"] for row in _read(demo.activities_csv)} <= codes


def test_static_facility_columns_agree_across_years(demo: DemoFiles) -> None:
    static = ("name", "type", "country", "province", "grid_region", "sector", "groups")
    seen: dict[str, tuple[str, ...]] = {}
    for row in _read(demo.facilities_csv):
        values = tuple(row[c] for c in static)
        assert seen.setdefault(row["code"], values) == values
    sectors = {values[1]: values[5] for values in seen.values() if values[5]}
    assert sectors == {"factory": "manufacturing"}


def test_boundary_entering_facility(demo: DemoFiles) -> None:
    rows = {r["year"]: r for r in _read(demo.facilities_csv) if r["code"] == ENTERING_FACILITY}
    assert rows["2020"]["in_boundary"] == "no"
    assert "2021" in rows["2020"]["boundary_note"]
    assert all(rows[y]["in_boundary"] == "yes" for y in ("2021", "2022", "2023"))
    others = [r for r in _read(demo.facilities_csv) if r["code"] != ENTERING_FACILITY]
    assert all(r["in_boundary"] == "yes" for r in others)
    assert any(r["facility_code"] == ENTERING_FACILITY and r["period_start"].startswith("2020")
               for r in _read(demo.activities_csv))


def test_units_gases_and_variants_follow_the_catalog(demo: DemoFiles, catalog: dict) -> None:
    for row in _read(demo.activities_csv):
        spec = catalog[row["activity"]]
        assert row["unit"] in spec["units"].split(), row
        assert bool(row["gas"]) == (spec["gas_column"] == "required"), row
        assert bool(row["treatment"]) == (spec["variant_column"] == "treatment"), row
        if row["disposal_route"]:
            assert spec["variant_column"] == "disposal_route", row
        # 0 is an explicit zero reading (heat in summer, no waste collected): coverage
        # needs every month held (docs/data-quality.md)
        assert float(row["quantity"]) >= 0
        assert row["data_source"] in {"measured", "invoice", "estimated"}


def test_no_duplicate_keys_and_monthly_periods(demo: DemoFiles) -> None:
    keys = set()
    for row in _read(demo.activities_csv):
        key = tuple(row[c] for c in ("facility_code", "activity", "gas", "treatment",
                                     "disposal_route", "period_start"))
        assert key not in keys, key
        keys.add(key)
        start = date.fromisoformat(row["period_start"])
        end = date.fromisoformat(row["period_end"])
        assert start.day == 1 and end >= start
        assert (end.year, end.month) == (start.year, start.month)
        assert date.fromordinal(end.toordinal() + 1).day == 1  # the last day of the month


def test_factors_file(demo: DemoFiles) -> None:
    rows = _read(demo.factors_csv)
    assert list(rows[0]) == [
        "factor_id", "series", "activity", "variant", "gas", "value", "unit", "tier",
        "geography_code", "sector", "data_year", "valid_from", "valid_to", "citation",
        "confidence", "note"]
    ids = [row["factor_id"] for row in rows]
    assert len(set(ids)) == len(ids) and all(i.startswith("demo-") for i in ids)
    codes = {row["code"]: row for row in _read(demo.facilities_csv)}
    supplier = [r for r in rows if r["tier"] == "supplier"]
    assert {r["data_year"] for r in supplier} == {"2020", "2021", "2022", "2023"}
    for row in supplier:
        assert codes[row["geography_code"]]["country"] == "SG"
        assert row["unit"] == "t/MWh" and 0.38 < float(row["value"]) < 0.44
    measured = [r for r in rows if r["tier"] == "measured"]
    assert measured and all(codes[r["geography_code"]]["type"] == "factory" for r in measured)
    assert all(r["activity"] == "natural_gas" and r["unit"] == "kg/m3" for r in measured)
    assert all(r["confidence"] == "NV" and "Demo" in r["citation"] for r in rows)
