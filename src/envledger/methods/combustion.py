"""Fuel combustion: CO2 factors from carbon content, and emissions from energy use."""

from __future__ import annotations

CO2_PER_C = 44.0 / 12.0
"""Mass ratio of CO2 to carbon [t CO2/t C] (molecular weights 44 and 12)."""


def co2_factor_from_carbon_content(ncv: float, carbon_content: float, oxidation: float) -> float:
    """CO2 emission factor [t CO2/unit of fuel] from fuel properties.

    Parameters
    ----------
    ncv : float
        Net calorific value [GJ/unit of fuel], e.g. [GJ/t] or [GJ/m3].
    carbon_content : float
        Carbon content per energy [t C/TJ].
    oxidation : float
        Fraction of carbon oxidised [-], e.g. 0.98.

    Returns
    -------
    float
        NCV x CC x OF x 44/12 [t CO2/unit]; with NCV in GJ and CC per TJ the
        product is divided by 1000 (1 TJ = 1000 GJ).

    References
    ----------
    China NDRC enterprise GHG accounting and reporting guidelines (fuel combustion);
    IPCC 2006 Guidelines, Vol. 2 Ch. 1 Eq. 1.1 and Table 1.3 (carbon content).
    """
    return ncv * carbon_content / 1000.0 * oxidation * CO2_PER_C


def emissions_from_energy(energy: float, factor: float) -> float:
    """Emissions of one gas [kg] from fuel energy [TJ] at an emission factor [kg/TJ].

    References
    ----------
    IPCC 2006 Guidelines, Vol. 2 Ch. 2 Eq. 2.1 (Tier 1 stationary combustion).
    """
    return energy * factor


__all__ = ["CO2_PER_C", "co2_factor_from_carbon_content", "emissions_from_energy"]
