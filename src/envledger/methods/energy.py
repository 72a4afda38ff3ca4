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
    catalog: pa.Table,
    energy_coefficients: pa.Table,
    fuel_properties: pa.Table,
    carriers: pa.Table,
) -> pa.Table:
    """MWh [MWh/canonical unit] and standard coal [kgce/canonical unit] per energy activity.

    Covers every catalog activity whose ``energy_class`` is direct or indirect. MWh
    come from the physical unit (energy units as is; fuels through their GB/T
    2589-2020 net calorific value, property ``ncv``, never the IPCC value that serves
    per-TJ emission factors); kgce from the GB/T 2589-2020 coefficient of the activity.

    Returns
    -------
    pyarrow.Table
        ``activity, carrier, mwh_per_canonical (float64), kgce_per_canonical (float64),
        energy_note`` (how MWh and kgce were obtained, for explain).

    Raises
    ------
    ReferenceDataError
        If an energy activity has no GB/T 2589-2020 coefficient or no carrier.
    UnitError
        If a unit cannot be brought to MWh or to the canonical unit.

    References
    ----------
    GB/T 2589-2020, Appendix A (net calorific values and reference coefficients to
    standard coal); HKEX ESG Reporting Code KPI A2.1 (energy by type).
    """
    coefficients = {
        row["activity"]: (row["value"], row["unit"])
        for row in energy_coefficients.select(["activity", "value", "unit"]).to_pylist()
    }
    carrier_of = dict(
        zip(carriers["activity"].to_pylist(), carriers["carrier"].to_pylist(), strict=True)
    )
    rows: dict[str, list] = {
        "activity": [], "carrier": [], "mwh_per_canonical": [], "kgce_per_canonical": [],
        "energy_note": [],
    }
    for entry in catalog.select(["activity", "energy_class", "canonical_unit"]).to_pylist():
        if entry["energy_class"] not in ENERGY_CLASSES:
            continue
        activity, canonical = entry["activity"], entry["canonical_unit"]
        if activity not in coefficients:
            raise ReferenceDataError(
                f"energy activity '{activity}' has no GB/T 2589-2020 coefficient"
            )
        if activity not in carrier_of:
            raise ReferenceDataError(f"energy activity '{activity}' has no energy carrier")
        value, unit = coefficients[activity]
        mwh, mwh_note = activity_conversion(activity, canonical, "MWh", fuel_properties)
        kgce, kgce_note = rate_to_canonical(
            value, unit, "kgce", activity, canonical, fuel_properties
        )
        rows["activity"].append(activity)
        rows["carrier"].append(carrier_of[activity])
        rows["mwh_per_canonical"].append(mwh)
        rows["kgce_per_canonical"].append(kgce)
        rows["energy_note"].append(
            f"energy {mwh_note} = {mwh:.6g} MWh/{canonical};"
            f" standard coal {value:g} {kgce_note} = {kgce:.6g} kgce/{canonical} (GB/T 2589-2020)"
        )
    return pa.table(
        rows,
        schema=pa.schema(
            [
                ("activity", pa.string()),
                ("carrier", pa.string()),
                ("mwh_per_canonical", pa.float64()),
                ("kgce_per_canonical", pa.float64()),
                ("energy_note", pa.string()),
            ]
        ),
    )


__all__ = ["ENERGY_CLASSES", "KGCE_MJ", "build_energy_coefficients", "tce_from_quantity"]
