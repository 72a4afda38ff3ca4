"""Refrigerant and fire-suppressant leakage: the three EPA / The Climate Registry methods.

All functions return the mass of gas emitted [kg]; multiply by the gas's GWP for
CO2e. The engine uses the simplest and most common corporate case: the mass
recharged during the year equals the mass leaked (activity ``refrigerant``).
"""

from __future__ import annotations

from dataclasses import dataclass

from envledger.errors import EnvledgerError


@dataclass(frozen=True)
class ScreeningDefaults:
    """Default emission rates [-] of one equipment type for the screening method."""

    installation: float  # k: share of a new charge lost at installation
    operation: float  # x: share of capacity leaked per year
    remaining_at_disposal: float  # y: share of capacity still in equipment at disposal
    recovery: float  # z: share of the remaining charge recovered at disposal


SCREENING_DEFAULTS: dict[str, ScreeningDefaults] = {
    "residential_commercial_ac": ScreeningDefaults(0.01, 0.10, 0.80, 0.80),
    "chillers": ScreeningDefaults(0.01, 0.15, 1.00, 0.95),
    "commercial_refrigeration": ScreeningDefaults(0.03, 0.35, 1.00, 0.70),
    "standalone_commercial": ScreeningDefaults(0.03, 0.15, 0.80, 0.70),
    "industrial_refrigeration": ScreeningDefaults(0.03, 0.25, 1.00, 0.90),
}
"""Screening defaults by equipment type (commercial_refrigeration = medium/large units)."""


def emissions_material_balance(
    inventory_decrease: float, purchased: float, sold: float, capacity_decrease: float
) -> float:
    """Gas emitted [kg] by mass balance over the year.

    E = inventory decrease + purchased/acquired - sold/disposed + capacity decrease,
    every term [kg] of one gas.

    References
    ----------
    US EPA Center for Corporate Climate Leadership, Direct fugitive emissions from
    refrigeration, air conditioning, fire suppression (mass balance method); The
    Climate Registry General Reporting Protocol.
    """
    return inventory_decrease + purchased - sold + capacity_decrease


def emissions_simplified(
    new_charge: float,
    new_capacity: float,
    recharge: float,
    disposed_capacity: float,
    recovered: float,
) -> float:
    """Gas emitted [kg] by the simplified material balance.

    E = (PN - CN) + PS + (CD - RD) with PN charge of new equipment [kg], CN its
    capacity [kg], PS recharge of existing equipment [kg], CD capacity of retired
    equipment [kg] and RD gas recovered from it [kg].

    References
    ----------
    US EPA Center for Corporate Climate Leadership (simplified material balance);
    The Climate Registry General Reporting Protocol.
    """
    return (new_charge - new_capacity) + recharge + (disposed_capacity - recovered)


def emissions_screening(
    equipment: str, new_charge: float, capacity: float, disposed_capacity: float
) -> float:
    """Gas emitted [kg] estimated from equipment charges and default leak rates.

    E = Cn x k + C x x + Cd x y x (1 - z) with Cn charge of new equipment [kg], C
    operating capacity [kg], Cd capacity of retired equipment [kg] and k, x, y, z
    the equipment's defaults in ``SCREENING_DEFAULTS``.

    Raises
    ------
    EnvledgerError
        If the equipment type has no defaults.

    References
    ----------
    US EPA Center for Corporate Climate Leadership (screening method, default
    emission factors by equipment type); The Climate Registry General Reporting Protocol.
    """
    try:
        d = SCREENING_DEFAULTS[equipment]
    except KeyError:
        raise EnvledgerError(
            f"unknown equipment type '{equipment}'; known: {', '.join(SCREENING_DEFAULTS)}"
        ) from None
    return (
        new_charge * d.installation
        + capacity * d.operation
        + disposed_capacity * d.remaining_at_disposal * (1.0 - d.recovery)
    )


__all__ = [
    "SCREENING_DEFAULTS",
    "ScreeningDefaults",
    "emissions_material_balance",
    "emissions_screening",
    "emissions_simplified",
]
