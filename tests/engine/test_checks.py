"""engine.checks on literal tables: allocation by days, each rule's edge, the key."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envledger.engine.checks import FLAG_SCHEMA, CheckInputs, check_year
from tests.support.engine_inputs import facility, make_inputs, record

LAST = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def monthly(code: str, activity: str, unit: str, values: dict[tuple[int, int], float]
            ) -> list[dict[str, Any]]:
    return [record(code, activity, q, unit, f"{y}-{m:02d}-01", f"{y}-{m:02d}-{LAST[m]}")
            for (y, m), q in values.items()]


def flags(records: list[dict[str, Any]], codes: tuple[str, ...] = ("F1",), **kwargs: Any
          ) -> dict[str, dict[str, Any]]:
    inputs = make_inputs(records, [facility(c) for c in codes], [], **kwargs)
    table = check_year(CheckInputs.of(inputs), 2023)
    assert table.schema == FLAG_SCHEMA
    return {row["key"]: row for row in table.to_pylist()}


def steady(q: float = 10.0) -> dict[tuple[int, int], float]:
    return {(y, m): q for y in (2022, 2023) for m in range(1, 13)}


def test_clean_data_raise_no_flag() -> None:
    assert flags(monthly("F1", "electricity", "MWh", steady())) == {}


def test_a_record_over_two_months_is_split_by_days() -> None:
    # 2023-01-01..02-28 (59 days) of 59 MWh: January 31 MWh, February 28 MWh. Against
    # January 2022 of 16 MWh, 31 > 16 x 1.5 = 24 flags; February 28 = 28 does not.
    values = steady(28.0)
    values[(2022, 1)] = 16.0
    del values[(2023, 1)], values[(2023, 2)]
    records = monthly("F1", "electricity", "MWh", values)
    records.append(record("F1", "electricity", 59.0, "MWh", "2023-01-01", "2023-02-28"))
    found = flags(records)
    assert list(found) == ["month_vs_last_year:F1:electricity:::2023-01"]
    flag = found["month_vs_last_year:F1:electricity:::2023-01"]
    assert (flag["value"], flag["reference"], flag["expected_high"]) == (31.0, 16.0, 24.0)


def test_a_mixed_unit_month_names_the_slip_without_units() -> None:
    values = steady(10.0)
    del values[(2023, 5)]
    records = monthly("F1", "electricity", "MWh", values)
    # 5,000 MWh + 5,000 kWh (5 MWh): 5,005 MWh, ratio 500.5 to last May's 10 MWh.
    records += [record("F1", "electricity", 5000.0, "MWh", "2023-05-01", "2023-05-15"),
                record("F1", "electricity", 5000.0, "kWh", "2023-05-16", "2023-05-31")]
    flag = flags(records)["month_vs_last_year:F1:electricity:::2023-05"]
    assert flag["value"] == 5005.0
    assert flag["cause"] == "x1000 unit slip: the quantity is about 1000 times too large"


def test_overlaps_beyond_one_shared_day_are_flagged_whatever_the_quantities() -> None:
    values = steady(31.0)
    del values[(2023, 3)], values[(2023, 4)]
    records = monthly("F1", "electricity", "MWh", values)
    records += [
        record("F1", "electricity", 31.0, "MWh", "2023-03-01", "2023-03-31"),
        record("F1", "electricity", 30.0, "MWh", "2023-03-31", "2023-04-29"),  # shares 1 day
        record("F1", "electricity", 1.0, "MWh", "2023-04-28", "2023-04-30"),  # shares 2 days
    ]
    found = {k: v for k, v in flags(records).items() if v["rule"] == "overlap"}
    assert list(found) == ["overlap:F1:electricity:::2023-04-28/2023-04-29:r25"]
    flag = found["overlap:F1:electricity:::2023-04-28/2023-04-29:r25"]
    assert (flag["value"], flag["unit"], flag["expected_high"]) == (2.0, "day", 1.0)
    assert flag["detail"] == ("record 25 (2023-04-28..2023-04-30, 1.0 MWh) overlaps record 24"
                              " (2023-03-31..2023-04-29, 30.0 MWh)")


def test_only_zeros_between_non_zero_months_are_flagged() -> None:
    values = steady(10.0)
    values[(2023, 6)] = 0.0  # between non-zero months
    values[(2023, 11)] = values[(2023, 12)] = 0.0  # nothing non-zero after them
    found = flags(monthly("F1", "electricity", "MWh", values))
    assert list(found) == ["zero_month:F1:electricity:::2023-06"]


def test_facilities_outside_the_boundary_are_not_checked() -> None:
    values = steady(10.0)
    values[(2023, 6)] = 0.0
    years = [{"facility_code": "F1", "year": 2023, "floor_area_m2": 1.0, "headcount": 1.0,
              "in_boundary": False}]
    assert flags(monthly("F1", "electricity", "MWh", values), facility_years=years) == {}


def intensity_case(quantities: list[float]) -> dict[str, dict[str, Any]]:
    codes = tuple(f"F{i}" for i in range(1, len(quantities) + 1))
    records = [record(c, "water_running", q, "t") for c, q in zip(codes, quantities, strict=True)]
    return flags(records, codes, groups={"Sites": list(codes)})


def test_an_intensity_outlier_needs_five_facilities_and_a_spread() -> None:
    # Per person (10 each): 1, 1.1, 0.9, 1.05, 5 t/person; median 1.05; |dev| 0.05 0.05
    # 0.15 0 3.95 -> MAD 0.05; spread 3.5 x 1.4826 x 0.05 = 0.259455.
    found = intensity_case([10.0, 11.0, 9.0, 10.5, 50.0])
    flag = found["intensity_per_person:F5:water_running:::2023:Sites"]
    assert list(found) == ["intensity_per_person:F5:water_running:::2023:Sites"]
    # The year is the sum of twelve day-shares of the annual record: equal to 1e-12.
    assert (flag["value"], flag["unit"]) == (pytest.approx(5.0), "t/person")
    assert flag["reference"] == pytest.approx(1.05)
    assert (flag["expected_low"], flag["expected_high"]) == pytest.approx(
        (1.05 - 0.259455, 1.05 + 0.259455))
    assert intensity_case([10.0, 11.0, 9.0, 50.0]) == {}  # four facilities
    assert intensity_case([10.0, 10.0, 10.0, 10.0, 50.0]) == {}  # MAD 0


@settings(max_examples=15, deadline=None)
@given(st.lists(st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1e4)),
                min_size=24, max_size=24),
       st.sampled_from([2.0 ** -10, 0.5, 4.0, 2.0 ** 10]))
def test_flags_do_not_depend_on_the_scale_of_the_data(values: list[float], k: float) -> None:
    """Every rule compares ratios: scaling all quantities by k keeps the same flags and
    scales their values by k. k is a power of two, so scaling is exact in binary floating
    point and a value on a threshold stays on it (quantities of 0 or at least 1e-3,
    so that none underflows to 0)."""
    months = [(y, m) for y in (2022, 2023) for m in range(1, 13)]
    plain = flags(monthly("F1", "water_running", "t", dict(zip(months, values, strict=True))))
    scaled = flags(monthly("F1", "water_running", "t",
                           {ym: v * k for ym, v in zip(months, values, strict=True)}))
    assert scaled.keys() == plain.keys()
    for key, flag in plain.items():
        assert scaled[key]["value"] == pytest.approx(flag["value"] * k, rel=1e-9, abs=1e-12)
        assert scaled[key]["cause"] == flag["cause"]
