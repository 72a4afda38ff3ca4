"""Estimating a missing month of activity data: three documented gap-filling methods.

Each function gives the quantity of ONE missing calendar month, in the activity's
canonical unit, from the figures its method rests on. They are the methods of
docs/data-quality.md ("Estimation"); the rows they produce are marked ``estimated``
and reviewed like any submission.

References
----------
.. [1] WRI/WBCSD, The GHG Protocol Corporate Accounting and Reporting Standard, revised
   edition (2004), ch. 7 "Managing inventory quality" (estimation and parameter
   uncertainty; transparency of the methods and assumptions used).
.. [2] ISO 14064-1:2018, clause 5.2.4 and annex A (selection of quantification
   approaches, data quality) and 9.3 (documentation of estimates).
.. [3] envledger reference facts QUALITY.md section 4, gap-filling methods: "same
   period last year x driver ratio" (seasonal loads), "mean daily use x missing days"
   (little seasonality), "similar-site intensity x floor area" (PCAF real-estate data
   quality scores 3-5).
"""

from __future__ import annotations

import math

from envledger.errors import EstimationError

METHODS = ("previous_year", "covered_average", "group_intensity")
"""The estimation methods, as named on the command line and in the ledger."""

METHOD_UNCERTAINTY_PCT: dict[str, float] = {"group_intensity": 50.0}
"""Relative 95 % uncertainty [%] written on the rows of a method that rests on other
facilities (a benchmark-like intensity x floor area): 50 % (benchmark/ratio class,
data/uncertainty_defaults.csv). Methods resting on the facility's own meter take the
default of ``data_source = estimated`` (20 %) and write none."""

DRIVERS = ("floor_area", "headcount")
"""What ``previous_year`` scales by: floor area [m2] or headcount [persons]."""


def previous_year(quantity_before: float, driver_now: float, driver_before: float) -> float:
    """Same month of the previous year scaled by the ratio of a driver.

    Q = Q_before x D_now / D_before

    Parameters
    ----------
    quantity_before : float
        The month's quantity in the previous year [canonical unit of the activity].
    driver_now, driver_before : float
        Floor area [m2] or headcount [persons] of the facility in the reporting year
        and in the year before.

    Returns
    -------
    float
        The estimated quantity of the month [canonical unit of the activity].

    Raises
    ------
    EstimationError
        If the previous year's driver is zero or not finite (no ratio exists), or the
        reporting year's driver is negative or not finite.

    References
    ----------
    GHG Protocol Corporate Standard (2004) ch. 7 [1]_; QUALITY.md section 4 [3]_.
    """
    if not math.isfinite(driver_before) or driver_before <= 0:
        raise EstimationError(
            f"the previous year's driver is {driver_before}: a ratio needs a positive value"
        )
    if not math.isfinite(driver_now) or driver_now < 0:
        raise EstimationError(f"the reporting year's driver is {driver_now}: it must be >= 0")
    return quantity_before * driver_now / driver_before


def covered_average(covered_quantity: float, covered_days: int, days: int) -> float:
    """The facility's average per day over its covered months, times the month's days.

    Q = (Q_covered / d_covered) x d_month

    Parameters
    ----------
    covered_quantity : float
        Total of the covered months of the reporting year [canonical unit].
    covered_days : int
        Days in those months [d].
    days : int
        Days in the missing month [d].

    Returns
    -------
    float
        The estimated quantity of the month [canonical unit of the activity].

    Raises
    ------
    EstimationError
        If no day is covered (there is no average).

    References
    ----------
    GHG Protocol Corporate Standard (2004) ch. 7 [1]_; QUALITY.md section 4 ("mean
    daily use x missing days", which warns of seasonality) [3]_.
    """
    if covered_days <= 0:
        raise EstimationError("no covered day to average over")
    return covered_quantity / covered_days * days


def group_intensity(
    peer_quantity: float, peer_floor_area: float, days: int, floor_area: float
) -> tuple[float, float]:
    """The group's intensity per m2 and day in the month, times the facility's floor area.

    I = Q_peers / (A_peers x d_month);  Q = I x A x d_month

    Parameters
    ----------
    peer_quantity : float
        The month's total of the group's other facilities with data for it
        [canonical unit].
    peer_floor_area : float
        Their total floor area in the reporting year [m2].
    days : int
        Days in the month [d].
    floor_area : float
        The facility's floor area in the reporting year [m2].

    Returns
    -------
    tuple of float
        The intensity [canonical unit / m2 / d] and the estimated quantity of the month
        [canonical unit of the activity].

    Raises
    ------
    EstimationError
        If the peers' floor area is not positive (no intensity exists).

    References
    ----------
    GHG Protocol Corporate Standard (2004) ch. 7 [1]_; PCAF Global GHG Standard, part A
    (2nd ed., 2022), commercial real estate scores 3-5 (intensity x floor area), as
    summarised in QUALITY.md sections 3 and 4 [3]_.
    """
    if not math.isfinite(peer_floor_area) or peer_floor_area <= 0:
        raise EstimationError(
            f"the peers' floor area is {peer_floor_area} m2: an intensity needs a positive area"
        )
    per_m2_day = peer_quantity / (peer_floor_area * days)
    return per_m2_day, per_m2_day * floor_area * days


__all__ = [
    "DRIVERS", "METHODS", "METHOD_UNCERTAINTY_PCT", "covered_average", "group_intensity",
    "previous_year",
]
