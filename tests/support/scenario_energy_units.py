"""Engine inputs over the shipped reference data, for energy and invoice-unit scenarios."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from envledger import data
from envledger.engine import InventoryInputs
from envledger.methods.energy import build_energy_coefficients
from envledger.methods.gwp import GWP_SETS, gwp_table
from envledger.methods.units import build_unit_conversions, factors_to_canonical
from tests.support.engine_inputs import make_inputs


def shipped_inputs(
    records: list[dict[str, Any]],
    facilities: list[dict[str, Any]],
    groups: dict[str, list[str]] | None = None,
    facility_years: list[dict[str, Any]] | None = None,
) -> InventoryInputs:
    """Hand-made records and facilities over the shipped catalog, factors, GWPs and
    energy data (the same builders the ledger uses)."""
    catalog = data.load_activity_catalog()
    fuels = data.load_fuel_properties()
    blends = data.load_gwp_blends()
    own = make_inputs(records, facilities, [], facility_years=facility_years, groups=groups)
    return InventoryInputs(
        activities=own.activities,
        facilities=own.facilities,
        facility_years=own.facility_years,
        group_members=own.group_members,
        factors=factors_to_canonical(data.load_factors(), catalog, fuels),
        gwp=pa.concat_tables([gwp_table(s, blends) for s in GWP_SETS]),
        blends=blends,
        unit_conversions=build_unit_conversions(catalog, fuels),
        energy_coefficients=build_energy_coefficients(
            catalog, data.load_energy_coefficients(), fuels, data.load_energy_carriers()
        ),
        catalog=catalog,
    )
