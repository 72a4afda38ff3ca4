"""IPCC 2006 Vol. 1 ch. 3 Approach 1: product and sum rules, correlation, lognormal U."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envledger.data import load_uncertainty_defaults
from envledger.methods.uncertainty import (
    correlated_sum_uncertainty,
    lognormal_uncertainty,
    product_uncertainty,
    sum_uncertainty,
)


def test_product_rule_eq_3_1() -> None:
    # invoice 5 % x grid factor 10 %: sqrt(25 + 100) = 11.1803 %
    assert product_uncertainty([5.0, 10.0]) == pytest.approx(11.180339887)


def test_sum_rule_eq_3_2() -> None:
    # 50 t at 11.18 % and 2 t at 20.37 %: sqrt(5.5902^2 + 0.4074^2) / 52 = 10.779 %
    u1, u2 = math.sqrt(125.0), math.sqrt(20.0**2 + 3.9**2)
    expected = math.sqrt((u1 * 50) ** 2 + (u2 * 2) ** 2) / 52
    assert sum_uncertainty([50.0, 2.0], [u1, u2]) == pytest.approx(expected)
    assert expected == pytest.approx(10.779, abs=1e-3)
    assert sum_uncertainty([1.0, -1.0], [5.0, 5.0]) is None


def test_a_shared_factor_adds_linearly() -> None:
    # one factor (10 %) at two sites of 50 t: 0.1 x 100 = 10 t -> 10 %, not 7.07 %
    assert correlated_sum_uncertainty([50.0, 50.0], [10.0, 10.0], ["f", "f"]) == \
        pytest.approx(10.0)
    assert sum_uncertainty([50.0, 50.0], [10.0, 10.0]) == pytest.approx(100 / math.sqrt(2) / 10)


def test_lognormal_factor_of_three_is_the_shipped_ch4_default() -> None:
    # s = ln 3 / 1.96 = 0.5605; sqrt(exp(s^2) - 1) = 0.6076; x 1.96 = 119.1 %
    assert lognormal_uncertainty(3.0) == pytest.approx(119.08, abs=0.01)
    shipped = load_uncertainty_defaults().to_pylist()
    ch4 = next(r for r in shipped if r["subject"] == "factor" and r["gas"] == "CH4"
               and r["activity"] == "")
    assert ch4["uncertainty_pct"] == round(lognormal_uncertainty(3.0))


def test_every_default_has_a_source_and_a_tag() -> None:
    for row in load_uncertainty_defaults().to_pylist():
        assert row["citation"] and row["confidence"] in {"V1", "V2", "NV"}
        assert row["uncertainty_pct"] > 0


values = st.lists(st.floats(0.1, 1e6), min_size=1, max_size=8)


@given(values, st.data())
def test_sum_of_positive_terms_is_never_less_certain_than_its_worst_term(
    xs: list[float], data: st.DataObject
) -> None:
    us = data.draw(st.lists(st.floats(0.0, 200.0), min_size=len(xs), max_size=len(xs)))
    total = sum_uncertainty(xs, us)
    assert total is not None and total <= max(us) * (1 + 1e-9)
    # full correlation is the upper bound, independence the lower one
    keys = [str(i) for i in range(len(xs))]
    assert correlated_sum_uncertainty(xs, us, keys) == pytest.approx(total)
    assert correlated_sum_uncertainty(xs, us, ["one"] * len(xs)) >= total * (1 - 1e-9)
