"""Factor selection: the tier hierarchy and the data-year rule.

The resolver prefers, for each activity and gas, the most specific factor:

0. ``measured`` (facility-specific measurement), 1. ``supplier`` (supplier-specific
rate), 2. ``local`` (province), 3. ``regional`` (grid region), 4. ``industry``
(country and sector), 5. ``national``, 6. ``international`` default. For purchased
electricity and heat (Scope 2) the first two are market-based only
(:func:`location_based_candidate`).

At equal tier the configured series priority decides, then the more specific
sector, then the data-year rule below, then ``factor_id``. The engine implements
this in SQL; the functions here are the reference it is tested against.

References
----------
GHG Protocol Corporate Standard (2004), ch. 6 (choose the most accurate, specific
factors available); GHG Protocol Scope 2 Guidance (2015), ch. 6 (emission factor
hierarchy); ISO 14064-1:2018 clause 6.2 and Annex C (selection of emission factors).
"""

from __future__ import annotations

TIERS = (
    "measured",
    "supplier",
    "local",
    "regional",
    "industry",
    "national",
    "international",
)
"""Factor tiers, best first."""

TIER_RANK: dict[str, int] = {tier: rank for rank, tier in enumerate(TIERS)}
"""Rank of each tier: 0 is best."""

OWN_TIERS = ("measured", "supplier")
"""Tiers of one facility's own rate: a measurement or its supplier's emission rate."""


def location_based_candidate(tier: str, scope: int | None) -> bool:
    """Whether a factor of ``tier`` may serve an activity of ``scope`` location-based.

    Location-based Scope 2 reflects the average emission intensity of the grids where
    the energy is consumed: a supplier-specific or measured rate for purchased
    electricity or heat is a market-based figure only (it sits below contractual
    instruments and above the residual mix there). Scope 1 and other activities take
    every tier.

    References
    ----------
    GHG Protocol Scope 2 Guidance (2015), ch. 6.2 (location-based: grid-average
    emission factors) and ch. 6.4, Table 6.3 (supplier-specific rates: market-based).
    """
    return not (scope == 2 and tier in OWN_TIERS)


def is_candidate(reporting_year: int, valid_from: int | None, valid_to: int | None) -> bool:
    """Whether a factor may serve a reporting year [year]: valid_from <= year <= valid_to.

    An empty (None) bound is open.
    """
    after_start = valid_from is None or valid_from <= reporting_year
    before_end = valid_to is None or reporting_year <= valid_to
    return after_start and before_end


def data_year_preference(reporting_year: int, data_year: int | None) -> tuple[int, int]:
    """Sort key (smaller is better) of a factor's data year [year] for a reporting year [year].

    Official statistics lag, so reporting year Y uses the latest data year <= Y;
    an undated factor (None, e.g. an IPCC default) comes next; only then the
    earliest data year > Y, which the result line must flag (``data_year_note``).

    Returns
    -------
    tuple[int, int]
        ``(0, Y - data_year)`` for data years up to Y, ``(1, 0)`` for undated
        factors, ``(2, data_year - Y)`` for later data years.
    """
    if data_year is None:
        return (1, 0)
    if data_year <= reporting_year:
        return (0, reporting_year - data_year)
    return (2, data_year - reporting_year)


__all__ = [
    "OWN_TIERS",
    "TIERS",
    "TIER_RANK",
    "data_year_preference",
    "is_candidate",
    "location_based_candidate",
]
