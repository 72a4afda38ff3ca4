"""Energy accounting: physical quantities to MWh and to standard coal equivalent (GB/T 2589-2020).

The published GB/T 2589-2020 coefficients are kcal ratios; they are stored as
published, never recomputed from MJ (recomputing moves them by about 0.13 %).
"""

from __future__ import annotations

import pyarrow as pa

from envledger.errors import ReferenceDataError
from envledger.methods.units import KGCE_MJ, activity_conversion, rate_to_canonical

ENERGY_CLASSES = ("direct", "indirect")
"""Direct = fuels burned on site; indirect = purchased electricity and heat."""


def tce_from_quantity(quantity: float, coefficient: float) -> float:
    """Standard coal equivalent [tce] of ``quantity`` [unit] at ``coefficient`` [kgce/unit].

    References
    ----------
    GB/T 2589-2020 General principles for calculation of the comprehensive energy
    consumption, reference coefficients to standard coal.
    """
    return quantity * coefficient / 1000.0


def build_energy_coefficients(
    catalog: pa.Table, energy_coefficients: pa.Table, fuel_properties: pa.Table
) -> pa.Table:
    """MWh [MWh/canonical unit] and standard coal [kgce/canonical unit] per energy activity.

    Covers every catalog activity whose ``energy_class`` is direct or indirect. MWh
    come from the physical unit (energy units as is; fuels through their net
    calorific value); kgce from the GB/T 2589-2020 coefficient of the activity.

    Returns
    -------
    pyarrow.Table
        ``activity, mwh_per_canonical (float64), kgce_per_canonical (float64)``.

    Raises
    ------
    ReferenceDataError
        If an energy activity has no GB/T 2589-2020 coefficient.
    UnitError
        If a unit cannot be brought to MWh or to the canonical unit.

    References
    ----------
    GB/T 2589-2020; IPCC 2006 Guidelines, Vol. 2 Ch. 1 Table 1.2 (net calorific values).
    """
    coefficients = {
        row["activity"]: (row["value"], row["unit"])
        for row in energy_coefficients.select(["activity", "value", "unit"]).to_pylist()
    }
    activities, mwh, kgce = [], [], []
    for entry in catalog.select(["activity", "energy_class", "canonical_unit"]).to_pylist():
        if entry["energy_class"] not in ENERGY_CLASSES:
            continue
        activity, canonical = entry["activity"], entry["canonical_unit"]
        if activity not in coefficients:
            raise ReferenceDataError(
                f"energy activity '{activity}' has no GB/T 2589-2020 coefficient"
            )
        value, unit = coefficients[activity]
        activities.append(activity)
        mwh.append(activity_conversion(activity, canonical, "MWh", fuel_properties)[0])
        kgce.append(rate_to_canonical(value, unit, "kgce", activity, canonical, fuel_properties)[0])
    return pa.table(
        {
            "activity": pa.array(activities, pa.string()),
            "mwh_per_canonical": pa.array(mwh, pa.float64()),
            "kgce_per_canonical": pa.array(kgce, pa.float64()),
        }
    )


__all__ = ["ENERGY_CLASSES", "KGCE_MJ", "build_energy_coefficients", "tce_from_quantity"]
