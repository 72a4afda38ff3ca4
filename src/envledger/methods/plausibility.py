"""Plausibility rules for activity data: thresholds, unit slips and a robust outlier test.

The engine (``engine.checks``) applies these rules to whole tables; this module holds
the numbers and the pure arithmetic, each with its basis.

References
----------
.. [1] ENERGY STAR Portfolio Manager, Data Quality Checker and meter-entry help
   (overlapping bills; a shared end/start day goes to the later bill).
.. [2] B. Iglewicz and D. C. Hoaglin, *How to Detect and Handle Outliers*, ASQC
   Quality Press, 1993: modified z-score 0.6745 (x - median) / MAD, outlier above 3.5.
.. [3] envledger reference QUALITY.md, section 5 (anomaly checks: x1000 and x3.6
   slips, same month last year, overlaps); thresholds tagged NV there are proposals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pyarrow as pa

#: Consistency constant of the MAD for a normal distribution: sigma = 1.4826 x MAD [2].
MAD_TO_SIGMA = 1.4826


@dataclass(frozen=True)
class Thresholds:
    """The thresholds of the plausibility checks (docs/data-quality.md, "Plausibility checks").

    Attributes
    ----------
    last_year_band
        A month is flagged when its quantity is outside [1 - band, 1 + band] x the same
        month of the previous year [1]; 0.5 ("change > 50 %", QUALITY.md, NV).
    last_year_floor
        ... and the change is at least this share of the series' median month [1], so
        that small months do not flag on noise; 0.1 (NV).
    median_factor
        A month is flagged when its quantity is outside [median / f, median x f] of the
        series' non-zero months of the year and the year before [1]; 3 (NV). A x3.6
        unit slip is still outside it.
    min_median_months
        Non-zero months a series needs before its median is used [month]; 3 (NV).
    overlap_days
        Two records of one series may share this many days (a shared end/start day)
        before they are flagged as overlapping [day]; 1 (ENERGY STAR PM [1]_).
    mad_z
        Modified z-score above which a facility's intensity is an outlier in its group
        [1]; 3.5 (Iglewicz and Hoaglin [2]).
    min_group_size
        In-boundary facilities with the activity and a denominator a group needs before
        the intensity rule runs [facility]; 5 (NV: a MAD of fewer values is unstable).
    """

    last_year_band: float = 0.5
    last_year_floor: float = 0.1
    median_factor: float = 3.0
    min_median_months: int = 3
    overlap_days: int = 1
    mad_z: float = 3.5
    min_group_size: int = 5


DEFAULT_THRESHOLDS = Thresholds()

#: Unit slips: (label, ratio of entered to intended quantity [1], tolerance factor [1]).
#: A ratio within [ratio / tol, ratio x tol] names the slip. 1 kWh = 3.6 MJ exactly.
SLIPS: tuple[tuple[str, float, float], ...] = (
    ("x1000", 1000.0, 2.0),  # 500..2000, QUALITY.md section 5 (NV)
    ("x3.6", 3.6, 1.25),  # 2.88..4.5 (NV)
)

#: Units a slip can be named in: unit -> (dimension, size in the dimension's base unit).
_UNIT_SIZES: dict[str, tuple[str, float]] = {
    "MJ": ("energy", 1.0), "GJ": ("energy", 1e3), "TJ": ("energy", 1e6), "kWh": ("energy", 3.6),
    "MWh": ("energy", 3.6e3), "GWh": ("energy", 3.6e6),
    "g": ("mass", 1e-3), "kg": ("mass", 1.0), "t": ("mass", 1e3),
    "L": ("volume", 1.0), "m3": ("volume", 1e3),
}

SLIP_SCHEMA = pa.schema([
    ("unit", pa.string()), ("ratio_low", pa.float64()), ("ratio_high", pa.float64()),
    ("cause", pa.string()),
])


def slip_window(ratio: float, tolerance: float) -> tuple[float, float]:
    """The ratios [1] that name a slip of ``ratio`` [1]: [ratio / tol, ratio x tol]."""
    return ratio / tolerance, ratio * tolerance


def slip_cause(unit: str, ratio: float) -> str | None:
    """The unit slip that explains an entered/intended ratio [1] for a quantity in ``unit``.

    A quantity entered with ``unit`` that is ``ratio`` times too large was most likely
    meant in the unit 1/ratio its size: ``slip_cause("MWh", 1000)`` is "quantity in kWh
    entered as MWh". None when no slip window of :data:`SLIPS` holds the ratio or no
    unit of that size exists.
    """
    if unit not in _UNIT_SIZES or not ratio > 0 or math.isinf(ratio):
        return None
    dimension, size = _UNIT_SIZES[unit]
    for label, factor, tolerance in SLIPS:
        for direction in (factor, 1.0 / factor):
            low, high = slip_window(direction, tolerance)
            if low <= ratio <= high:
                intended = _unit_of_size(dimension, size / direction)
                if intended is not None:
                    return f"{label} unit slip: quantity in {intended} entered as {unit}"
    return None


def _unit_of_size(dimension: str, size: float) -> str | None:
    return next((unit for unit, (dim, value) in _UNIT_SIZES.items()
                 if dim == dimension and math.isclose(value, size, rel_tol=1e-9)), None)


def slip_table() -> pa.Table:
    """Every nameable slip as rows ``unit, ratio_low, ratio_high [1], cause`` for a join.

    Per unit of :data:`_UNIT_SIZES` and slip direction with an intended unit; the
    engine joins a flagged month's single unit and ratio against it, so the text is
    the one :func:`slip_cause` gives. Rows with unit ``*`` name a x1000 slip without units,
    for months of several units or a unit without a neighbour of that size.
    """
    rows: list[tuple[str, float, float, str]] = []
    # Only x1000 without a unit: x3.6 is a slip between energy units alone.
    for label, factor, tolerance in SLIPS[:1]:
        for direction, size in ((factor, "large"), (1.0 / factor, "small")):
            low, high = slip_window(direction, tolerance)
            rows.append(("*", low, high,
                         f"{label} unit slip: the quantity is about {label[1:]} times too {size}"))
    for unit in _UNIT_SIZES:
        for _label, factor, tolerance in SLIPS:
            for direction in (factor, 1.0 / factor):
                low, high = slip_window(direction, tolerance)
                cause = slip_cause(unit, direction)
                if cause is not None:
                    rows.append((unit, low, high, cause))
    return pa.table([pa.array(column, field.type) for column, field in
                     zip(zip(*rows, strict=True), SLIP_SCHEMA, strict=True)], schema=SLIP_SCHEMA)


def mad_range(median: float, mad: float, z: float = DEFAULT_THRESHOLDS.mad_z
              ) -> tuple[float, float]:
    """The range [same unit as median] outside which a value is an outlier.

    median +/- z x 1.4826 x MAD, the lower end clipped at 0 (quantities and
    intensities are not negative). 1.4826 x MAD estimates sigma for normal data, so
    this is the modified z-score rule |x - median| / (1.4826 MAD) > z [2]_.
    """
    spread = z * MAD_TO_SIGMA * mad
    return max(0.0, median - spread), median + spread


def yoy_range(last_year: float, band: float = DEFAULT_THRESHOLDS.last_year_band
              ) -> tuple[float, float]:
    """Expected range [unit of ``last_year``] of a month from the same month last year."""
    return last_year * (1.0 - band), last_year * (1.0 + band)


def median_range(median: float, factor: float = DEFAULT_THRESHOLDS.median_factor
                 ) -> tuple[float, float]:
    """Expected range [unit of ``median``] of a month from the series' median month."""
    return median / factor, median * factor


__all__ = [
    "DEFAULT_THRESHOLDS",
    "MAD_TO_SIGMA",
    "SLIPS",
    "SLIP_SCHEMA",
    "Thresholds",
    "mad_range",
    "median_range",
    "slip_cause",
    "slip_table",
    "slip_window",
    "yoy_range",
]
