"""Approach 2 (Monte Carlo) against Approach 1 on the demo company (IPCC 2006 Vol. 1 ch. 3).

Tolerance: IPCC 2006 Vol. 1 3.2.3.1 holds Approach 1 adequate when inputs are
near-normal with sigma/mean below about 0.3 (QUALITY.md section 1); there the two
approaches should give the same 95 % half-width. The test asks the Monte Carlo
half-width [% of its mean] to be within 10 % (relative) of Approach 1's, the mean
within 1 % of the point estimate. Approach 2 here is written independently of the
engine's SQL: one draw per activity-data error (facility x activity x variant) and
one per emission factor shared by every line using it (IPCC: a factor used at every
site is one draw per iteration); lognormal for inputs above 60 %.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from envledger.demo.generate import DEMO_SEED
from envledger.engine.inputs import connect
from envledger.engine.inventory import _year_inventory, prepare_quantities
from envledger.methods.uncertainty import Z95
from envledger.services.demo.load import load_demo_company
from envledger.services.inventory.calculate import prepare_ledger
from envledger.services.inventory.methodology import current_methodology
from envledger.services.ledger.tables import load_inventory_inputs
from envledger.settings import Settings

YEAR = 2023
DRAWS = 20_000

TERMS = """
WITH ad AS (
    SELECT facility_code, activity, variant, gas, value, half_width FROM quality_terms
    WHERE measure = 'total_t' AND factor_id IS NULL
),
fu AS (
    SELECT facility_code, factor_id, half_width FROM quality_terms
    WHERE measure = 'total_t' AND factor_id IS NOT NULL
)
SELECT l.t_co2e,
       'a|' || l.facility_code || '|' || l.activity || '|' || l.variant || '|' || ad.gas,
       100.0 * ad.half_width / ad.value, 'f|' || l.factor_id,
       100.0 * fu.half_width / l.t_co2e
FROM lines l
JOIN ad ON ad.facility_code = l.facility_code AND ad.activity = l.activity
       AND ad.variant = l.variant
       AND ad.gas = CASE WHEN l.factor_id IS NOT NULL THEN ''
                         WHEN l.blend <> '' THEN l.blend ELSE l.gas END
LEFT JOIN fu ON fu.facility_code = l.facility_code AND fu.factor_id = l.factor_id
WHERE l.t_co2e > 0
"""


def _multipliers(rng: np.random.Generator, u: np.ndarray) -> np.ndarray:
    """DRAWS draws (rows) of a multiplier of mean 1 and 95 % half-width u [%] per input
    (columns): normal truncated at 0 up to 60 %, lognormal of the same mean and standard
    deviation above (IPCC 2006 Vol. 1 3.2.2.4)."""
    sd = u / 100.0 / Z95
    normal = np.maximum(rng.normal(1.0, sd, size=(DRAWS, u.size)), 0.0)
    s2 = np.log1p(sd * sd)
    skewed = rng.lognormal(-s2 / 2.0, np.sqrt(s2), size=(DRAWS, u.size))
    return np.where(u <= 60.0, normal, skewed)


def test_monte_carlo_agrees_with_approach_1_on_the_demo(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    settings = Settings(database_url=url)
    prepare_ledger(url)
    load_demo_company(settings, tmp_path / "data", seed=DEMO_SEED)
    method = current_methodology(settings).calculation
    priority = list(method.series_priority)
    inputs = load_inventory_inputs(url, YEAR)
    with connect(inputs, priority) as con:
        prepare_quantities(con, [YEAR])
        inventory = _year_inventory(con, YEAR, method.gwp_set, priority, method.excluded_series)
        terms = con.sql(TERMS).fetchall()
    company = {r["measure"]: r for r in inventory.quality.to_pylist()
               if r["level"] == "company"}
    approach1 = company["total_t"]["uncertainty_pct"]
    point = company["total_t"]["value"]
    assert sum(t[0] for t in terms) == pytest.approx(point)

    # One draw per activity-data error and per factor, shared by every line using it.
    u_by_key: dict[str, float] = {}
    for _, a_key, u_a, f_key, u_f in terms:
        u_by_key.setdefault(a_key, u_a)
        if u_f is not None:
            u_by_key.setdefault(f_key, u_f)
    keys = sorted(u_by_key)
    index = {key: i for i, key in enumerate(keys)}
    # a line without a factor error multiplies by a constant 1 (the last column)
    exact = len(keys)
    emissions = np.array([t[0] for t in terms])
    activity = np.array([index[t[1]] for t in terms])
    factor = np.array([index.get(t[3], exact) if t[4] is not None else exact for t in terms])
    draws = _multipliers(np.random.default_rng(20261129), np.array([u_by_key[k] for k in keys]))
    draws = np.hstack([draws, np.ones((DRAWS, 1))])
    totals = (draws[:, activity] * draws[:, factor]) @ emissions
    mean = float(totals.mean())
    low, high = np.percentile(totals, [2.5, 97.5])
    approach2 = 100.0 * float(high - low) / 2.0 / mean
    assert mean == pytest.approx(point, rel=0.01)
    assert approach2 == pytest.approx(approach1, rel=0.10)
