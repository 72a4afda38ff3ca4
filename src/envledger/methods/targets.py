"""Target progress: target value, change so far, what remains and the straight-line path.

A reduction target lowers a metric by ``reduction_pct`` [%] from the base year to the
target year; a cap keeps it no higher than the base-year value. Progress compares the
latest year's value with the straight line from the base value (base year) to the
target value (target year).

References
----------
GHG Protocol Corporate Standard (2004), ch. 11 (setting a GHG target: base year,
target year, absolute or intensity target, tracking and reporting progress);
GHG Protocol Scope 2 Guidance (2015), ch. 9; GRI 302-4, 305-5; HKEX ESG Reporting
Code KPIs A1.5, A2.3, A2.4.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """How far a quantitative target has come, in the metric's unit unless stated.

    Attributes
    ----------
    target_value
        Value to reach by the target year [unit].
    change
        latest - base [unit]; negative is a reduction.
    change_pct
        change / base x 100 [%]; None when the base value is 0.
    remaining
        latest - target value [unit]: what is left to reduce (0 or less = reached).
    path_value
        Straight-line path value at the latest year [unit] (the base value for a cap).
    on_track
        latest <= path value (reduction) or latest <= base value (cap).
    """

    target_value: float
    change: float
    change_pct: float | None
    remaining: float
    path_value: float
    on_track: bool


def target_value(base: float, reduction_pct: float | None) -> float:
    """Value to reach [unit]: base [unit] x (1 - reduction_pct [%] / 100); a cap (None) is base.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 11, step 6 (target level).
    """
    return base if reduction_pct is None else base * (1.0 - reduction_pct / 100.0)


def path_value(
    base: float, target: float, base_year: int, target_year: int, year: int
) -> float:
    """Straight-line value [unit] in ``year`` [year] from base (base_year) to target (target_year).

    Before the base year it is the base value, after the target year the target value.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 11, step 10 (tracking performance).
    """
    if target_year <= base_year:
        return target
    share = min(max((year - base_year) / (target_year - base_year), 0.0), 1.0)
    return base + (target - base) * share


def progress(
    base: float,
    latest: float,
    base_year: int,
    target_year: int,
    latest_year: int,
    reduction_pct: float | None,
) -> Progress:
    """Progress of a reduction target (``reduction_pct`` [%]) or a cap (None) in ``latest_year``.

    ``base`` and ``latest`` are the metric's values [unit] in ``base_year`` and
    ``latest_year`` [year]. A reduction is on track when the latest value is at or
    below the straight-line path; a cap when it is at or below the base value.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 11 (tracking and reporting progress).
    """
    goal = target_value(base, reduction_pct)
    path = base if reduction_pct is None else path_value(
        base, goal, base_year, target_year, latest_year
    )
    return Progress(
        target_value=goal,
        change=latest - base,
        change_pct=None if base == 0 else (latest - base) / base * 100.0,
        remaining=latest - goal,
        path_value=path,
        on_track=latest <= path,
    )


__all__ = ["Progress", "path_value", "progress", "target_value"]
