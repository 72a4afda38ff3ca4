"""ISO 14064-1:2018 category view: category 1 = Scope 1, 2 = Scope 2 location-based."""

from __future__ import annotations

import pytest

from envledger.engine import compute_inventory
from tests.support.engine_inputs import YEAR, electricity_factor, facility, make_inputs, record


def test_categories_1_and_2_equal_the_scopes_and_3_to_6_are_not_quantified() -> None:
    inputs = make_inputs(
        [record("F1", "electricity", 10.0, "MWh"),
         record("F1", "refrigerant", 2.0, "kg", gas="HFC-134a")],
        [facility("F1")], [electricity_factor("cn_grid", 0.5703)],
    )
    payload = compute_inventory(inputs, YEAR, "AR5", []).to_dict()
    categories = payload["by_iso_category"]
    # category 1: 2 kg HFC-134a x GWP 1300 / 1000 = 2.6 t; category 2: 10 MWh x 0.5703 = 5.703 t
    assert categories[0] == {"category": 1, "label": "Direct GHG emissions and removals",
                             "emissions": {"value": pytest.approx(2.6), "unit": "tCO2e"},
                             "status": "quantified"}
    assert categories[1]["label"] == "Indirect GHG emissions from imported energy"
    assert categories[1]["emissions"]["value"] == pytest.approx(5.703)
    by_scope = {(r["scope"], r["method"]): r["emissions"] for r in payload["by_scope"]}
    assert categories[0]["emissions"] == by_scope[(1, None)]
    assert categories[1]["emissions"] == by_scope[(2, "location")]
    assert [(c["category"], c["emissions"]["value"], c["status"]) for c in categories[2:]] == [
        (n, None, "not quantified") for n in (3, 4, 5, 6)]
