"""The activity records behind a year's inventory, each converted to its canonical quantity."""

from __future__ import annotations

import pyarrow as pa

from envledger.engine.inputs import InventoryInputs, connect
from envledger.engine.quantities import allocate_to_year, apply_boundary


def trace_records(inputs: InventoryInputs, year: int) -> pa.Table:
    """Every record of an in-boundary facility that falls in ``year``, with its arithmetic.

    One row per record: ``record_id, facility_code, period_start, period_end,
    activity, variant, gas, quantity`` [unit], ``unit``, ``share_in_year`` [1] (days of
    the period inside the year / days of the period), ``to_canonical`` [canonical
    unit/unit] and ``unit_note``, ``quantity_canonical`` [canonical unit] = quantity x
    share_in_year x to_canonical, ``canonical_unit`` and the activity's ``scope``,
    ``source`` and ``energy_class``. Per facility, activity, variant and gas these sum
    to the quantities of the inventory's lines.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 3-4 (boundary, reporting year);
    ISO 14064-3:2019 (verification: traceability of reported figures to data).
    """
    with connect(inputs, []) as con:
        allocate_to_year(con, year, "activities").create_view("allocated")
        apply_boundary(con, year, "allocated").create_view("in_boundary")
        return con.sql(
            """
            SELECT a.record_id, a.facility_code, a.period_start, a.period_end, a.activity,
                   a.variant, a.gas, a.quantity, a.unit, a.share_in_year, u.to_canonical,
                   u.note AS unit_note,
                   a.quantity * a.share_in_year * u.to_canonical AS quantity_canonical,
                   k.canonical_unit, k.scope, k.source, k.energy_class
            FROM in_boundary a
            JOIN unit_conversions u ON u.activity = a.activity AND u.unit = a.unit
            JOIN catalog k ON k.activity = a.activity
            ORDER BY a.facility_code, a.activity, a.variant, a.gas, a.record_id
            """
        ).to_arrow_table()
