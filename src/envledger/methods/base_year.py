"""Base-year recalculation policy: the triggers and the significance test.

A company recalculates its base-year emissions when structural changes, changes in
methodology or emission factors, or discovered errors change them by a significant
share; organic growth or decline and facilities that did not exist in the base year
never trigger a recalculation.

References
----------
GHG Protocol Corporate Standard (2004), ch. 5 "Tracking emissions over time";
ISO 14064-1:2018, 6.4 (base-year GHG inventory: selection, review, recalculation).
"""

from __future__ import annotations

from collections.abc import Iterable

#: Reasons a published inventory may be restated, in the order a check attributes them.
RECALCULATION_TRIGGERS: tuple[str, ...] = (
    "error_correction",
    "factor_change",
    "structural_change",
    "methodology_change",
)

DEFAULT_SIGNIFICANCE_THRESHOLD = 0.05
"""Share of base-year emissions [1] from which a change is significant (common practice)."""


def relative_effect(effect_t: float, base_total_t: float) -> float | None:
    """Effect [tCO2e] as a share [1] of the published base-year total [tCO2e].

    None when the base-year total is zero (no share of nothing is defined).

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 5 (significance threshold).
    """
    if base_total_t == 0:
        return None
    return effect_t / base_total_t


def requires_recalculation(
    effects_t: Iterable[float], base_total_t: float, threshold: float
) -> bool:
    """Whether the cumulative effect [tCO2e] of the triggers is significant.

    Significant when |sum of effects| / base-year total [tCO2e] >= ``threshold`` [1];
    on a zero base-year total, any non-zero cumulative effect is significant. Only
    effects of triggers (``RECALCULATION_TRIGGERS``) may be passed: organic growth is
    not one.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 5 ("individually insignificant changes
    that are cumulatively significant"); SBTi Corporate Net-Zero Standard (5 %).
    """
    cumulative = sum(effects_t)
    share = relative_effect(cumulative, base_total_t)
    if share is None:
        return cumulative != 0
    return abs(share) >= threshold


def check_threshold(threshold: float) -> str | None:
    """Why ``threshold`` [1] cannot be a significance threshold, or None if it can.

    A share strictly between 0 and 1 (e.g. 0.05 for 5 %).
    """
    if not 0 < threshold < 1:
        return f"significance threshold {threshold} must be a share between 0 and 1 (0.05 = 5 %)"
    return None


__all__ = [
    "DEFAULT_SIGNIFICANCE_THRESHOLD",
    "RECALCULATION_TRIGGERS",
    "check_threshold",
    "relative_effect",
    "requires_recalculation",
]
