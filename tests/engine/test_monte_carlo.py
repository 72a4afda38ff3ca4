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

import math
import random
from collections.abc import Callable
from pathlib import Path

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


def _sampler(rng: random.Random, u: float) -> Callable[[], float]:
    """Draws of a multiplier of mean 1 and 95 % half-width u [%]."""
    sd = u / 100.0 / Z95
    if u <= 60.0:
        return lambda: max(rng.gauss(1.0, sd), 0.0)
    s2 = math.log1p(sd * sd)
    return lambda: rng.lognormvariate(-s2 / 2.0, math.sqrt(s2))


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

    rng = random.Random(20261129)
    draw: dict[str, Callable[[], float]] = {}
    for _, a_key, u_a, f_key, u_f in terms:
        draw.setdefault(a_key, _sampler(rng, u_a))
        if u_f is not None:
            draw.setdefault(f_key, _sampler(rng, u_f))
    keys = sorted(draw)
    index = {key: i for i, key in enumerate(keys)}
    compact = [(e, index[a], index.get(f)) for e, a, _, f, u_f in terms]
    totals = []
    for _ in range(DRAWS):
        m = [draw[key]() for key in keys]
        totals.append(sum(e * m[a] * (1.0 if f is None else m[f]) for e, a, f in compact))
    totals.sort()
    mean = sum(totals) / DRAWS
    low, high = totals[int(0.025 * DRAWS)], totals[int(0.975 * DRAWS) - 1]
    approach2 = 100.0 * (high - low) / 2.0 / mean
    assert mean == pytest.approx(point, rel=0.01)
    assert approach2 == pytest.approx(approach1, rel=0.10)
