"""Intensity KPIs: a quantity per unit of activity (per m2, per employee, per revenue)."""

from __future__ import annotations

import math


def intensity(numerator: float | None, denominator: float | None) -> float | None:
    """Numerator [any unit] per denominator [any unit], or None when undefined.

    None (never inf or 0) when either value is missing or NaN, or the denominator
    is zero: a facility without floor area has no floor-area intensity.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 9 (ratio indicators); GRI 305-4.
    """
    if numerator is None or denominator is None:
        return None
    if math.isnan(numerator) or math.isnan(denominator) or denominator == 0:
        return None
    return numerator / denominator


__all__ = ["intensity"]
