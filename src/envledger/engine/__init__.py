"""The inventory engine: activity records -> GHG inventory, energy, water, waste, intensities.

Steps named after the methodology run as portable SQL on one in-memory DuckDB
connection over Arrow tables; see :func:`compute_inventory`.
"""

from envledger.engine.contract import SCHEMA, inventory_to_dict
from envledger.engine.explain import explain_facility
from envledger.engine.inputs import InventoryInputs
from envledger.engine.inventory import Inventory, compute_inventories, compute_inventory

__all__ = [
    "SCHEMA",
    "Inventory",
    "InventoryInputs",
    "compute_inventories",
    "compute_inventory",
    "explain_facility",
    "inventory_to_dict",
]
